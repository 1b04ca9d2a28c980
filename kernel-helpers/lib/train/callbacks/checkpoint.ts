/** Saves the best model (by a monitored metric) to disk at epoch ends. */
import { saveModel } from "../io/file-handler";
import type { TrainCallback } from "../fit/types";
import { higherIsBetter, monitored } from "./early-stopping";

/** Options of `modelCheckpoint`. */
export interface CheckpointOptions {
  /** Directory that receives model.json + weights.bin. */
  dir: string;
  /** Metric to watch (default "val_loss", or "loss" without validation data). */
  monitor?: string;
  mode?: "min" | "max" | "auto";
  /** Save only when the metric improves (default true); false saves every epoch. */
  saveBestOnly?: boolean;
  /** Called after each save. */
  onSave?: (epoch: number, value: number) => void;
}

/** Keras-like ModelCheckpoint: writes the model atomically (tmp file + rename). */
export function modelCheckpoint(options: CheckpointOptions): TrainCallback {
  let best = NaN;
  return {
    onTrainBegin() {
      best = NaN;
    },
    async onEpochEnd(epoch, logs, ctx) {
      const monitor = options.monitor ?? (ctx.params.hasValidation ? "val_loss" : "loss");
      const v = monitored(logs, monitor);
      const up = higherIsBetter(monitor, options.mode);
      const improved = Number.isNaN(best) || (up ? v > best : v < best);
      if (options.saveBestOnly === false || improved) {
        if (improved) best = v;
        await saveModel(ctx.model, options.dir);
        options.onSave?.(epoch, v);
      }
    },
  };
}
