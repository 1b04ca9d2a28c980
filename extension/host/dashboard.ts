/**
 * "Sciforge: Open Training Dashboard": a webview panel showing the live training payload
 * (MIME.training) of the run in progress, in whichever notebook is training. The page builds its
 * DOM with textContent only; scripts are limited by a CSP nonce.
 */
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";
import type { KernelSessions } from "./kernel-session";

export class TrainingDashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private last: { notebook: string; payload: unknown } | undefined;

  constructor(private readonly sessions: KernelSessions) {
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
    const panel = vscode.window.createWebviewPanel("sciforge.trainingDashboard", "Sciforge Training", vscode.ViewColumn.Beside, { enableScripts: true, retainContextWhenHidden: true });
    this.panel = panel;
    panel.webview.html = this.html();
    panel.onDidDispose(() => (this.panel = undefined), null, this.disposables);
    if (!this.last) {
      const s = this.sessions.all().find((x) => x.lastTraining !== undefined);
      if (s) this.last = { notebook: vscode.workspace.asRelativePath(s.notebook.uri), payload: s.lastTraining };
    }
    if (this.last) void panel.webview.postMessage({ type: "training", ...this.last });
  }

  private html(): string {
    const nonce = randomBytes(16).toString("base64");
    return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);background:var(--vscode-editor-background);padding:12px}
h1{font-size:1.3em}.muted{color:var(--vscode-descriptionForeground)}
.bar{height:10px;background:var(--vscode-editorWidget-background);border:1px solid var(--vscode-widget-border,transparent);border-radius:5px;overflow:hidden;margin:8px 0}
.fill{height:100%;background:var(--vscode-progressBar-background)}
table{border-collapse:collapse;margin-top:8px}td,th{border-bottom:1px solid var(--vscode-editorWidget-border,#8884);padding:2px 10px;text-align:right}
svg{display:block;margin-top:8px}
</style></head><body>
<h1>Sciforge training</h1><div id="root" class="muted">No training has run yet. Start one (Sciforge: Train Model) and this page follows it live.</div>
<script nonce="${nonce}">
const root = document.getElementById("root");
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
const num = (v) => typeof v === "number" && isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4)) : "";
function chart(history, key) {
  const ys = history.map((h) => h[key]).filter((v) => typeof v === "number" && isFinite(v));
  if (ys.length < 2) return null;
  const NS = "http://www.w3.org/2000/svg", w = 360, h = 120, lo = Math.min(...ys), hi = Math.max(...ys) || 1;
  const svg = document.createElementNS(NS, "svg"); svg.setAttribute("width", w); svg.setAttribute("height", h);
  const pts = ys.map((y, i) => (i / (ys.length - 1)) * (w - 10) + 5 + "," + (h - 5 - ((y - lo) / (hi - lo || 1)) * (h - 10))).join(" ");
  const line = document.createElementNS(NS, "polyline"); line.setAttribute("points", pts); line.setAttribute("fill", "none");
  line.setAttribute("stroke", "var(--vscode-charts-blue, #3794ff)"); line.setAttribute("stroke-width", "2"); svg.appendChild(line);
  const t = document.createElementNS(NS, "title"); t.textContent = key; svg.appendChild(t);
  return svg;
}
function render(msg) {
  const p = msg.payload || {};
  root.className = ""; root.replaceChildren();
  root.appendChild(el("div", msg.notebook, "muted"));
  const epochs = Number(p.epochs) || 0, epoch = Number(p.epoch) || 0, batch = Number(p.batch) || 0, per = Number(p.batchesPerEpoch) || 1;
  const pct = p.status === "done" ? 100 : epochs ? Math.min(100, ((Math.max(0, epoch - 1) + batch / per) / epochs) * 100) : 0;
  root.appendChild(el("div", (p.status || "running") + " · epoch " + epoch + "/" + epochs + " · batch " + batch + "/" + per + (p.backend ? " · " + p.backend : ""), "status"));
  const bar = el("div", undefined, "bar"), fill = el("div", undefined, "fill"); fill.style.width = pct.toFixed(1) + "%"; bar.appendChild(fill); root.appendChild(bar);
  const logs = p.logs && typeof p.logs === "object" ? p.logs : {};
  root.appendChild(el("div", Object.entries(logs).map(([k, v]) => k + " " + num(v)).join("  ")));
  if (p.message) root.appendChild(el("p", p.message));
  const history = Array.isArray(p.history) ? p.history : [];
  const loss = chart(history, "loss"); if (loss) root.appendChild(loss);
  if (history.length) {
    const keys = [...new Set(history.flatMap((h) => Object.keys(h)))].filter((k) => k !== "epoch");
    const table = el("table"), head = el("tr"); head.appendChild(el("th", "epoch")); keys.forEach((k) => head.appendChild(el("th", k))); table.appendChild(head);
    for (const h of history) { const tr = el("tr"); tr.appendChild(el("td", h.epoch)); keys.forEach((k) => tr.appendChild(el("td", num(h[k])))); table.appendChild(tr); }
    root.appendChild(table);
  }
}
window.addEventListener("message", (e) => { if (e.data && e.data.type === "training") render(e.data); });
</script></body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
