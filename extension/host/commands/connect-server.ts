/**
 * Connect to Jupyter Server… / Use Local Kernel: asks for the server's URL and token, checks
 * the server (reachable, token accepted, the sciforge kernelspec installed) and from then on
 * starts kernels there; the token goes to SecretStorage. Running kernels are stopped first
 * (after asking), so no notebook silently keeps a kernel in the old place.
 */
import * as vscode from "vscode";
import { KERNEL_NAME } from "../../jupyter/kernelspec";
import { serverAddress } from "../../jupyter/remote/settings";
import type { KernelSessions } from "../kernel-session";

const DEFAULT_URL = "http://127.0.0.1:8888/";

function validUrl(value: string): string | undefined {
  if (!value.trim()) return "the server's URL, e.g. http://127.0.0.1:8888/ or https://HUB/user/NAME/";
  try {
    serverAddress(value, undefined, {});
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** True when there is nothing running, or the person agreed to stop the running kernels. */
async function agreeToStop(sessions: KernelSessions, where: string): Promise<boolean> {
  const running = sessions.running();
  if (running.length === 0) return true;
  const go = "Stop and switch";
  const pick = await vscode.window.showWarningMessage(
    `Sciforge: ${running.length} running kernel${running.length > 1 ? "s" : ""} will be stopped (their variables are lost); new kernels start ${where}.`,
    { modal: true },
    go,
  );
  return pick === go;
}

export async function connectServer(sessions: KernelSessions): Promise<void> {
  const choice = sessions.server;
  if (!choice) throw new Error("no server choice in this window");
  const url = await vscode.window.showInputBox({
    title: "Sciforge: Connect to Jupyter Server (1/2)",
    prompt: "URL of the Jupyter server (jupyter server, JupyterHub: https://HUB/user/NAME/, Enterprise Gateway)",
    value: choice.address?.baseUrl ?? DEFAULT_URL,
    ignoreFocusOut: true,
    validateInput: validUrl,
  });
  if (url === undefined) return;
  const fromUrl = serverAddress(url, undefined, {});
  const token = await vscode.window.showInputBox({
    title: "Sciforge: Connect to Jupyter Server (2/2)",
    prompt: `Token for ${fromUrl.baseUrl} (kept in VS Code's secret storage; empty if the server needs none)`,
    value: fromUrl.token,
    password: true,
    ignoreFocusOut: true,
  });
  if (token === undefined) return;
  const address = serverAddress(url, token, {});
  const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sciforge: checking ${address.baseUrl}…` }, async () => {
    const { probeServer, requireKernelSpec } = await import("../../jupyter/remote");
    const found = await probeServer(address);
    requireKernelSpec(found, KERNEL_NAME);
    return found;
  });
  if (!(await agreeToStop(sessions, `on ${address.baseUrl}`))) return;
  await choice.connect(address);
  sessions.log.appendLine(`[server] connected to ${address.baseUrl} (jupyter_server ${info.version}); kernels start there`);
  void vscode.window.showInformationMessage(`Sciforge: cells now run on the Jupyter server ${address.label} (jupyter_server ${info.version})`);
}

export async function disconnectServer(sessions: KernelSessions): Promise<void> {
  const choice = sessions.server;
  if (!choice?.address) {
    void vscode.window.showInformationMessage("Sciforge: cells already run on a local kernel");
    return;
  }
  const was = choice.address.baseUrl;
  if (!(await agreeToStop(sessions, "on this machine"))) return;
  await choice.disconnect();
  sessions.log.appendLine(`[server] disconnected from ${was}; kernels start on this machine`);
  void vscode.window.showInformationMessage("Sciforge: cells now run on a local kernel");
}
