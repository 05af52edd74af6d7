/**
 * The code editor of the live page: CodeMirror 6 on a cell's code, with TypeScript highlighting,
 * bracket matching and closing, undo, Shift-Enter to run and move on, Ctrl-Enter to run and stay
 * (Jupyter's keys). Loaded by page.ts only when the
 * learner first edits or runs (it is the page's biggest script after the kernel).
 *
 * CodeMirror 6 because it is accessible (its editable element is a real contenteditable that
 * screen readers and the keyboard use), small when trimmed to what we use, well kept, and works
 * under a CSP without inline scripts. Tab is not bound, so it still moves from cell to cell and a
 * keyboard user is never trapped; Ctrl-] and Ctrl-[ indent.
 */
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import { EditorState, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";

export interface CellEditor {
  text(): string;
  /** `silent`: no onChange (the text came from elsewhere, another tab, and is saved already). */
  setText(text: string, options?: { silent?: boolean }): void;
  focus(): void;
  /** Mark the lines of these problems (a type error), until the text changes. */
  markProblems(problems: { line: number; column: number; message: string }[]): void;
}

const setProblems = StateEffect.define<{ line: number; message: string }[]>();

/** The lines with a type error: a line class and the message as its title, cleared by any edit. */
const problemLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const e of tr.effects) {
      if (!e.is(setProblems)) continue;
      const b = new RangeSetBuilder<Decoration>();
      const seen = new Set<number>();
      for (const p of [...e.value].sort((x, y) => x.line - y.line)) {
        if (seen.has(p.line) || p.line < 1 || p.line > tr.state.doc.lines) continue;
        seen.add(p.line);
        b.add(tr.state.doc.line(p.line).from, tr.state.doc.line(p.line).from, Decoration.line({ class: "cm-type-error", attributes: { title: p.message } }));
      }
      return b.finish();
    }
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export interface EditorOptions {
  label: string;
  /** Focusable and runnable (Shift-Enter), but not editable: the check cells. */
  readOnly?: boolean;
  onChange(text: string): void;
  /** Shift-Enter: run this cell (and move on). */
  onRun(): void;
  /** Ctrl-Enter (Cmd-Enter): run this cell and stay in it, as in Jupyter. */
  onRunStay?(): void;
}

/**
 * Colours from the site's variables (src/site/site.css) and light-dark() pairs, so the editor
 * follows the page's light or dark mode; each pair reads at 4.5:1 or more on the editor's
 * background and on the active line's (GitHub's palette).
 */
const theme = EditorView.theme({
  "&": { fontSize: "13px", border: "1px solid var(--line, #d0d7de)", borderRadius: "3px", background: "var(--bg, #fff)", color: "var(--fg, #1f2328)" },
  "&.cm-focused": { outline: "2px solid var(--accent, #0072b2)" },
  ".cm-scroller": { fontFamily: "var(--jp-code-font-family, monospace)", lineHeight: "1.4" },
  ".cm-content": { caretColor: "var(--fg, #1f2328)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--fg, #1f2328)" },
  ".cm-gutters": { background: "var(--panel, #f6f8fa)", color: "var(--muted, #57606a)", borderRight: "1px solid var(--line, #d0d7de)" },
  ".cm-activeLine": { background: "light-dark(#f3f6f9, #161b22)" },
  ".cm-activeLineGutter": { background: "light-dark(#e7ecf0, #21262d)", color: "var(--fg, #1f2328)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground": { background: "light-dark(#c8ddf6, #264f78)" },
  "&.cm-focused .cm-matchingBracket": { background: "light-dark(#d6e9d8, #1f4d2c)", outline: "1px solid light-dark(#7fb08a, #3fb950)" },
  "&.cm-focused .cm-nonmatchingBracket": { background: "light-dark(#ffd8d3, #5a1e1a)" },
  ".cm-type-error": { background: "light-dark(#ffebe9, #3d1d1d)", boxShadow: "inset 3px 0 0 light-dark(#cf222e, #ff7b72)" },
});

const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.modifier, t.operatorKeyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword], color: "light-dark(#cf222e, #ff7b72)" },
  { tag: [t.string, t.special(t.string), t.regexp], color: "light-dark(#0a3069, #a5d6ff)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "light-dark(#0550ae, #79c0ff)" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "light-dark(#57606a, #8b949e)", fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.function(t.propertyName)], color: "light-dark(#6639ba, #d2a8ff)" },
  { tag: [t.typeName, t.className, t.definition(t.typeName)], color: "light-dark(#953800, #ffa657)" },
  { tag: t.invalid, color: "light-dark(#82071e, #ffa198)" },
]);

export function createEditor(parent: HTMLElement, text: string, options: EditorOptions): CellEditor {
  let silent = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        syntaxHighlighting(highlightStyle),
        EditorView.lineWrapping,
        javascript({ typescript: true }),
        keymap.of([
          { key: "Shift-Enter", run: () => (options.onRun(), true) },
          { key: "Mod-Enter", run: () => ((options.onRunStay ?? options.onRun)(), true) },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorState.readOnly.of(options.readOnly ?? false),
        EditorView.contentAttributes.of({ "aria-label": options.label, ...(options.readOnly ? { "aria-readonly": "true" } : {}) }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !silent) options.onChange(u.state.doc.toString());
        }),
        problemLines,
        theme,
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    setText: (t, o) => {
      silent = o?.silent ?? false;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } });
      } finally {
        silent = false;
      }
    },
    focus: () => view.focus(),
    markProblems: (problems) => view.dispatch({ effects: setProblems.of(problems) }),
  };
}
