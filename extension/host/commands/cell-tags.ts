/** Edit Cell Tags (cell toolbar): writes the Jupyter tags of a cell through a WorkspaceEdit. */
import * as vscode from "vscode";
import { parseTagInput, readCellTags, withCellTags } from "../cell-tags";

const COMMON = ["train", "evaluate", "parameters", "skip-execution"];

export async function editCellTags(arg?: unknown) {
  const cell = (arg && typeof arg === "object" && "notebook" in arg && "index" in arg ? (arg as vscode.NotebookCell) : undefined) ?? activeCell();
  if (!cell) throw new Error("select a cell first");
  const current = readCellTags(cell.metadata as Record<string, unknown>);
  const value = await vscode.window.showInputBox({
    title: `Tags of cell ${cell.index + 1}`,
    prompt: `Comma- or space-separated (common: ${COMMON.join(", ")})`,
    value: current.join(", "),
  });
  if (value === undefined) return;
  await setCellTags(cell, parseTagInput(value));
}

export async function setCellTags(cell: vscode.NotebookCell, tags: string[]) {
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, withCellTags(cell.metadata as Record<string, unknown>, tags))]);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error("the tags could not be written");
}

function activeCell(): vscode.NotebookCell | undefined {
  const ed = vscode.window.activeNotebookEditor;
  const sel = ed?.selections[0];
  return ed && sel && sel.start < ed.notebook.cellCount ? ed.notebook.cellAt(sel.start) : undefined;
}
