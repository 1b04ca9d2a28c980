/**
 * Papermill's convention in TypeScript: values given on the command line become a cell
 * tagged `injected-parameters`, placed after the cell tagged `parameters` (or first).
 * A name the parameters cell declares with `let`/`var` is assigned (so its declared type
 * checks the new value); one declared with `const` is redeclared.
 */
import { newCellId, sourceText, type CodeCell, type Notebook } from "./nbformat";

export type ParameterValue = string | number | boolean | null | unknown[] | Record<string, unknown>;

/** Parses `key=value`: JSON literals (numbers, true/false/null, arrays, objects, "strings") or else a plain string. */
export function parseParameter(arg: string): [string, ParameterValue] {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new Error(`parameter "${arg}" is not of the form key=value`);
  const key = arg.slice(0, eq).trim();
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) throw new Error(`parameter name "${key}" is not a valid identifier`);
  const raw = arg.slice(eq + 1);
  try {
    return [key, JSON.parse(raw) as ParameterValue];
  } catch {
    return [key, raw];
  }
}

/** The names a parameters cell declares, with the keyword that declares each. */
export function declaredNames(source: string): Map<string, "const" | "let" | "var"> {
  const names = new Map<string, "const" | "let" | "var">();
  const re = /^\s*(?:export\s+)?(const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) names.set(m[2], m[1] as "const" | "let" | "var");
  return names;
}

/** Inserts (or replaces) the injected-parameters cell; returns its index, or -1 when there are no parameters. */
export function injectParameters(nb: Notebook, params: Record<string, ParameterValue>): number {
  const existing = nb.cells.findIndex((c) => c.metadata.tags?.includes("injected-parameters"));
  if (existing >= 0) nb.cells.splice(existing, 1);
  const keys = Object.keys(params);
  if (keys.length === 0) return -1;
  const pIndex = nb.cells.findIndex((c) => c.cell_type === "code" && c.metadata.tags?.includes("parameters"));
  const declared = pIndex >= 0 ? declaredNames(sourceText(nb.cells[pIndex].source)) : new Map<string, string>();
  const lines = ["// Parameters injected by `sciforge run`"];
  for (const k of keys) {
    const v = JSON.stringify(params[k]);
    const kind = declared.get(k);
    lines.push(kind === "let" || kind === "var" ? `${k} = ${v};` : `const ${k} = ${v};`);
  }
  lines.push("void 0; // no output for this cell");
  const cell: CodeCell = {
    cell_type: "code",
    id: newCellId(),
    source: lines.join("\n"),
    metadata: { tags: ["injected-parameters"] },
    execution_count: null,
    outputs: [],
  };
  const at = pIndex >= 0 ? pIndex + 1 : 0;
  nb.cells.splice(at, 0, cell);
  return at;
}
