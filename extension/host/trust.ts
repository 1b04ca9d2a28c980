/** Restricted Mode: Sciforge starts no kernel until the workspace is trusted. */
import * as vscode from "vscode";

export const UNTRUSTED_MESSAGE = "Restricted Mode: Sciforge starts no kernel in an untrusted workspace. Trust the folder to run cells.";

export class UntrustedWorkspaceError extends Error {
  constructor() {
    super(UNTRUSTED_MESSAGE);
    this.name = "UntrustedWorkspaceError";
  }
}

/** Throws UntrustedWorkspaceError unless the workspace is trusted. */
export function requireTrust(): void {
  if (!vscode.workspace.isTrusted) throw new UntrustedWorkspaceError();
}

/** Says why nothing ran, with a way to trust the folder. */
export async function explainUntrusted(): Promise<void> {
  const pick = await vscode.window.showErrorMessage(`Sciforge: ${UNTRUSTED_MESSAGE}`, "Manage Workspace Trust");
  if (pick) await vscode.commands.executeCommand("workbench.trust.manage");
}
