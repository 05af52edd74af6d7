/**
 * The cell compiler of the live page (runs in the worker kernel): a notebook cell's TypeScript
 * becomes the body of an async function that runs against the notebook's scope, the way tslab
 * runs it in Jupyter:
 *
 * - types are stripped by sucrase (a token-level transform: fast, small enough to load on the
 *   first Run, and it keeps every line where it was, so an error's line is the cell's line);
 * - acorn finds the cell's top-level statements; each top-level `const/let/var/class/import`
 *   becomes an assignment into the scope object (the kernel runs the body inside
 *   `with (scope)`), so later cells see it and re-running the cell replaces it; top-level
 *   functions stay hoisted and are copied into the scope first;
 * - `await` works at the top level (the body is an async arrow function);
 * - the last expression statement is returned, for the kernel to print as tslab does.
 *
 * Nothing here evaluates code: see kernel.ts.
 */
import { parse, type Node } from "acorn";
import { transform } from "sucrase";

export interface CompiledCell {
  /** The async function's body, same lines as the cell: line 1 also carries the prologue. */
  body: string;
  /** Names the cell declares at its top level (they go into the scope). */
  declared: string[];
  /** Modules the cell imports, in order. */
  imports: string[];
}

/** A cell that does not parse: where, in the cell's own lines and columns (both from 1). */
export class CellSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = "SyntaxError";
  }
}

/** Names the prologue and the import rewriting use: a cell can't declare them. */
export const SCOPE = "__scope";
export const RUNTIME = "__runtime";
export const BOUND = "__bound";

type Loc = { line: number; column: number };
type AnyNode = Node & Record<string, any>;

export function compileCell(source: string): CompiledCell {
  const js = stripTypes(source);
  let program: AnyNode;
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true, locations: true }) as AnyNode;
  } catch (e) {
    const loc = (e as { loc?: Loc }).loc;
    const reason = String((e as Error).message).replace(/\s*\(\d+:\d+\)$/, "");
    throw new CellSyntaxError(reason, loc?.line ?? 1, (loc?.column ?? 0) + 1);
  }

  const edits: { start: number; end: number; text: string }[] = [];
  const declared = new Set<string>();
  const functions: string[] = [];
  const imports: string[] = [];
  const statements: AnyNode[] = program.body;

  for (const [i, node] of statements.entries()) {
    const text = (n: AnyNode) => js.slice(n.start, n.end);
    switch (node.type) {
      case "ImportDeclaration": {
        const from = String(node.source.value);
        imports.push(from);
        const parts: string[] = [];
        for (const s of node.specifiers as AnyNode[]) {
          const local = s.local.name as string;
          declared.add(local);
          if (s.type === "ImportNamespaceSpecifier") parts.push(`${local} = __m`);
          else if (s.type === "ImportDefaultSpecifier") parts.push(`${local} = ${RUNTIME}.pick(__m, "default", ${JSON.stringify(from)})`);
          else {
            const name = s.imported.type === "Literal" ? String(s.imported.value) : (s.imported.name as string);
            parts.push(`${local} = ${RUNTIME}.pick(__m, ${JSON.stringify(name)}, ${JSON.stringify(from)})`);
          }
        }
        const load = `await ${RUNTIME}.load(${JSON.stringify(from)})`;
        edits.push({
          start: node.start,
          end: node.end,
          text: parts.length ? `{ const __m = ${load}; ${parts.join("; ")}; }` : `${load};`,
        });
        break;
      }
      case "VariableDeclaration": {
        const assignments = (node.declarations as AnyNode[]).map((d) => {
          for (const name of boundNames(d.id)) declared.add(name);
          const target = text(d.id);
          const value = d.init ? text(d.init) : "undefined";
          return `${target} = ${value}`;
        });
        // Parenthesised: `({ a, b } = x)` is an assignment, `{ a, b } = x` a block.
        edits.push({ start: node.start, end: node.end, text: `;(${assignments.join(", ")});` });
        break;
      }
      case "ClassDeclaration": {
        const name = node.id.name as string;
        declared.add(name);
        edits.push({ start: node.start, end: node.end, text: `${name} = ${text(node)};` });
        break;
      }
      case "FunctionDeclaration":
        // Left in place: hoisted inside the cell as in any script; the prologue copies it out.
        declared.add(node.id.name);
        functions.push(node.id.name);
        break;
      case "ExportNamedDeclaration":
      case "ExportDefaultDeclaration":
      case "ExportAllDeclaration":
        throw new CellSyntaxError("a notebook cell cannot export (its top-level names are already shared with the cells after it)", node.loc?.start.line ?? 1, (node.loc?.start.column ?? 0) + 1);
      case "ExpressionStatement":
        if (i === statements.length - 1) {
          edits.push({ start: node.start, end: node.end, text: `return (${text(node.expression)});` });
        }
        break;
    }
  }
  for (const name of declared) {
    if (name === SCOPE || name === RUNTIME || name === BOUND) throw new CellSyntaxError(`${name} is reserved by the live page`, 1, 1);
  }

  let body = js;
  for (const e of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  const names = [...declared];
  const prologue = [
    names.length ? `${RUNTIME}.declare(${SCOPE}, ${JSON.stringify(names)});` : "",
    ...functions.map((f) => `${SCOPE}.${f} = ${f};`),
  ].join(" ");
  return { body: prologue + body, declared: names, imports };
}

/** TypeScript → JavaScript, lines kept; syntax errors carry the cell's line and column. */
function stripTypes(source: string): string {
  try {
    // keepUnusedImports: a cell often imports names for the cells after it, which it never uses itself.
    // disableESTransforms: class fields stay native (tslab compiles for ES2022, so fields are defined).
    return transform(source, { transforms: ["typescript"], keepUnusedImports: true, disableESTransforms: true }).code;
  } catch (e) {
    const loc = (e as { loc?: Loc }).loc;
    const reason = String((e as Error).message).replace(/\s*\(\d+:\d+\)$/, "");
    throw new CellSyntaxError(reason, loc?.line ?? 1, loc?.column ?? 1); // sucrase counts columns from 1
  }
}

/** The names a binding pattern declares: `a`, `{ a, b: [c] }`, `[x, ...rest]`, `{ a = 1 }`. */
function boundNames(pattern: AnyNode): string[] {
  switch (pattern.type) {
    case "Identifier":
      return [pattern.name];
    case "ObjectPattern":
      return (pattern.properties as AnyNode[]).flatMap((p) => boundNames(p.type === "RestElement" ? p.argument : p.value));
    case "ArrayPattern":
      return (pattern.elements as (AnyNode | null)[]).flatMap((e) => (e ? boundNames(e) : []));
    case "RestElement":
      return boundNames(pattern.argument);
    case "AssignmentPattern":
      return boundNames(pattern.left);
    default:
      return [];
  }
}
