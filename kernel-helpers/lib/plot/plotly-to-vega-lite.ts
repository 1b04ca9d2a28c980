/**
 * Best-effort translation of a plotly figure into a Vega-Lite spec, for the static SVG/PNG
 * fallback. Supported: scatter / scattergl (lines, markers, both; dash; step shapes), bar
 * (vertical, horizontal, grouped or stacked), heatmap (with cell text), histogram; subplots
 * placed by their x-axis domain side by side. Anything else throws {@link UnsupportedFigureError}
 * and the caller falls back to text/plain only.
 */
import { colorAt } from "./palette";
import { type PlotlyAxis, type PlotlyFigure, type PlotlyTrace, titleText } from "./plotly";
import type { VegaLiteSpec } from "./vega-static";

/** Thrown when a figure uses a trace type or feature the static renderer does not map. */
export class UnsupportedFigureError extends Error {}

/** Points drawn per trace in the static picture at most (evenly subsampled beyond). */
export const STATIC_MAX_POINTS = 5000;

const SUPPORTED = new Set(["scatter", "scattergl", "bar", "heatmap", "histogram"]);

type Row = Record<string, unknown>;

function axisKey(t: PlotlyTrace): string {
  return `${t.xaxis ?? "x"}|${t.yaxis ?? "y"}`;
}

function layoutAxis(layout: Record<string, unknown>, ref: string, letter: "x" | "y"): PlotlyAxis {
  const suffix = ref.slice(1);
  return (layout[`${letter}axis${suffix}`] as PlotlyAxis | undefined) ?? {};
}

function stride(n: number): number {
  return n > STATIC_MAX_POINTS ? Math.ceil(n / STATIC_MAX_POINTS) : 1;
}

function dashArray(dash: string | undefined): number[] | undefined {
  if (!dash || dash === "solid") return undefined;
  if (dash === "dot") return [2, 3];
  if (dash === "dashdot") return [6, 3, 2, 3];
  return [6, 4];
}

function seriesName(t: PlotlyTrace, i: number): string {
  return t.name ?? `trace ${i}`;
}

function axisEncoding(axis: PlotlyAxis, field: string, type: "quantitative" | "nominal", fallbackTitle?: string): Record<string, unknown> {
  const enc: Record<string, unknown> = { field, type, title: titleText(axis.title) ?? fallbackTitle ?? null };
  const scale: Record<string, unknown> = {};
  if (type === "quantitative") {
    if (axis.range) {
      scale.domain = axis.type === "log" ? axis.range.map((v) => 10 ** v) : axis.range;
      scale.nice = false;
      scale.zero = false;
    } else scale.zero = false;
    if (axis.type === "log") scale.type = "log";
  }
  if (axis.autorange === "reversed") scale.reverse = true;
  if (Object.keys(scale).length) enc.scale = scale;
  return enc;
}

function isNumeric(values: readonly unknown[] | undefined): boolean {
  return !!values && values.every((v) => typeof v === "number");
}

/** The layers of one subplot. */
function panel(traces: { t: PlotlyTrace; i: number }[], xAxis: PlotlyAxis, yAxis: PlotlyAxis, layout: PlotlyFigure["layout"], width: number, height: number): VegaLiteSpec {
  const layers: VegaLiteSpec[] = [];
  const colorDomain: string[] = [];
  const colorRange: string[] = [];
  const legendSeries = traces.filter(({ t }) => (t.type ?? "scatter") !== "heatmap" && t.showlegend !== false);
  const colorOf = (t: PlotlyTrace, i: number) => {
    const c = t.line?.color ?? t.marker?.color;
    return typeof c === "string" ? c : colorAt(i);
  };
  for (const { t, i } of legendSeries) {
    colorDomain.push(seriesName(t, i));
    colorRange.push(colorOf(t, i));
  }
  const showLegend = legendSeries.length > 1 || (layout?.showlegend === true && legendSeries.length > 0);
  const color = { field: "series", type: "nominal", scale: { domain: colorDomain, range: colorRange }, legend: showLegend ? { title: null, orient: "bottom", columns: 2, labelLimit: 320 } : null };
  const bars = traces.filter(({ t }) => t.type === "bar");
  for (const { t, i } of traces) {
    const type = t.type ?? "scatter";
    if (!SUPPORTED.has(type)) throw new UnsupportedFigureError(`trace type "${type}" has no static rendering`);
    const name = seriesName(t, i);
    if (type === "scatter" || type === "scattergl") {
      const x = t.x ?? (t.y ?? []).map((_, k) => k);
      const y = t.y ?? [];
      const s = stride(y.length);
      const values: Row[] = [];
      for (let k = 0; k < y.length; k += s) if (y[k] !== null && x[k] !== null) values.push({ x: x[k], y: y[k], series: name, order: k });
      const mode = t.mode ?? (y.length > 20 ? "lines" : "lines+markers");
      const lines = mode.includes("lines");
      const markers = mode.includes("markers");
      const mark: Record<string, unknown> = lines
        ? { type: "line", point: markers ? { filled: true, size: 30 } : false, strokeWidth: t.line?.width ?? 2 }
        : { type: "point", filled: true, size: (t.marker?.size ?? 6) * 6, opacity: t.marker?.opacity ?? 0.7 };
      const dash = dashArray(t.line?.dash);
      if (dash) mark.strokeDash = dash;
      if (t.line?.shape === "hv") mark.interpolate = "step-after";
      if (t.line?.shape === "vh") mark.interpolate = "step-before";
      layers.push({
        data: { values },
        mark,
        encoding: {
          x: axisEncoding(xAxis, "x", isNumeric(x) ? "quantitative" : "nominal"),
          y: axisEncoding(yAxis, "y", "quantitative"),
          color,
          order: { field: "order", type: "quantitative" },
        },
      });
    } else if (type === "bar") {
      const horizontal = t.orientation === "h";
      const cat = (horizontal ? t.y : t.x) ?? [];
      const val = (horizontal ? t.x : t.y) ?? [];
      const values = val.map((v, k) => ({ cat: cat[k] ?? k, val: v, series: name }));
      const catAxis = horizontal ? yAxis : xAxis;
      const valAxis = horizontal ? xAxis : yAxis;
      const catEnc = { ...axisEncoding(catAxis, "cat", isNumeric(cat) && cat.length > 30 ? "quantitative" : "nominal"), sort: null };
      const valEnc = { ...axisEncoding(valAxis, "val", "quantitative"), stack: layout?.barmode === "stack" ? "zero" : null };
      const encoding: Record<string, unknown> = horizontal ? { y: catEnc, x: valEnc, color } : { x: catEnc, y: valEnc, color };
      if (bars.length > 1 && layout?.barmode !== "stack" && layout?.barmode !== "overlay")
        encoding[horizontal ? "yOffset" : "xOffset"] = { field: "series", sort: colorDomain };
      layers.push({ data: { values }, mark: { type: "bar" }, encoding });
    } else if (type === "histogram") {
      const x = t.x ?? [];
      layers.push({
        data: { values: x.map((v) => ({ x: v, series: name })) },
        mark: { type: "bar", opacity: traces.length > 1 ? 0.6 : 1 },
        encoding: {
          x: { ...axisEncoding(xAxis, "x", "quantitative"), bin: { maxbins: t.nbinsx ?? 30 } },
          y: { aggregate: "count", type: "quantitative", title: titleText(yAxis.title) ?? "count", stack: null },
          color,
        },
      });
    } else if (type === "heatmap") {
      const z = t.z ?? [];
      const xs = t.x ?? (z[0] ?? []).map((_, j) => j);
      const ys = t.y ?? z.map((_, r) => r);
      const text = Array.isArray(t.text) ? (t.text as readonly (readonly string[])[]) : undefined;
      const values: Row[] = [];
      let max = -Infinity;
      let min = Infinity;
      z.forEach((row, r) =>
        row.forEach((v, c) => {
          if (v === null) return;
          max = Math.max(max, v);
          min = Math.min(min, v);
          values.push({ x: String(xs[c]), y: String(ys[r]), z: v, label: text?.[r]?.[c] ?? formatCell(v) });
        }),
      );
      const xEnc = { ...axisEncoding(xAxis, "x", "nominal"), sort: xs.map(String), axis: { labelAngle: 0, grid: false } };
      // plotly draws y[0] at the bottom unless the axis is reversed; Vega-Lite lists nominal y top-down.
      const ySort = yAxis.autorange === "reversed" ? ys.map(String) : ys.map(String).reverse();
      const yEnc = { ...axisEncoding({ ...yAxis, autorange: undefined }, "y", "nominal"), sort: ySort, axis: { grid: false } };
      layers.push({
        data: { values },
        mark: { type: "rect" },
        encoding: { x: xEnc, y: yEnc, color: { field: "z", type: "quantitative", title: null, scale: colorScale(t) } },
      });
      if (t.texttemplate !== undefined || text) {
        const mid = (max + min) / 2;
        const darkHigh = darkAtHigh(t);
        layers.push({
          data: { values },
          mark: { type: "text", fontSize: 12 },
          encoding: {
            x: xEnc,
            y: yEnc,
            text: { field: "label" },
            color: darkHigh === null ? { value: "black" } : { condition: { test: `datum.z ${darkHigh ? ">" : "<="} ${mid}`, value: "white" }, value: "black" },
          },
        });
      }
    }
  }
  // One legend for the panel; a heatmap's quantitative colour needs its own scale.
  const hasHeatmap = traces.some(({ t }) => t.type === "heatmap");
  return { width, height, layer: layers, resolve: { scale: { color: hasHeatmap ? "independent" : "shared" } } };
}

function formatCell(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/**
 * Converts a plotly figure to a Vega-Lite spec. Throws {@link UnsupportedFigureError} for trace
 * types it cannot draw.
 */
export function plotlyToVegaLite(fig: PlotlyFigure): VegaLiteSpec {
  const layout = (fig.layout ?? {}) as Record<string, unknown>;
  if (!Array.isArray(fig.data)) throw new UnsupportedFigureError("figure.data must be an array of traces");
  const groups = new Map<string, { t: PlotlyTrace; i: number }[]>();
  fig.data.forEach((t, i) => {
    const k = axisKey(t);
    groups.set(k, [...(groups.get(k) ?? []), { t, i }]);
  });
  if (groups.size === 0) throw new UnsupportedFigureError("figure has no traces");
  const totalWidth = Number(fig.layout?.width ?? (groups.size > 1 ? 800 : 480)) - 80;
  const height = Number(fig.layout?.height ?? 360) - 110;
  const panels = [...groups.entries()].map(([k, traces]) => {
    const [xr, yr] = k.split("|");
    const xAxis = layoutAxis(layout, xr, "x");
    const yAxis = layoutAxis(layout, yr, "y");
    const share = xAxis.domain ? xAxis.domain[1] - xAxis.domain[0] : 1 / groups.size;
    const p = panel(traces, xAxis, yAxis, fig.layout, Math.max(120, Math.round(totalWidth * share) - (groups.size > 1 ? 40 : 0)), Math.max(120, height));
    return { p, left: xAxis.domain?.[0] ?? 0 };
  });
  panels.sort((a, b) => a.left - b.left);
  const title = titleText(fig.layout?.title);
  const base: VegaLiteSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: { view: { stroke: "#ddd" }, axis: { grid: true, gridColor: "#eee" }, font: "DejaVu Sans, Lato, sans-serif" },
  };
  if (title) base.title = { text: title, fontSize: 15 };
  if (panels.length === 1) return { ...base, ...panels[0].p };
  return { ...base, hconcat: panels.map((x) => x.p), resolve: { scale: { color: "independent" } } };
}

/**
 * Plotly's named heatmap colour scales and the Vega scheme that draws the same colours. `flip`:
 * plotly runs the scale the other way round (its Blues, Greens, Greys, YlGnBu, YlOrRd and RdBu
 * start with the dark / blue end at the lowest value).
 */
const COLOR_SCALES: Record<string, { scheme: string; flip: boolean; diverging?: boolean }> = {
  blues: { scheme: "blues", flip: true },
  greens: { scheme: "greens", flip: true },
  greys: { scheme: "greys", flip: true },
  reds: { scheme: "reds", flip: false },
  ylgnbu: { scheme: "yellowgreenblue", flip: true },
  ylorrd: { scheme: "yelloworangered", flip: true },
  rdbu: { scheme: "redblue", flip: true, diverging: true },
  viridis: { scheme: "viridis", flip: false },
  cividis: { scheme: "cividis", flip: false },
};

function scaleOf(t: PlotlyTrace): { scheme: string; reverse: boolean; diverging: boolean; known: boolean } {
  const name = typeof t.colorscale === "string" ? t.colorscale.toLowerCase() : "";
  const entry = COLOR_SCALES[name];
  if (!entry) return { scheme: "blues", reverse: false, diverging: false, known: false };
  return { scheme: entry.scheme, reverse: entry.flip !== (t.reversescale === true), diverging: entry.diverging === true, known: true };
}

/** The Vega-Lite colour scale for a heatmap trace (unknown plotly scales draw as blues, high = dark). */
function colorScale(t: PlotlyTrace): Record<string, unknown> {
  const s = scaleOf(t);
  const scale: Record<string, unknown> = { scheme: s.scheme };
  if (s.reverse) scale.reverse = true;
  if (typeof t.zmid === "number") scale.domainMid = t.zmid;
  return scale;
}

/** Whether high values are drawn dark (white labels there); null for diverging scales (dark at both ends). */
function darkAtHigh(t: PlotlyTrace): boolean | null {
  const s = scaleOf(t);
  if (s.diverging) return null;
  if (!s.known) return true;
  // Vega's sequential schemes run light → dark except viridis/cividis (dark → light).
  const vegaDarkHigh = s.scheme !== "viridis" && s.scheme !== "cividis";
  return vegaDarkHigh !== s.reverse;
}
