/**
 * Exports an executed notebook to one self-contained HTML file that opens offline:
 * markdown rendered (with `attachment:` images and `$math$` / `$$math$$` typeset by KaTeX),
 * outputs in the richest form a browser can show, plotly figures drawn by plotly.js inlined
 * once (only when the notebook has any), images embedded as data URIs, terminal colours by
 * ./ansi. Cell tags as nbconvert and Jupyter Book read them: remove-cell, remove-input,
 * remove-output drop that part; hide-cell, hide-input, hide-output fold it into a
 * `<details>` (so does JupyterLab's collapsed input/output, metadata.jupyter).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Marked, type TokenizerAndRendererExtension } from "marked";
// the minified build: half the size in the extension bundle
import katex from "katex/dist/katex.min.js";
import type { KatexOptions } from "katex";
import { ANSI_CSS, ansiToHtml, escapeHtml } from "./ansi";
import { sourceText, type Cell, type Notebook, type Output } from "./nbformat";

const PLOTLY = "application/vnd.plotly.v1+json";

export interface HtmlOptions {
  title?: string;
  /** Folder holding node_modules (to find plotly.js); default: next to the running bundle. */
  packageRoot?: string;
}

function joinText(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v);
}

/** What one export shares across cells: the markdown renderer, KaTeX's macros, what was used. */
interface Ctx {
  figures: { n: number };
  md: Marked;
  math: MathState;
}

interface MathState {
  /** KaTeX's CSS could be found: HTML+MathML output; else MathML only (no fonts needed). */
  styled: boolean;
  used: number;
  /** \newcommand / \gdef carry over from cell to cell, as in Jupyter. */
  macros: NonNullable<KatexOptions["macros"]>;
  /** Class names in the typeset math (to inline only the fonts it uses). */
  classes: Set<string>;
}

function typeset(tex: string, displayMode: boolean, m: MathState): string {
  m.used++;
  const html = katex.renderToString(tex, { displayMode, throwOnError: false, strict: false, output: m.styled ? "htmlAndMathml" : "mathml", macros: m.macros, globalGroup: true });
  for (const cls of html.matchAll(/class="([^"]+)"/g)) for (const c of cls[1].split(/\s+/)) m.classes.add(c);
  return displayMode ? `<div class="math display">${html}</div>` : `<span class="math">${html}</span>`;
}

/**
 * Math in markdown as Jupyter reads it: `$$…$$` and `\[…\]` (display), `\begin{env}…\end{env}`
 * blocks, `$…$` and `\(…\)` inline. An inline `$` opens only before a non-space and closes only
 * after one and not before a digit (so "$5 and $10" stays text), and holds no backtick (a code
 * span wins); `\$` is a dollar sign.
 */
function mathExtensions(m: MathState): TokenizerAndRendererExtension[] {
  const block: TokenizerAndRendererExtension = {
    name: "mathBlock",
    level: "block",
    start: (src) => src.match(/\$\$|\\\[|\\begin\{/)?.index,
    tokenizer(src) {
      const r = /^ {0,3}(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|(\\begin\{([A-Za-z]+\*?)\}[\s\S]+?\\end\{\4\}))[ \t]*(?:\n+|$)/.exec(src);
      if (r) return { type: "mathBlock", raw: r[0], text: (r[1] ?? r[2] ?? r[3]).trim() };
      return undefined;
    },
    renderer: (t) => typeset(t.text, true, m),
  };
  const inline: TokenizerAndRendererExtension = {
    name: "mathInline",
    level: "inline",
    start: (src) => src.match(/\$|\\\(|\\\[/)?.index,
    tokenizer(src) {
      let r = /^\$\$((?:\\[\s\S]|[^\\$])+?)\$\$/.exec(src) ?? /^\\\[([\s\S]+?)\\\]/.exec(src);
      if (r) return { type: "mathInline", raw: r[0], text: r[1].trim(), display: true };
      r = /^\$(?!\s)((?:\\[\s\S]|[^\\$`])*?[^\\\s$`])\$(?!\d)/.exec(src) ?? /^\\\(([\s\S]+?)\\\)/.exec(src);
      if (r) return { type: "mathInline", raw: r[0], text: r[1].trim(), display: false };
      return undefined;
    },
    renderer: (t) => typeset(t.text, Boolean(t.display), m),
  };
  return [block, inline];
}

const MIME_IMAGES = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];

/** `attachment:NAME` in a markdown cell's images and links → the attachment as a data URI. */
function resolveAttachments(html: string, cell: Cell): string {
  const attachments = (cell as { attachments?: Record<string, Record<string, unknown>> }).attachments;
  if (!attachments || !html.includes("attachment:")) return html;
  return html.replace(/(\s(?:src|href)=")attachment:([^"]*)"/g, (whole, attr: string, ref: string) => {
    let name = ref.replace(/&amp;/g, "&");
    try {
      name = decodeURIComponent(name);
    } catch {
      // kept as written
    }
    const bundle = attachments[name] ?? attachments[ref];
    if (!bundle) return whole;
    const type = MIME_IMAGES.find((t) => bundle[t] !== undefined) ?? Object.keys(bundle)[0];
    if (!type) return whole;
    const value = joinText(bundle[type]);
    const uri = type === "image/svg+xml" && !/^[A-Za-z0-9+/=\s]+$/.test(value) ? `data:${type};charset=utf-8,${encodeURIComponent(value)}` : `data:${type};base64,${value.replace(/\s/g, "")}`;
    return `${attr}${uri}"`;
  });
}

function renderMarkdown(src: string, ctx: Ctx): string {
  return ctx.md.parse(src, { async: false }) as string;
}

/** text/latex as Jupyter shows it: typeset (its $…$ / $$…$$ / \[…\] wrapper taken off). */
function renderLatex(tex: string, ctx: Ctx): string {
  const t = tex.trim();
  const r = /^\$\$([\s\S]+)\$\$$/.exec(t) ?? /^\\\[([\s\S]+)\\\]$/.exec(t) ?? /^\$([\s\S]+)\$$/.exec(t);
  return typeset(r ? r[1] : t, true, ctx.math);
}

function renderData(data: Record<string, unknown>, ctx: Ctx): string {
  const figures = ctx.figures;
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
  if (data["text/markdown"] !== undefined) return `<div class="md">${renderMarkdown(joinText(data["text/markdown"]), ctx)}</div>`;
  if (data["text/latex"] !== undefined) return `<div class="latex">${renderLatex(joinText(data["text/latex"]), ctx)}</div>`;
  if (data["application/json"] !== undefined) return `<pre>${escapeHtml(JSON.stringify(data["application/json"], null, 2))}</pre>`;
  if (data["text/plain"] !== undefined) return `<pre>${ansiToHtml(joinText(data["text/plain"]))}</pre>`;
  return "";
}

function renderOutput(o: Output, ctx: Ctx): string {
  switch (o.output_type) {
    case "stream":
      return `<pre class="stream ${o.name}">${ansiToHtml(joinText(o.text))}</pre>`;
    case "error":
      return `<pre class="error">${ansiToHtml(o.traceback.length ? o.traceback.join("\n") : `${o.ename}: ${o.evalue}`)}</pre>`;
    default:
      return renderData(o.data, ctx);
  }
}

function plotlySource(root: string): string | null {
  // dist/renderers/plotly.min.js: the copy the plotly renderer loads (the only one a .vsix ships)
  for (const file of [join(root, "dist", "renderers", "plotly.min.js"), join(root, "node_modules", "plotly.js-dist-min", "plotly.min.js")]) if (existsSync(file)) return readFileSync(file, "utf8");
  return null;
}

/** What a cell's tags (and JupyterLab's collapsed state) ask of the export. */
export function cellVisibility(c: Cell): { removeCell: boolean; removeInput: boolean; removeOutput: boolean; hideCell: boolean; hideInput: boolean; hideOutput: boolean } {
  const tags = new Set(((c.metadata.tags ?? []) as string[]).map((t) => t.replace(/_/g, "-")));
  const jupyter = (c.metadata as { jupyter?: { source_hidden?: boolean; outputs_hidden?: boolean } }).jupyter ?? {};
  return {
    removeCell: tags.has("remove-cell"),
    removeInput: tags.has("remove-input"),
    removeOutput: tags.has("remove-output"),
    hideCell: tags.has("hide-cell"),
    hideInput: tags.has("hide-input") || jupyter.source_hidden === true,
    hideOutput: tags.has("hide-output") || jupyter.outputs_hidden === true,
  };
}

const fold = (what: string, inner: string) => `<details class="hidden-${what}"><summary>Show ${what}</summary>${inner}</details>`;

function renderCell(c: Cell, ctx: Ctx): string {
  const v = cellVisibility(c);
  if (v.removeCell) return "";
  const src = sourceText(c.source);
  let html: string;
  if (c.cell_type === "markdown") {
    if (v.removeInput) return "";
    html = `<section class="cell markdown">${resolveAttachments(renderMarkdown(src, ctx), c)}</section>`;
  } else if (c.cell_type !== "code") {
    if (v.removeInput) return "";
    html = `<section class="cell raw"><pre>${escapeHtml(src)}</pre></section>`;
  } else {
    const count = c.execution_count ?? " ";
    const tags = (c.metadata.tags ?? []).map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join("");
    let input = v.removeInput ? "" : `<div class="input"><div class="prompt">[${count}]:</div><pre class="source"><code>${escapeHtml(src)}</code></pre>${tags ? `<div class="tags">${tags}</div>` : ""}</div>`;
    if (input && v.hideInput && !v.hideCell) input = fold("input", input);
    const outs = v.removeOutput ? "" : c.outputs.map((out) => renderOutput(out, ctx)).join("\n");
    let outputs = outs ? `<div class="outputs">${outs}</div>` : "";
    if (outputs && v.hideOutput && !v.hideCell) outputs = fold("output", outputs);
    if (!input && !outputs) return "";
    html = `<section class="cell code">${input}${outputs}</section>`;
  }
  return v.hideCell ? fold("cell", html) : html;
}

const KATEX_FONT_TYPES: Record<string, string> = { woff2: "font/woff2", woff: "font/woff", ttf: "font/ttf" };

/**
 * KaTeX's stylesheet with its fonts inlined as data URIs (woff2 only: every browser that runs
 * the report reads it), and only the font families the typeset math uses: a family is kept
 * when every class of some rule that sets it occurs in the math (KaTeX_Main always).
 */
export function katexCss(root: string, usedClasses: Set<string>): string | null {
  const dist = join(root, "node_modules", "katex", "dist");
  const file = join(dist, "katex.min.css");
  if (!existsSync(file)) return null;
  const css = readFileSync(file, "utf8");
  const families = new Set(["KaTeX_Main"]);
  for (const rule of css.split("}")) {
    const family = /font-family:\s*(KaTeX_\w+)/.exec(rule)?.[1];
    if (!family || rule.startsWith("@font-face")) continue;
    const selectors = rule.slice(0, rule.indexOf("{")).split(",");
    if (selectors.some((sel) => [...sel.matchAll(/\.([\w-]+)/g)].every((m) => usedClasses.has(m[1])))) families.add(family);
  }
  return css.replace(/@font-face\{([^}]*)\}/g, (whole, body: string) => {
    const family = /font-family:\s*(KaTeX_\w+)/.exec(body)?.[1];
    if (!family || !families.has(family)) return "";
    const url = /url\((fonts\/[^)]+\.woff2)\)/.exec(body)?.[1];
    if (!url || !existsSync(join(dist, url))) return whole.replace(/url\([^)]*\)( format\("[^"]*"\))?,?/g, "");
    const type = KATEX_FONT_TYPES[url.split(".").pop()!];
    const data = readFileSync(join(dist, url)).toString("base64");
    return `@font-face{${body.replace(/src:[^;}]*/, `src:url(data:${type};base64,${data}) format("woff2")`)}}`;
  });
}

export function notebookToHtml(nb: Notebook, o: HtmlOptions = {}): string {
  const root = o.packageRoot ?? join(__dirname, "..");
  const math: MathState = { styled: existsSync(join(root, "node_modules", "katex", "dist", "katex.min.css")), used: 0, macros: {}, classes: new Set() };
  const md = new Marked({ async: false });
  md.use({ extensions: mathExtensions(math) });
  const ctx: Ctx = { figures: { n: 0 }, md, math };
  const figures = ctx.figures;
  const body = nb.cells
    .map((c) => renderCell(c, ctx))
    .filter(Boolean)
    .join("\n");
  let mathCss = "";
  if (math.used > 0 && math.styled) mathCss = katexCss(root, math.classes) ?? "";
  let plotly = "";
  if (figures.n > 0) {
    const src = plotlySource(root);
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
${ANSI_CSS}
.plot{width:100%;min-height:420px}.math.display{overflow-x:auto;overflow-y:hidden;margin:.5em 0}
details{margin:.3em 0}details>summary{cursor:pointer;color:#57606a;font-size:13px}
</style>${mathCss ? `\n<style>${mathCss}</style>` : ""}${plotly}</head>
<body><main>
${body}
</main></body></html>
`;
}
