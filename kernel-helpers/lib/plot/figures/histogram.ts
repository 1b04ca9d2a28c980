/** Feature distribution: histogram of one or several numeric columns. */
import type { NumbersLike } from "../../metrics/input";
import { toVector } from "../../metrics/input";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";

/** Options of {@link plotHistogram}. */
export interface HistogramOptions extends FigureOptions {
  /** Number of equal-width bins over the common range (default: Sturges' rule, 10–60). */
  bins?: number;
  /** Axis title of the values. */
  xTitle?: string;
}

/** Bin edges and counts of values over [min, max]. */
export function histogramCounts(values: Float64Array, edges: number[]): number[] {
  const k = edges.length - 1;
  const counts = new Array<number>(k).fill(0);
  const lo = edges[0];
  const width = (edges[k] - lo) / k;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    let b = width > 0 ? Math.floor((v - lo) / width) : 0;
    if (b >= k) b = k - 1;
    if (b < 0) b = 0;
    counts[b]++;
  }
  return counts;
}

/**
 * Histogram of a feature, or overlaid histograms of several (`{ name: values }`), binned here
 * over a common range so plotly and the static picture show the same bars.
 */
export async function plotHistogram(values: NumbersLike | Record<string, NumbersLike>, options: HistogramOptions = {}): Promise<Figure> {
  const isRecord = typeof values === "object" && values !== null && !("length" in values) && !("dataSync" in values);
  const series: [string, Float64Array][] = isRecord
    ? Object.entries(values as Record<string, NumbersLike>).map(([k, v]) => [k, toVector(v, `values.${k}`)])
    : [[options.xTitle ?? "value", toVector(values as NumbersLike, "values")]];
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (const [, v] of series)
    for (const x of v)
      if (Number.isFinite(x)) {
        if (x < min) min = x;
        if (x > max) max = x;
        n++;
      }
  if (n === 0) throw new Error("values: no finite numbers to plot");
  const bins = options.bins ?? Math.min(60, Math.max(10, Math.ceil(Math.log2(n / series.length) + 1)));
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins: must be a positive integer, got ${bins}`);
  if (max === min) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  const counted = series.map(([name, v]) => ({ name, counts: histogramCounts(v, edges) }));
  const traces = counted.map(({ name, counts }, i) => ({
    type: "bar",
    name,
    x: edges.slice(0, -1).map((e) => e + width / 2),
    y: counts,
    width,
    marker: { color: colorAt(i), opacity: series.length > 1 ? 0.6 : 1 },
  }));
  const title = options.title ?? (series.length === 1 ? `Distribution of ${series[0][0]}` : "Distributions");
  const fig = {
    data: traces,
    layout: {
      ...baseLayout(options, title),
      barmode: "overlay",
      bargap: 0,
      xaxis: { title: { text: options.xTitle ?? (series.length === 1 ? series[0][0] : "value") } },
      yaxis: { title: { text: "count" } },
    },
  };
  const rows = counted.flatMap(({ name, counts }) => counts.map((c, b) => ({ series: name, x0: edges[b], x1: edges[b + 1], count: c })));
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, fontSize: 15 },
    width: (options.width ?? 520) - 80,
    height: (options.height ?? 420) - 110,
    config: { font: "DejaVu Sans, Lato, sans-serif", axis: { gridColor: "#eee" } },
    data: { values: rows },
    mark: { type: "rect", opacity: series.length > 1 ? 0.6 : 1, stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: { field: "x0", type: "quantitative", title: options.xTitle ?? (series.length === 1 ? series[0][0] : "value"), scale: { zero: false, nice: false, domain: [min, max] } },
      x2: { field: "x1" },
      y: { field: "count", type: "quantitative", title: "count", stack: null },
      y2: { datum: 0 },
      color: {
        field: "series",
        type: "nominal",
        scale: { domain: series.map(([k]) => k), range: series.map((_, i) => colorAt(i)) },
        legend: series.length > 1 ? { title: null, orient: "bottom" } : null,
      },
    },
  };
  const text = [`<Histogram: ${bins} bins over [${min.toPrecision(4)}, ${max.toPrecision(4)}]>`, ...counted.map(({ name, counts }) => `  ${name}: ${counts.join(" ")}`)];
  return makeFigure(fig, { static: options.static, text: text.join("\n"), vegaLite });
}
