/** Status bar item: the active notebook's kernel state, compute backend/device, and where it runs. */
import * as vscode from "vscode";
import type { KernelSession, KernelSessions } from "./kernel-session";
import { backendLabel } from "./backend-label";

const ICONS: Record<string, string> = {
  "not started": "$(circle-outline)",
  starting: "$(loading~spin)",
  idle: "$(circle-filled)",
  busy: "$(sync~spin)",
  restarting: "$(loading~spin)",
  dead: "$(error)",
  stopped: "$(circle-slash)",
};

export class KernelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("sciforge.kernel", vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly sessions: KernelSessions) {
    this.item.name = "Sciforge Kernel";
    this.disposables.push(
      vscode.window.onDidChangeActiveNotebookEditor(() => this.refresh()),
      sessions.onDidCreate((s) => this.disposables.push(s.onDidChangeState(() => this.refresh()))),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      ...(sessions.server ? [sessions.server.onDidChange(() => this.refresh())] : []),
    );
    this.refresh();
  }

  private active(): KernelSession | undefined {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    return nb ? this.sessions.get(nb) : undefined;
  }

  refresh(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (!nb || nb.notebookType !== "jupyter-notebook") {
      this.item.hide();
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.item.text = "$(shield) Sciforge: restricted mode";
      this.item.tooltip = "Sciforge starts no kernel in an untrusted workspace. Click to manage workspace trust.";
      this.item.command = "workbench.trust.manage";
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const s = this.active();
    const state = s?.state ?? "not started";
    const backend = s?.backend ? `${s.backend.name}${s.backend.device ? ` (${s.backend.device})` : ""}` : "backend: not chosen yet";
    const remote = this.sessions.server?.address;
    const where = remote ? ` · remote ${remote.label}` : "";
    this.item.text = `${ICONS[state] ?? ""} Sciforge: ${state} · ${backendLabel(s?.backend)}${where}`;
    const place = remote ? `\nRuns on the Jupyter server ${remote.baseUrl} (Sciforge: Use Local Kernel to go back)` : "";
    this.item.tooltip = `Sciforge kernel: ${state}${s?.pid ? ` (pid ${s.pid})` : ""}${place}\nCompute backend: ${backend}\nClick to choose the compute backend`;
    this.item.command = state === "dead" ? "sciforge.restartKernel" : "sciforge.selectBackend";
    this.item.backgroundColor = state === "dead" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
