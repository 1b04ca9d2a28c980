/**
 * Papermill's convention in TypeScript: values given on the command line become a cell
 * tagged `injected-parameters`, placed after the cell tagged `parameters` (or first).
 * A name the parameters cell declares with `let`/`var` is assigned (so its declared type
 * checks the new value); one declared with `const` is redeclared.
 */
import { newCellId, sourceText, type CodeCell, type Notebook } from "./nbformat";

export type ParameterValue = string | number | boolean | null | unknown[] | Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function checkName(key: string): string {
  if (!IDENTIFIER.test(key)) throw new Error(`parameter name "${key}" is not a valid identifier`);
  return key;
}

/**
 * A command-line value, as papermill's `-p` reads it: True/true, False/false, None/null,
 * integers and decimals become booleans, null and numbers; JSON arrays, objects and "quoted
 * strings" are parsed too; anything else stays the string it is. (`-r` keeps the raw string.)
 */
export function parseParameterValue(raw: string): ParameterValue {
  const t = raw.trim();
  if (t === "True" || t === "true") return true;
  if (t === "False" || t === "false") return false;
  if (t === "None" || t === "null") return null;
  if (/^[+-]?\d+$/.test(t)) {
    const n = Number(t);
    return Number.isSafeInteger(n) ? n : raw; // a 20-digit id stays exact, as a string
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && Number.isFinite(Number(t))) return Number(t);
  if (/^[[{"]/.test(t)) {
    try {
      return JSON.parse(t) as ParameterValue;
    } catch {
      // not JSON: the string as typed
    }
  }
  return raw;
}

/** Parses `key=value` (value as {@link parseParameterValue}, or kept as typed when `raw`). */
export function parseParameter(arg: string, raw = false): [string, ParameterValue] {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new Error(`parameter "${arg}" is not of the form key=value`);
  const key = checkName(arg.slice(0, eq).trim());
  const value = arg.slice(eq + 1);
  return [key, raw ? value : parseParameterValue(value)];
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
