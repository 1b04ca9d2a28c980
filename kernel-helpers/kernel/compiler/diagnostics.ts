/**
 * TypeScript diagnostics as the kernel reports them: 0-based line/character inside the cell (or
 * inside a local file the cell imports, named relative to the notebook), the message chain
 * flattened, and the diagnostics that do not apply to cells left out.
 */
import { relative } from "node:path";
import type * as TS from "typescript";

export interface Position {
  offset: number;
  line: number;
  character: number;
}

export interface CellDiagnostic {
  start: Position;
  end: Position;
  messageText: string;
  category: number;
  code: number;
  /** A local file the cell imports (relative to the notebook's folder); absent for the cell itself. */
  fileName?: string;
}

/** "await/for await at the top level needs an ES module": cells are async functions, so they may. */
const TOP_LEVEL_AWAIT = new Set([1309, 1375, 1378, 1431, 1432, 2854]);

/** Whether the diagnostic at `start` sits at the cell's top level (not inside a function or class). */
function atTopLevel(ts: typeof TS, file: TS.SourceFile, start: number): boolean {
  let inside = false;
  const visit = (node: TS.Node): void => {
    if (inside || start < node.getStart(file) || start >= node.end) return;
    if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isModuleDeclaration(node)) inside = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return !inside;
}

function position(ts: typeof TS, file: TS.SourceFile, offset: number): Position {
  const { line, character } = ts.getLineAndCharacterOfPosition(file, offset);
  return { offset, line, character };
}

export function cellDiagnostics(
  ts: typeof TS,
  diags: readonly TS.Diagnostic[],
  cellFile: TS.SourceFile,
  cwd: string,
  hint: (d: TS.Diagnostic) => string = () => "",
): CellDiagnostic[] {
  const out: CellDiagnostic[] = [];
  for (const d of diags) {
    if (d.category !== ts.DiagnosticCategory.Error || !d.file || d.start === undefined) continue;
    const isCell = d.file === cellFile || d.file.fileName === cellFile.fileName;
    if (isCell && TOP_LEVEL_AWAIT.has(d.code) && atTopLevel(ts, cellFile, d.start)) continue;
    out.push({
      start: position(ts, d.file, d.start),
      end: position(ts, d.file, d.start + (d.length ?? 0)),
      messageText: ts.flattenDiagnosticMessageText(d.messageText, "\n") + hint(d),
      category: d.category,
      code: d.code,
      fileName: isCell ? undefined : relative(cwd, d.file.fileName) || d.file.fileName,
    });
  }
  return out;
}
