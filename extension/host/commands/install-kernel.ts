/** Install Kernel for Jupyter: writes kernels/sciforge/kernel.json (no Python needed). */
import * as vscode from "vscode";
import { join } from "node:path";
import { installKernelSpec } from "../../jupyter/kernelspec";
import { chooseNode } from "../node-path";
import { readSettings } from "../settings";

export async function installKernel(extensionPath: string) {
  const node = chooseNode(readSettings().nodePath);
  if (Object.keys(node.env).length > 0) {
    void vscode.window.showWarningMessage("Sciforge: no `node` found on PATH; set sciforge.nodePath so Jupyter can start the kernel outside VS Code.");
    return;
  }
  const dir = installKernelSpec({ distDir: join(extensionPath, "dist"), nodePath: node.path });
  void vscode.window.showInformationMessage(`Sciforge: Jupyter kernel installed in ${dir}`);
}
