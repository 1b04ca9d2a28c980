/**
 * "Sciforge: Open Training Dashboard": a webview panel showing the live training payload
 * (MIME.training) of the run in progress, in whichever notebook is training. The page draws it
 * with the training renderer's own bundle (renderers/training-view.ts: one drawing for both), DOM
 * built with textContent only; scripts are limited by a CSP nonce and the extension's renderers.
 */
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";
import type { KernelSessions } from "./kernel-session";

export class TrainingDashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private last: { notebook: string; payload: unknown } | undefined;

  constructor(
    private readonly sessions: KernelSessions,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      sessions.onDidCreate((s) =>
        this.disposables.push(
          s.onTraining((payload) => {
            this.last = { notebook: vscode.workspace.asRelativePath(s.notebook.uri), payload };
            void this.panel?.webview.postMessage({ type: "training", ...this.last });
          }),
        ),
      ),
    );
  }

  open(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside);
      return;
    }
    const panel = vscode.window.createWebviewPanel("sciforge.trainingDashboard", "Sciforge Training", vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist", "renderers")],
    });
    this.panel = panel;
    panel.webview.html = this.html(panel.webview);
    panel.onDidDispose(() => (this.panel = undefined), null, this.disposables);
    if (!this.last) {
      const s = this.sessions.all().find((x) => x.lastTraining !== undefined);
      if (s) this.last = { notebook: vscode.workspace.asRelativePath(s.notebook.uri), payload: s.lastTraining };
    }
    // the page's module loads before it listens: it says when (and messages sent earlier are lost)
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (this.last && typeof m === "object" && m !== null && (m as { type?: unknown }).type === "ready") void panel.webview.postMessage({ type: "training", ...this.last });
    }, null, this.disposables);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString("base64");
    // the notebook renderer's own bundle: one drawing for the cell output and this page
    const training = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "renderers", "training.js")).toString();
    return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}' ${webview.cspSource};">
<style>
body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);background:var(--vscode-editor-background);padding:12px}
h1{font-size:1.3em}.muted{color:var(--vscode-descriptionForeground)}
</style></head><body>
<h1>Sciforge training</h1><div id="notebook" class="muted">No training has run yet. Start one (Sciforge: Train Model) and this page follows it live.</div><div id="root"></div>
<script type="module" nonce="${nonce}">
import { drawTraining } from ${JSON.stringify(training)};
const notebook = document.getElementById("notebook"), root = document.getElementById("root");
window.addEventListener("message", (e) => {
  if (!e.data || e.data.type !== "training") return;
  notebook.textContent = e.data.notebook;
  drawTraining(e.data.payload, root);
});
const vscode = acquireVsCodeApi();
vscode.postMessage({ type: "ready" });
</script></body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
