/**
 * Renderer for plotly figures (application/vnd.plotly.v1+json — every Sciforge figure carries
 * one): plotly.js bundled in, nothing fetched; colours follow the editor theme.
 */
import Plotly from "plotly.js-dist-min";
import type { ActivationFunction } from "./api";
import { el, ensureStyle, BASE_CSS, isRecord, renderError, themeVar } from "./dom";

const plots = new Map<string, HTMLElement>();

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
        const fig = item.json();
        if (!isRecord(fig) || !Array.isArray(fig.data)) throw new Error("not a plotly figure ({ data, layout })");
        const div = el("div", undefined, "sciforge-out sciforge-plotly");
        element.replaceChildren(div);
        const layout = isRecord(fig.layout) ? fig.layout : {};
        const config = { responsive: true, displaylogo: false, ...(isRecord(fig.config) ? fig.config : {}) };
        await Plotly.newPlot(div, fig.data, themed(layout), config);
        plots.set(item.id, div);
      } catch (e) {
        renderError(element, "plotly figure", e);
      }
    },
    disposeOutputItem(id) {
      for (const [k, div] of plots) {
        if (id === undefined || id === k) {
          Plotly.purge(div);
          plots.delete(k);
        }
      }
    },
  };
};
