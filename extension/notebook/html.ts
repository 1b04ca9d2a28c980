/**
 * Exports an executed notebook to one self-contained HTML file that opens offline:
 * markdown rendered, outputs in the richest form a browser can show, plotly figures drawn
 * by plotly.js inlined once (only when the notebook has any), images embedded as data URIs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { marked } from "marked";
import { ansiToHtml, escapeHtml } from "./ansi";
import { sourceText, type Notebook, type Output } from "./nbformat";

const PLOTLY = "application/vnd.plotly.v1+json";

export interface HtmlOptions {
  title?: string;
  /** Folder holding node_modules (to find plotly.js); default: next to the running bundle. */
  packageRoot?: string;
}

function joinText(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v);
}

function renderData(data: Record<string, unknown>, figures: { n: number }): string {
  if (data[PLOTLY] && typeof data[PLOTLY] === "object") {
    const id = `sf-plot-${figures.n++}`;
    const fig = JSON.stringify(data[PLOTLY]).replace(/</g, "\\u003c");
    return `<div class="plot" id="${id}"></div><script>Plotly.newPlot(${JSON.stringify(id)}, ...(f => [f.data || [], f.layout || {}, Object.assign({responsive: true}, f.config || {})])(${fig}));</script>`;
  }
  if (data["text/html"] !== undefined) return `<div class="html">${joinText(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) return `<div class="img">${joinText(data["image/svg+xml"])}</div>`;
  for (const t of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[t] !== undefined) return `<div class="img"><img src="data:${t};base64,${joinText(data[t]).replace(/\s/g, "")}"></div>`;
  }
  if (data["text/markdown"] !== undefined) return `<div class="md">${marked.parse(joinText(data["text/markdown"]), { async: false })}</div>`;
  if (data["text/latex"] !== undefined) return `<pre>${escapeHtml(joinText(data["text/latex"]))}</pre>`;
  if (data["application/json"] !== undefined) return `<pre>${escapeHtml(JSON.stringify(data["application/json"], null, 2))}</pre>`;
  if (data["text/plain"] !== undefined) return `<pre>${ansiToHtml(joinText(data["text/plain"]))}</pre>`;
  return "";
}

function renderOutput(o: Output, figures: { n: number }): string {
  switch (o.output_type) {
    case "stream":
      return `<pre class="stream ${o.name}">${ansiToHtml(joinText(o.text))}</pre>`;
    case "error":
      return `<pre class="error">${ansiToHtml(o.traceback.length ? o.traceback.join("\n") : `${o.ename}: ${o.evalue}`)}</pre>`;
    default:
      return renderData(o.data, figures);
  }
}

function plotlySource(root: string): string | null {
  // dist/renderers/plotly.min.js: the copy the plotly renderer loads (the only one a .vsix ships)
  for (const file of [join(root, "dist", "renderers", "plotly.min.js"), join(root, "node_modules", "plotly.js-dist-min", "plotly.min.js")]) if (existsSync(file)) return readFileSync(file, "utf8");
  return null;
}

export function notebookToHtml(nb: Notebook, o: HtmlOptions = {}): string {
  const figures = { n: 0 };
  const body = nb.cells
    .map((c) => {
      const src = sourceText(c.source);
      if (c.cell_type === "markdown") return `<section class="cell markdown">${marked.parse(src, { async: false })}</section>`;
      if (c.cell_type !== "code") return `<section class="cell raw"><pre>${escapeHtml(src)}</pre></section>`;
      const count = c.execution_count ?? " ";
      const tags = (c.metadata.tags ?? []).map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join("");
      const outs = c.outputs.map((out) => renderOutput(out, figures)).join("\n");
      return `<section class="cell code"><div class="input"><div class="prompt">[${count}]:</div><pre class="source"><code>${escapeHtml(src)}</code></pre>${tags ? `<div class="tags">${tags}</div>` : ""}</div>${outs ? `<div class="outputs">${outs}</div>` : ""}</section>`;
    })
    .join("\n");
  let plotly = "";
  if (figures.n > 0) {
    const src = plotlySource(o.packageRoot ?? join(__dirname, ".."));
    plotly = src ? `<script>${src.replace(/<\/script/gi, "<\\/script")}</script>` : `<script>window.Plotly={newPlot:(id)=>{document.getElementById(id).textContent="(plotly.js was not found when this report was written)"}}</script>`;
  }
  const title = escapeHtml(o.title ?? "Sciforge notebook");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sciforge"><title>${title}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.5}
.cell{margin:1em 0}.input{display:flex;flex-wrap:wrap;gap:.5em}.prompt{color:#57606a;font-family:monospace;min-width:4em}
pre{background:#f6f8fa;padding:.6em .8em;border-radius:6px;overflow-x:auto;margin:.3em 0;font-size:13px}
pre.source{flex:1;border-left:3px solid #0969da;margin:0}.outputs{margin-left:4.5em}
pre.stderr{background:#fff8e6}pre.error{background:#ffebe9}.tags{width:100%;margin-left:4.5em}
.tag{font-size:11px;background:#ddf4ff;color:#0969da;border-radius:10px;padding:1px 8px;margin-right:4px}
.img img,.img svg{max-width:100%;height:auto}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 8px}
.ansi-bold{font-weight:bold}.ansi-red{color:#cf222e}.ansi-green{color:#1a7f37}.ansi-yellow{color:#9a6700}.ansi-blue{color:#0969da}.ansi-magenta{color:#8250df}.ansi-cyan{color:#1b7c83}
.plot{width:100%;min-height:420px}
</style>${plotly}</head>
<body><main>
${body}
</main></body></html>
`;
}
