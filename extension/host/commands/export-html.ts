/** Export Notebook to HTML: writes <name>.html beside the notebook and opens it. */
import * as vscode from "vscode";
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { notebookToHtml } from "../../notebook/html";
import { notebookSnapshot } from "../notebook-snapshot";
import { requireNotebook } from "./active-notebook";

export async function exportHtml(extensionPath: string, arg?: unknown) {
  const nb = requireNotebook(arg);
  if (nb.uri.scheme !== "file") throw new Error("save the notebook to a file first");
  const snapshot = notebookSnapshot(
    nb.getCells().map((c) => ({
      kind: c.kind,
      text: c.document.getText(),
      metadata: c.metadata as Record<string, unknown>,
      executionOrder: c.executionSummary?.executionOrder,
      outputs: c.outputs.map((o) => ({ items: o.items.map((i) => ({ mime: i.mime, data: i.data })), metadata: o.metadata })),
    })),
  );
  const name = basename(nb.uri.fsPath).replace(/\.ipynb$/i, "");
  const file = join(nb.uri.fsPath, "..", `${name}.html`);
  writeFileSync(file, notebookToHtml(snapshot, { title: name, packageRoot: extensionPath }));
  const uri = vscode.Uri.file(file);
  const pick = await vscode.window.showInformationMessage(`Sciforge: exported ${vscode.workspace.asRelativePath(uri)}`, "Open in Browser", "Open as Text");
  if (pick === "Open in Browser") await vscode.env.openExternal(uri);
  if (pick === "Open as Text") await vscode.window.showTextDocument(uri);
}
