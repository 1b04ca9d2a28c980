/**
 * Jupyter's `is_complete_request`: may the front end run what was typed, or does Enter continue
 * it? From the parser alone: no syntax errors → "complete"; an error at the very end of the text
 * that more text could fix (an open block or call, an unterminated template literal or block
 * comment) → "incomplete" with the indent for the next line; any other syntax error → "invalid".
 * Cell magics on the first lines are not TypeScript and are left out; a cell ending in two
 * newlines is complete whatever it holds (the front end's way to force it, as in tslab).
 */
import type * as TS from "typescript";

export type IsComplete = { status: "complete" } | { status: "incomplete"; indent: string } | { status: "invalid" };

/** Errors that mean the text ran out inside something: a block comment, a template literal. */
const RAN_OUT = new Set([
  1010, // '*/' expected.
  1160, // Unterminated template literal.
]);

export function isComplete(ts: typeof TS, source: string): IsComplete {
  const code = stripMagics(source);
  if (/(^|\n)\s*\n\s*$/.test(code)) return { status: "complete" };
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diags = (file as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (diags.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  // A string literal whose line ends in a backslash goes on on the next line.
  const continued = /\\\s*$/.test(code);
  const incomplete = diags.some((d) => RAN_OUT.has(d.code) || (d.code === 1002 && continued) || (d.code !== 1002 && d.start >= end));
  return incomplete ? { status: "incomplete", indent: indentOnEnter(source) } : { status: "invalid" };
}

/** Blanks the leading `%magic` lines (they are not TypeScript). */
function stripMagics(source: string): string {
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === "" || t.startsWith("//")) continue;
    if (!t.startsWith("%")) break;
    lines[i] = "";
  }
  return lines.join("\n");
}

/** The indent of the next line, as VS Code's TypeScript rules would give (tslab's `indentOnEnter`). */
export function indentOnEnter(src: string): string {
  const line = /[^\n]*$/.exec(src)![0];
  const current = /^\s*/.exec(line)![0];
  if (/^((?!.*?\/\*).*\*\/)?\s*[}\]].*$/.test(line)) {
    if (current.endsWith("  ")) return current.slice(0, -2);
    if (current.endsWith("\t") || current.endsWith(" ")) return current.slice(0, -1);
    return current;
  }
  if (/^((?!\/\/).)*(\{[^}"'`]*|\([^)"'`]*|\[[^\]"'`]*)$/.test(line)) return current + "  ";
  return current;
}
