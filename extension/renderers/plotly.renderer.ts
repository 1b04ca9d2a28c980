/**
 * Renderer for plotly figures (application/vnd.plotly.v1+json — every Sciforge figure carries
 * one): plotly.js from dist/renderers/plotly.min.js beside this module (the one copy the
 * extension ships: the HTML export inlines the same file), loaded once, nothing fetched from the
 * network; colours follow the editor theme.
 */
import type PlotlyApi from "plotly.js-dist-min";
import type { ActivationFunction } from "./api";
import { el, ensureStyle, BASE_CSS, isRecord, renderError, themeVar, type Incoming } from "./dom";
import type { PlotlyPayload } from "../../kernel-helpers/lib/payloads";

/** This module's URL in the webview (esbuild defines it as import.meta.url). */
declare const SCIFORGE_RENDERER_URL: string;

const plots = new Map<string, HTMLElement>();
let plotly: Promise<typeof PlotlyApi> | undefined;

/** plotly.js (a UMD script that defines window.Plotly), added to the webview once. */
function loadPlotly(): Promise<typeof PlotlyApi> {
  plotly ??= new Promise((resolve, reject) => {
    const w = window as unknown as { Plotly?: typeof PlotlyApi };
    if (w.Plotly) return resolve(w.Plotly);
    const script = document.createElement("script");
    script.src = new URL("./plotly.min.js", SCIFORGE_RENDERER_URL).href;
    script.onload = () => (w.Plotly ? resolve(w.Plotly) : reject(new Error(`${script.src} did not define Plotly`)));
    script.onerror = () => reject(new Error(`cannot load ${script.src}`));
    document.head.appendChild(script);
  });
  plotly.catch(() => (plotly = undefined));
  return plotly;
}

function themed(layout: Record<string, unknown>): Record<string, unknown> {
  const fg = themeVar("--vscode-editor-foreground", "#444");
  const grid = themeVar("--vscode-editorWidget-border", "rgba(128,128,128,0.3)");
  const axis = (a: unknown) => ({ gridcolor: grid, zerolinecolor: grid, linecolor: grid, ...(isRecord(a) ? a : {}) });
  const out: Record<string, unknown> = { ...layout, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" };
  out.font = { color: fg, ...(isRecord(layout.font) ? layout.font : {}) };
  for (const k of Object.keys(layout)) if (/^[xy]axis\d*$/.test(k)) out[k] = axis(layout[k]);
  if (!("xaxis" in out)) out.xaxis = axis(undefined);
  if (!("yaxis" in out)) out.yaxis = axis(undefined);
  return out;
}

export const activate: ActivationFunction = () => {
  ensureStyle("sciforge-base", BASE_CSS);
  return {
    async renderOutputItem(item, element) {
      try {
        const json = item.json();
        const fig: Incoming<PlotlyPayload> = isRecord(json) ? json : {};
        if (!Array.isArray(fig.data)) throw new Error("not a plotly figure ({ data, layout })");
        const div = el("div", undefined, "sciforge-out sciforge-plotly");
        element.replaceChildren(div);
        const layout = isRecord(fig.layout) ? fig.layout : {};
        const config = { responsive: true, displaylogo: false, ...(isRecord(fig.config) ? fig.config : {}) };
        const Plotly = await loadPlotly();
        await Plotly.newPlot(div, fig.data, themed(layout), config);
        plots.set(item.id, div);
      } catch (e) {
        renderError(element, "plotly figure", e);
      }
    },
    disposeOutputItem(id) {
      for (const [k, div] of plots) {
        if (id === undefined || id === k) {
          void plotly?.then((Plotly) => Plotly.purge(div));
          plots.delete(k);
        }
      }
    },
  };
};
