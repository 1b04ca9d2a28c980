/**
 * Turns compile diagnostics and thrown values into Jupyter `error` content
 * (ename, evalue, traceback) that names the cell and the line:column inside it.
 */
import type { ErrorContent } from "../protocol/messages";
import type { CellDiagnostic as Diagnostic } from "./compiler/diagnostics";

const RED = "\u001b[31m";
const BOLD = "\u001b[1m";
const RESET = "\u001b[0m";

/** Formats TypeScript diagnostics for cell `cellLabel` (e.g. "cell 3"). Positions are 1-based. */
export function diagnosticsError(diags: Diagnostic[], source: string, cellLabel: string): ErrorContent {
  const lines = source.split("\n");
  const first = diags[0];
  const where = (d: Diagnostic) =>
    `${d.fileName ? d.fileName : cellLabel}:${d.start.line + 1}:${d.start.character + 1}`;
  const traceback: string[] = [];
  for (const d of diags) {
    traceback.push(`${RED}${BOLD}${where(d)}${RESET} - ${RED}error TS${d.code}${RESET}: ${d.messageText}`);
    if (!d.fileName && lines[d.start.line] !== undefined) {
      const text = lines[d.start.line];
      const width = d.end.line === d.start.line ? Math.max(1, d.end.character - d.start.character) : Math.max(1, text.length - d.start.character);
      traceback.push(`  ${d.start.line + 1} | ${text}`);
      traceback.push(`  ${" ".repeat(String(d.start.line + 1).length)} | ${" ".repeat(d.start.character)}${RED}${"~".repeat(width)}${RESET}`);
    }
  }
  return {
    ename: "TypeScriptError",
    evalue: `${where(first)} - TS${first.code}: ${first.messageText}${diags.length > 1 ? ` (and ${diags.length - 1} more)` : ""}`,
    traceback,
  };
}

/** Formats a value thrown by cell code; stack frames from inside the kernel are dropped. */
export function thrownError(e: unknown, cellFile: string): ErrorContent {
  if (e instanceof Error || (typeof e === "object" && e !== null && "message" in e)) {
    const err = e as Error;
    const ename = err.name || err.constructor?.name || "Error";
    const evalue = String(err.message ?? "");
    const frames = String(err.stack ?? "")
      .split("\n")
      .slice(1)
      .filter((l) => /^\s+at /.test(l))
      .filter((l) => !/dist[\\/]kernel\.js|node:internal|node:vm|kernel-helpers[\\/]kernel/.test(l))
      .map((l) => l.replace(/evalmachine\.<anonymous>/g, cellFile));
    return {
      ename,
      evalue,
      traceback: [`${RED}${BOLD}${ename}${RESET}: ${evalue}`, ...frames],
    };
  }
  return { ename: "Error", evalue: `thrown value: ${String(e)}`, traceback: [`${RED}Uncaught${RESET} ${String(e)}`] };
}

export function interruptedError(): ErrorContent {
  return { ename: "KeyboardInterrupt", evalue: "execution interrupted", traceback: [`${RED}KeyboardInterrupt${RESET}: execution interrupted`] };
}
