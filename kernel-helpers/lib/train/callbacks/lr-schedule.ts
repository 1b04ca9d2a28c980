/** Learning-rate schedules and the callback that applies them at each epoch start. */
import type { TrainCallback } from "../fit/types";

/** Maps a 1-based epoch and the initial learning rate to the epoch's learning rate. */
export type Schedule = (epoch: number, initialLr: number) => number;

/** Multiplies the rate by `factor` every `every` epochs. */
export function stepDecay(every: number, factor = 0.5): Schedule {
  return (epoch, lr0) => lr0 * Math.pow(factor, Math.floor((epoch - 1) / every));
}

/** lr0 · rate^(epoch-1). */
export function exponentialDecay(rate: number): Schedule {
  return (epoch, lr0) => lr0 * Math.pow(rate, epoch - 1);
}

/** Cosine annealing from lr0 to `minLr` over `epochs` epochs (optional linear warm-up). */
export function cosineDecay(epochs: number, minLr = 0, warmupEpochs = 0): Schedule {
  return (epoch, lr0) => {
    if (epoch <= warmupEpochs) return (lr0 * epoch) / (warmupEpochs + 1);
    const t = Math.min(1, (epoch - 1 - warmupEpochs) / Math.max(1, epochs - 1 - warmupEpochs));
    return minLr + 0.5 * (lr0 - minLr) * (1 + Math.cos(Math.PI * t));
  };
}

/** Applies `schedule` at the start of every epoch (Keras LearningRateScheduler). */
export function lrScheduler(schedule: Schedule): TrainCallback {
  let lr0 = NaN;
  return {
    onTrainBegin(ctx) {
      lr0 = ctx.learningRate();
    },
    onEpochBegin(epoch, ctx) {
      ctx.setLearningRate(schedule(epoch, lr0));
    },
  };
}

/** Divides the rate by `1/factor` when `monitor` stalls for `patience` epochs (Keras ReduceLROnPlateau). */
export function reduceLrOnPlateau(options: { monitor?: string; factor?: number; patience?: number; minLr?: number } = {}): TrainCallback {
  const factor = options.factor ?? 0.5;
  const patience = options.patience ?? 2;
  let best = Infinity;
  let wait = 0;
  return {
    onEpochEnd(_e, logs, ctx) {
      const key = options.monitor ?? (ctx.params.hasValidation ? "val_loss" : "loss");
      const v = logs[key] as number;
      if (v < best) {
        best = v;
        wait = 0;
      } else if (++wait >= patience) {
        ctx.setLearningRate(Math.max(options.minLr ?? 0, ctx.learningRate() * factor));
        wait = 0;
      }
    },
  };
}
