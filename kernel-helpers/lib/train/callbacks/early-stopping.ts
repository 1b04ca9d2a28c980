/** Early stopping: stops when a monitored metric has not improved for `patience` epochs. */
import type { Tensor } from "@tensorflow/tfjs";
import type { EpochRecord, TrainCallback } from "../fit/types";

/** Options of `earlyStopping`. */
export interface EarlyStoppingOptions {
  /** Metric to watch (default "val_loss", or "loss" when there is no validation data). */
  monitor?: string;
  /** "min" for losses, "max" for accuracies; "auto" guesses from the name. */
  mode?: "min" | "max" | "auto";
  /** Epochs without improvement before stopping. Default 3. */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Put back the best epoch's weights when stopping or at the end. Default true. */
  restoreBestWeights?: boolean;
}

/** Whether larger is better for a metric name. */
export function higherIsBetter(monitor: string, mode: "min" | "max" | "auto" = "auto"): boolean {
  if (mode !== "auto") return mode === "max";
  return /acc|auc|precision|recall|f1|r2/i.test(monitor);
}

/** Picks the monitored value from an epoch record; throws a clear error when it is absent. */
export function monitored(logs: EpochRecord, monitor: string): number {
  const v = logs[monitor];
  if (typeof v !== "number") throw new Error(`callback monitors "${monitor}" but the epoch logs have only ${Object.keys(logs).join(", ")}`);
  return v;
}

/** Keras-like EarlyStopping callback. */
export function earlyStopping(options: EarlyStoppingOptions = {}): TrainCallback {
  const patience = options.patience ?? 3;
  const minDelta = Math.abs(options.minDelta ?? 0);
  const restore = options.restoreBestWeights !== false;
  let monitor = "";
  let best = NaN;
  let bestEpoch = 0;
  let wait = 0;
  let bestWeights: Tensor[] | undefined;
  const dropWeights = () => {
    bestWeights?.forEach((t) => t.dispose());
    bestWeights = undefined;
  };
  return {
    onTrainBegin(ctx) {
      monitor = options.monitor ?? (ctx.params.hasValidation ? "val_loss" : "loss");
      best = NaN;
      wait = 0;
      dropWeights();
    },
    onEpochEnd(epoch, logs, ctx) {
      const v = monitored(logs, monitor);
      const up = higherIsBetter(monitor, options.mode);
      const improved = Number.isNaN(best) || (up ? v > best + minDelta : v < best - minDelta);
      if (improved) {
        best = v;
        bestEpoch = epoch;
        wait = 0;
        if (restore) {
          dropWeights();
          bestWeights = ctx.model.getWeights().map((w) => w.clone());
        }
        return;
      }
      wait++;
      if (wait >= patience) {
        ctx.stop("early-stopping", `early stopping after epoch ${epoch}: ${monitor} did not improve for ${patience} epochs (best ${best.toPrecision(4)} at epoch ${bestEpoch}${restore ? ", weights restored" : ""})`);
      }
    },
    onTrainEnd(_history, ctx) {
      if (restore && bestWeights && bestEpoch !== ctx.history.epochs.length) ctx.model.setWeights(bestWeights);
      dropWeights();
    },
  };
}
