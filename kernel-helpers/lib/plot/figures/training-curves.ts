/** Training curves: loss and metrics per epoch, updatable in place while a model trains. */
import { type DisplayHandle, display } from "../../display/display";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";
import type { PlotlyTrace } from "../plotly";

/**
 * A training history: `{ epoch: [0, 1, …], loss: […], val_loss: […], acc: […] }`.
 * A tfjs `History` (`{ epoch, history: { loss, … } }`) is accepted too.
 */
export interface TrainingHistory {
  epoch?: readonly number[];
  history?: Record<string, readonly number[]>;
  [metric: string]: readonly number[] | Record<string, readonly number[]> | undefined;
}

/** What the curves are drawn from: a {@link TrainingHistory}, or anything with a Keras-style `history` (e.g. what `fit` returns). */
export type TrainingHistoryLike = TrainingHistory | { readonly history: Readonly<Record<string, readonly number[]>> };

function seriesOf(like: TrainingHistoryLike): { epochs: number[]; series: [string, readonly number[]][] } {
  const history = like as TrainingHistory;
  const source = (history.history && !Array.isArray(history.history) ? history.history : history) as Record<string, unknown>;
  const series: [string, readonly number[]][] = [];
  for (const [k, v] of Object.entries(source)) {
    if (k === "epoch" || k === "history") continue;
    if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new Error(`history.${k}: expected an array of numbers per epoch`);
    series.push([k, Array.from(v as ArrayLike<number>)]);
  }
  if (series.length === 0) throw new Error("history: no metric series (expected e.g. { epoch, loss, val_loss })");
  const n = Math.max(...series.map(([, v]) => v.length));
  const epochs = history.epoch ? Array.from(history.epoch) : Array.from({ length: n }, (_, i) => i + 1);
  return { epochs, series };
}

/**
 * Line charts of a training history: losses on the left, other metrics on the right
 * (validation series dashed, in the colour of their training series). Returns a Figure;
 * show it with `const h = display(fig)` and refresh it each epoch with
 * `h.update(await plotTrainingCurves(history, { static: false }))` (fast, plotly only),
 * then once more with static fallbacks at the end so the saved notebook keeps a picture.
 */
export async function plotTrainingCurves(history: TrainingHistoryLike, options: FigureOptions = {}): Promise<Figure> {
  const { epochs, series } = seriesOf(history);
  const base = (k: string) => k.replace(/^val_/, "");
  const bases = [...new Set(series.map(([k]) => base(k)))];
  const hasMetrics = series.some(([k]) => !/loss/i.test(k));
  const traces: PlotlyTrace[] = series.map(([k, v]) => {
    const isLoss = /loss/i.test(k);
    const panel = isLoss || !hasMetrics ? 1 : 2;
    return {
      type: "scatter",
      mode: v.length > 30 ? "lines" : "lines+markers",
      name: k,
      x: epochs.slice(0, v.length),
      y: [...v],
      line: { color: colorAt(bases.indexOf(base(k))), dash: k.startsWith("val_") ? "dash" : "solid" },
      xaxis: panel === 1 ? "x" : "x2",
      yaxis: panel === 1 ? "y" : "y2",
    };
  });
  const layout: Record<string, unknown> = {
    ...baseLayout({ width: hasMetrics ? 860 : 520, height: 380, ...options }, "Training curves"),
    xaxis: { title: { text: "epoch" }, domain: hasMetrics ? [0, 0.45] : [0, 1] },
    yaxis: { title: { text: "loss" } },
  };
  if (hasMetrics) {
    layout.xaxis2 = { title: { text: "epoch" }, domain: [0.55, 1], anchor: "y2" };
    layout.yaxis2 = { title: { text: "metric" }, anchor: "x2" };
  }
  const last = series.map(([k, v]) => `${k}=${v.length ? Number(v[v.length - 1]).toPrecision(4) : "–"}`).join(", ");
  return makeFigure(
    { data: traces, layout },
    { static: options.static, text: `<Training curves: ${epochs.length} epochs; last ${last}>` },
  );
}

/** A training-curves display kept up to date while a model trains. */
export interface LiveTrainingCurves {
  /** The display's handle (its id is reused by every update). */
  readonly handle: DisplayHandle;
  /** Replaces the chart with the current history (plotly only: fast enough for every epoch). */
  update(history: TrainingHistoryLike): Promise<Figure>;
  /** Final update with the static SVG/PNG fallbacks, so the saved notebook keeps a picture. */
  finish(history: TrainingHistoryLike): Promise<Figure>;
}

/**
 * Shows training curves and returns an object to refresh them in place (same display id):
 * `const live = await showTrainingCurves(h); … await live.update(h); … await live.finish(h)`.
 */
export async function showTrainingCurves(history: TrainingHistoryLike, options: FigureOptions = {}): Promise<LiveTrainingCurves> {
  const first = await plotTrainingCurves(history, { ...options, static: false });
  const handle = display(first);
  return {
    handle,
    async update(h) {
      const fig = await plotTrainingCurves(h, { ...options, static: false });
      handle.update(fig);
      return fig;
    },
    async finish(h) {
      const fig = await plotTrainingCurves(h, { ...options, static: true });
      handle.update(fig);
      return fig;
    },
  };
}
