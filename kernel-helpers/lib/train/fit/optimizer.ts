/** Optimizer construction and learning-rate access for the training loop. */
import type { Optimizer } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import type { FitOptions } from "./types";

/** Builds the optimizer `fit` uses from a name or passes an instance through. */
export function makeOptimizer(spec: FitOptions["optimizer"], learningRate?: number): Optimizer {
  const tf = tfjs();
  if (spec && typeof spec === "object") return spec;
  switch (spec ?? "adam") {
    case "sgd":
      return tf.train.sgd(learningRate ?? 1e-2);
    case "momentum":
      return tf.train.momentum(learningRate ?? 1e-2, 0.9);
    case "rmsprop":
      return tf.train.rmsprop(learningRate ?? 1e-3);
    case "adam":
      return tf.train.adam(learningRate ?? 1e-3);
    default:
      throw new Error(`fit: unknown optimizer ${JSON.stringify(spec)}`);
  }
}

type WithLr = { learningRate?: number; setLearningRate?: (lr: number) => void };

/** The optimizer's current learning rate (NaN when it has none). */
export function getLearningRate(opt: Optimizer): number {
  const lr = (opt as unknown as WithLr).learningRate;
  return typeof lr === "number" ? lr : NaN;
}

/** Sets the learning rate of a tfjs optimizer (sgd/momentum/adam/rmsprop/adagrad…). */
export function setLearningRate(opt: Optimizer, lr: number): void {
  const o = opt as unknown as WithLr;
  if (typeof o.setLearningRate === "function") o.setLearningRate(lr);
  else o.learningRate = lr;
}
