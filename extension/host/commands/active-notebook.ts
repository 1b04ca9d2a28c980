/** The notebook a command acts on: the argument VS Code passed (toolbar), else the active one. */
import * as vscode from "vscode";

export function targetNotebook(arg?: unknown): vscode.NotebookDocument | undefined {
  const a = arg as { notebookEditor?: { notebookUri?: vscode.Uri }; uri?: vscode.Uri } | vscode.Uri | undefined;
  const uri = a instanceof vscode.Uri ? a : (a?.notebookEditor?.notebookUri ?? (a as { uri?: vscode.Uri } | undefined)?.uri);
  if (uri) {
    const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString());
    if (nb) return nb;
  }
  return vscode.window.activeNotebookEditor?.notebook;
}

export function requireNotebook(arg?: unknown): vscode.NotebookDocument {
  const nb = targetNotebook(arg);
  if (!nb) throw new Error("open a notebook first");
  if (nb.notebookType !== "jupyter-notebook") throw new Error("Sciforge works on Jupyter (.ipynb) notebooks");
  return nb;
}
