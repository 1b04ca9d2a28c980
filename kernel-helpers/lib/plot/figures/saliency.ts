/** Saliency over input positions: one line per series (class, model, …). */
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";

/** Options of {@link plotSaliency}. */
export interface PlotSaliencyOptions extends FigureOptions {
  /** Label of the first position (default 1: positions are 1-based). */
  start?: number;
  /** x value of every position (e.g. wavelengths); overrides `start`. */
  x?: readonly number[];
  /** Title of the position axis (default "position"). */
  xTitle?: string;
  /** Scale each series so that its largest value is 1 (default false). */
  normalize?: boolean;
  /** Title of the value axis (default "mean |∂ score / ∂ input|", or "relative saliency" when normalized). */
  valueTitle?: string;
  /** Positions listed per series in the text fallback (default 5). */
  top?: number;
}

/** What the figure reads of a saliency map (train's `SaliencyMap` is one): its per-position values. */
export interface PositionSaliency {
  positions: ArrayLike<number>;
}

type Series = ArrayLike<number> | PositionSaliency;

function valuesOf(s: Series, name: string): number[] {
  const v = s && typeof s === "object" && "positions" in s ? (s as PositionSaliency).positions : (s as ArrayLike<number>);
  if (!v || typeof v.length !== "number" || v.length === 0) throw new Error(`plotSaliency: series "${name}" has no values`);
  const out = Array.from(v, Number);
  const bad = out.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new Error(`plotSaliency: series "${name}" has a non-finite value at index ${bad}`);
  return out;
}

/**
 * Line chart of saliency per position: `plotSaliency(map)` for one `SaliencyMap` (from `saliency()`) (or array),
 * `plotSaliency({ ei: a, ie: b })` for several. The text fallback lists each series' top positions.
 * @example display(await plotSaliency({ donor: sEi, acceptor: sIe }, { normalize: true }))
 */
export async function plotSaliency(series: Series | Record<string, Series>, options: PlotSaliencyOptions = {}): Promise<Figure> {
  const single = ArrayBuffer.isView(series) || Array.isArray(series) || (typeof series === "object" && series !== null && "positions" in series);
  const named: [string, Series][] = single ? [["saliency", series as Series]] : Object.entries(series as Record<string, Series>);
  if (named.length === 0) throw new Error("plotSaliency: no series to plot");
  const start = options.start ?? 1;
  const xOf = (p: number) => (options.x ? options.x[p] : p + start);
  const rows = named.map(([name, s]) => {
    let v = valuesOf(s, name);
    if (options.x && options.x.length !== v.length) throw new Error(`plotSaliency: x has ${options.x.length} values but series "${name}" has ${v.length}`);
    if (options.normalize) {
      const max = Math.max(...v.map(Math.abs));
      if (max > 0) v = v.map((x) => x / max);
    }
    return { name, v };
  });
  const traces = rows.map(({ name, v }, i) => ({
    type: "scatter",
    mode: "lines+markers",
    name,
    x: v.map((_, p) => xOf(p)),
    y: v,
    line: { color: colorAt(i), width: 2 },
    marker: { color: colorAt(i), size: 4 },
  }));
  const fig = {
    data: traces,
    layout: {
      ...baseLayout({ width: 640, height: 360, ...options }, "Saliency by position"),
      showlegend: rows.length > 1,
      xaxis: { title: { text: options.xTitle ?? "position" } },
      yaxis: { title: { text: options.valueTitle ?? (options.normalize ? "relative saliency" : "mean |∂ score / ∂ input|") } },
    },
  };
  const top = options.top ?? 5;
  const text = [
    `<Saliency by position: ${rows.length} series × ${rows[0].v.length} positions>`,
    ...rows.map(({ name, v }) => {
      const best = v.map((x, p) => [x, xOf(p)] as const).sort((a, b) => b[0] - a[0]).slice(0, top);
      return `  ${name}: top positions ${best.map(([x, p]) => `${p} (${x.toPrecision(3)})`).join(", ")}`;
    }),
  ];
  return makeFigure(fig, { static: options.static, text: text.join("\n") });
}
