/**
 * Live training curves: a plotly chart of loss and metrics per epoch, shown when training starts,
 * redrawn in place at every epoch end (plotly only, fast), and drawn once more with the static
 * SVG/PNG fallbacks when training ends, so the saved notebook keeps a picture of the curves.
 */
import { inKernel } from "../../display/display";
import { type LiveTrainingCurves, showTrainingCurves } from "../../plot/figures/training-curves";
import type { History, TrainCallback } from "../fit/types";

/** Options of the curves callback. */
export interface CurvesOptions {
  /**
   * Series to draw, by base name: `["loss", "acc"]` draws loss, val_loss, acc and val_acc (the
   * `val_` series when there is validation data). Default: every loss and metric series (not
   * the bookkeeping ones: `lr`, `seconds`, `samplesPerSec`).
   */
  metrics?: string[];
  title?: string;
  width?: number;
  height?: number;
}

const BOOKKEEPING = new Set(["lr", "seconds", "samplesPerSec"]);

/** The series of a history to draw (Keras-style: name → value per epoch). */
export function curveSeries(history: History, metrics: readonly string[] | undefined, hasValidation: boolean): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  if (metrics) {
    for (const m of metrics) {
      out[m] = [...(history.history[m] ?? [])];
      if (hasValidation) out[`val_${m}`] = [...(history.history[`val_${m}`] ?? [])];
    }
    return out;
  }
  for (const [k, v] of Object.entries(history.history)) if (!BOOKKEEPING.has(k)) out[k] = [...v];
  if (Object.keys(out).length === 0) {
    out.loss = [];
    if (hasValidation) out.val_loss = [];
  }
  return out;
}

/**
 * A callback that shows live training curves (one display, updated in place every epoch, static
 * fallbacks added at the end). Outside a kernel it does nothing.
 * ```ts
 * await fit(model, x, y, { epochs: 8, validationSplit: 0.1, callbacks: [callbacks.curves({ metrics: ["loss", "acc"] })] });
 * ```
 */
export function curves(options: CurvesOptions = {}): TrainCallback {
  if (options.metrics && options.metrics.length === 0) throw new Error("curves: metrics must name at least one series (e.g. [\"loss\"])");
  const figureOptions = { title: options.title, width: options.width, height: options.height };
  let live: LiveTrainingCurves | undefined;
  let hasValidation = false;
  return {
    async onTrainBegin(ctx) {
      if (!inKernel()) return;
      hasValidation = ctx.params.hasValidation;
      live = await showTrainingCurves(curveSeries(ctx.history, options.metrics, hasValidation), figureOptions);
    },
    async onEpochEnd(_epoch, _logs, ctx) {
      await live?.update(curveSeries(ctx.history, options.metrics, hasValidation));
    },
    async onTrainEnd(history) {
      await live?.finish(curveSeries(history, options.metrics, hasValidation));
    },
  };
}
