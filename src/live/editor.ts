/**
 * The code editor of the live page: CodeMirror 6 on a cell's code, with TypeScript highlighting,
 * bracket matching and closing, undo, and Shift-Enter to run. Loaded by page.ts only when the
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
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";

export interface CellEditor {
  text(): string;
  setText(text: string): void;
  focus(): void;
}

export interface EditorOptions {
  label: string;
  /** Focusable and runnable (Shift-Enter), but not editable: the check cells. */
  readOnly?: boolean;
  onChange(text: string): void;
  /** Shift-Enter: run this cell (and move on). */
  onRun(): void;
}

export function createEditor(parent: HTMLElement, text: string, options: EditorOptions): CellEditor {
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
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript({ typescript: true }),
        keymap.of([
          { key: "Shift-Enter", run: () => (options.onRun(), true) },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorState.readOnly.of(options.readOnly ?? false),
        EditorView.contentAttributes.of({ "aria-label": options.label, ...(options.readOnly ? { "aria-readonly": "true" } : {}) }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) options.onChange(u.state.doc.toString());
        }),
        EditorView.theme({
          "&": { fontSize: "13px", border: "1px solid #cfd8e3", borderRadius: "3px", background: "#fff" },
          "&.cm-focused": { outline: "2px solid #0b57d0" },
          ".cm-scroller": { fontFamily: "var(--jp-code-font-family, monospace)", lineHeight: "1.4" },
          ".cm-gutters": { background: "#f6f8fa", color: "#57606a", borderRight: "1px solid #e1e4e8" },
        }),
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    setText: (t) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } }),
    focus: () => view.focus(),
  };
}
