/**
 * Type-checking a notebook cell as tslab does before it runs: TypeScript's compiler, with the
 * options tslab uses (ES2022, not strict, types of the libraries the cell imports), on the cell
 * with the declarations of the cells run before it. A cell with a type error is refused with
 * tslab's message: `line:column - message`, in the cell's own lines and columns.
 *
 * The compiler is big (~3 MB), so the live page loads it in its own worker (typecheck-worker.ts)
 * only when a cell needs a check (never for a lesson run as written: typed-cells.ts); this module takes `ts` and the declaration files as
 * arguments, so the unit tests run it in Node on the real lessons.
 *
 * Earlier cells are seen as tslab sees them: each name has the type of its latest declaration
 * (a statement of an earlier cell whose names a later cell all declares again is left out; one
 * that still declares other names is kept, and the "declared twice" errors ignored), and a `let`
 * or `var` of an earlier cell can be assigned to.
 */
import type * as TS from "typescript";

export interface TypeProblem {
  line: number;
  column: number;
  message: string;
  code: number;
}

/** Virtual file path → text: TypeScript's lib files under /lib/, packages under /node_modules/. */
export type Files = Record<string, string>;

const CELL = "/cell.ts";
const PRIOR = "/prior.ts";

/** What a cell sees besides ES2022, as tslab's @types/node gives it (only what cells use). */
export const GLOBALS = `
declare var console: { log(...a: any[]): void; info(...a: any[]): void; debug(...a: any[]): void; warn(...a: any[]): void; error(...a: any[]): void; table(data: any, properties?: readonly string[]): void; time(label?: string): void; timeEnd(label?: string): void };
declare function setTimeout(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): any;
declare function clearTimeout(id: any): void;
declare function setInterval(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): any;
declare function clearInterval(id: any): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
declare var performance: { now(): number };
declare var crypto: { getRandomValues<T extends ArrayBufferView | null>(array: T): T; randomUUID(): string };
declare module "micrograd-ts/dist/tfjs-gradients.js";
`;

/** Codes of errors that only say a name is declared twice: later cells may redeclare, as in tslab. */
const REDECLARED = new Set([2300, 2393, 2451, 2323, 2397]);

export class CellChecker {
  private program: TS.Program | undefined;
  private readonly sources = new Map<string, TS.SourceFile>();
  private readonly options: TS.CompilerOptions;

  constructor(
    private readonly ts: typeof TS,
    private readonly files: Files,
  ) {
    this.options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts"],
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    };
    files["/globals.d.ts"] = GLOBALS;
  }

  /** The problems of `source`, run after `prior` (earlier cells' sources, in run order). */
  check(prior: string[], source: string): TypeProblem[] {
    const ts = this.ts;
    // The earlier cells are one module exporting every name they declare; the cell imports them
    // (the import goes after the cell's last line, so the cell's lines and columns stay its own).
    const { text, names, mutable } = this.priorModule(prior, source);
    const imports = names.length ? `import { ${names.join(", ")} } from "${PRIOR.replace(/\.ts$/, "")}";` : "";
    const texts: Files = { [PRIOR]: text, [CELL]: `${source}\n;${imports}\nexport {};\n` };
    const host: TS.CompilerHost = {
      getSourceFile: (name, target) => {
        if (name in texts) return ts.createSourceFile(name, texts[name]!, target);
        const text = this.files[name];
        if (text === undefined) return undefined;
        let sf = this.sources.get(name); // lib and library files: parsed once
        if (!sf) {
          sf = ts.createSourceFile(name, text, target);
          this.sources.set(name, sf);
        }
        return sf;
      },
      getDefaultLibFileName: () => "/lib/lib.es2022.d.ts",
      writeFile: () => {},
      getCurrentDirectory: () => "/",
      getDirectories: () => [],
      fileExists: (name) => name in texts || name in this.files,
      readFile: (name) => texts[name] ?? this.files[name],
      getCanonicalFileName: (name) => name,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => "\n",
      directoryExists: (dir) => Object.keys(this.files).some((f) => f.startsWith(dir.endsWith("/") ? dir : `${dir}/`)),
    };
    this.program = ts.createProgram({ rootNames: ["/globals.d.ts", PRIOR, CELL], options: this.options, host, oldProgram: this.program });
    const cell = this.program.getSourceFile(CELL)!;
    const diagnostics = [...this.program.getSyntacticDiagnostics(cell), ...this.program.getSemanticDiagnostics(cell)];
    return diagnostics
      .filter((d) => d.file?.fileName === CELL && d.start !== undefined && !REDECLARED.has(d.code))
      // "Cannot assign to 'x' because it is an import": x is an earlier cell's let or var, which tslab lets a cell assign.
      .filter((d) => !(d.code === 2632 && mutable.has(/'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, "\n"))?.[1] ?? "")))
      .map((d) => {
        const { line, character } = cell.getLineAndCharacterOfPosition(d.start!);
        return { line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), code: d.code };
      });
  }

  /**
   * Earlier cells as one module that exports their names, less the top-level statements whose
   * every name a later cell (or `source`) declares again. Only declarations and imports are kept:
   * expressions matter to no later cell.
   */
  private priorModule(prior: string[], source: string): { text: string; names: string[]; mutable: Set<string> } {
    const ts = this.ts;
    const later = new Set(this.declared(ts.createSourceFile("c.ts", source, ts.ScriptTarget.ES2022)).flat());
    const parts: string[] = [];
    const exported = new Set<string>();
    const imported = new Set<string>();
    const mutable = new Set<string>();
    for (let i = prior.length - 1; i >= 0; i--) {
      const sf = ts.createSourceFile("p.ts", prior[i]!, ts.ScriptTarget.ES2022);
      const names = this.declared(sf);
      let text = "";
      sf.statements.forEach((st, k) => {
        const own = names[k]!.filter((n) => !later.has(n));
        if (own.length === 0) return;
        const code = prior[i]!.slice(st.getStart(sf), st.getEnd());
        if (ts.isImportDeclaration(st)) {
          for (const n of own) imported.add(n);
          text += `${code}\n`;
        } else {
          for (const n of own) exported.add(n);
          if (ts.isVariableStatement(st) && !(st.declarationList.flags & ts.NodeFlags.Const)) for (const n of own) mutable.add(n);
          text += `export ${code}\n`;
        }
      });
      for (const n of names.flat()) later.add(n);
      parts.unshift(text);
    }
    const reexport = imported.size ? `export { ${[...imported].join(", ")} };\n` : "";
    return { text: `${parts.join("")}${reexport}export {};\n`, names: [...exported, ...imported], mutable };
  }

  /** The names each top-level statement declares. */
  private declared(sf: TS.SourceFile): string[][] {
    const ts = this.ts;
    const bound = (name: TS.BindingName): string[] =>
      ts.isIdentifier(name) ? [name.text] : name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bound(e.name)));
    return sf.statements.map((st) => {
      if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => bound(d.name));
      if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) return [st.name.text];
      if (ts.isImportDeclaration(st)) {
        const c = st.importClause;
        if (!c) return [];
        const names = c.name ? [c.name.text] : [];
        const b = c.namedBindings;
        if (b && ts.isNamespaceImport(b)) names.push(b.name.text);
        else if (b) names.push(...b.elements.map((e) => e.name.text));
        return names;
      }
      return [];
    });
  }
}

/** tslab's way of saying it: `line:column - message`, one line each. */
export function formatProblems(problems: TypeProblem[]): string[] {
  return problems.map((p) => `${p.line}:${p.column} - ${p.message}`);
}
