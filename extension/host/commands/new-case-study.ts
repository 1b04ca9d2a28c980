/** New Case Study: copies a template notebook into the workspace and opens it. */
import * as vscode from "vscode";
import { readFileSync, writeFileSync } from "node:fs";
import { listTemplates, uniqueName } from "../templates";
import { join } from "node:path";

export async function newCaseStudy(extensionPath: string) {
  const templates = listTemplates(join(extensionPath, "extension", "templates"));
  const pick = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.name, description: t.description, t })),
    { title: "Sciforge: New Case Study", placeHolder: "Choose a template" },
  );
  if (!pick) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  let target: vscode.Uri | undefined;
  const base = pick.t.file.replace(/^.*[\\/]/, "").replace(/\.ipynb$/, "");
  if (folder?.scheme === "file") target = vscode.Uri.file(uniqueName(folder.fsPath, base));
  else target = await vscode.window.showSaveDialog({ filters: { Notebook: ["ipynb"] } });
  if (!target) return;
  writeFileSync(target.fsPath, readFileSync(pick.t.file));
  const nb = await vscode.workspace.openNotebookDocument(target);
  await vscode.window.showNotebookDocument(nb);
}
