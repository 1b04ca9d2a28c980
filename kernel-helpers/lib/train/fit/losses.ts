/** Per-sample losses for the training loop (weighted means are taken by the caller). */
import type { Tensor } from "@tensorflow/tfjs";
import { tfjs } from "../tf";
import type { LossName } from "./types";

const EPS = 1e-7;

// log(p + eps) rather than log(clip(p)): clipping maps NaN to a finite value on wasm (XNNPACK's
// clamp), which would hide a diverged model from the NaN/Inf guard.
function safeLog(p: Tensor): Tensor {
  const tf = tfjs();
  return tf.log(tf.add(p, EPS));
}

/**
 * Per-sample loss vector [batch] for `name`. Labels: integer class indices for
 * sparseCategoricalCrossentropy, one-hot/probabilities for categoricalCrossentropy,
 * 0/1 for binaryCrossentropy, targets for mse/mae.
 */
export function perSampleLoss(name: LossName, yTrue: Tensor, yPred: Tensor): Tensor {
  const tf = tfjs();
  switch (name) {
    case "sparseCategoricalCrossentropy": {
      const classes = yPred.shape[yPred.shape.length - 1] as number;
      const oneHot = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), "int32"), classes);
      return tf.neg(safeLog(tf.sum(tf.mul(oneHot, yPred), -1)));
    }
    case "categoricalCrossentropy":
      return tf.neg(tf.sum(tf.mul(yTrue, safeLog(yPred)), -1));
    case "binaryCrossentropy": {
      const p = tf.reshape(yPred, [yPred.shape[0], -1]);
      const y = tf.reshape(yTrue, p.shape);
      const l = tf.add(tf.mul(y, safeLog(p)), tf.mul(tf.sub(1, y), safeLog(tf.sub(1, p))));
      return tf.neg(tf.mean(l, -1));
    }
    case "mse": {
      const d = tf.sub(tf.reshape(yPred, [yPred.shape[0], -1]), tf.reshape(yTrue, [yTrue.shape[0], -1]));
      return tf.mean(tf.square(d), -1);
    }
    case "mae": {
      const d = tf.sub(tf.reshape(yPred, [yPred.shape[0], -1]), tf.reshape(yTrue, [yTrue.shape[0], -1]));
      return tf.mean(tf.abs(d), -1);
    }
  }
}

/** Per-sample correctness [batch] (1/0) for classification-like losses; undefined for regression. */
export function perSampleCorrect(name: LossName, yTrue: Tensor, yPred: Tensor): Tensor | undefined {
  const tf = tfjs();
  switch (name) {
    case "sparseCategoricalCrossentropy":
      return tf.cast(tf.equal(tf.argMax(yPred, -1), tf.cast(tf.reshape(yTrue, [-1]), "int32")), "float32");
    case "categoricalCrossentropy":
      return tf.cast(tf.equal(tf.argMax(yPred, -1), tf.argMax(yTrue, -1)), "float32");
    case "binaryCrossentropy": {
      const p = tf.reshape(yPred, [yPred.shape[0], -1]);
      const hit = tf.cast(tf.equal(tf.greater(p, 0.5), tf.greater(tf.reshape(yTrue, p.shape), 0.5)), "float32");
      return tf.mean(hit, -1);
    }
    default:
      return undefined;
  }
}

/** Picks a loss from the model's output width/activation and the label tensor's shape. */
export function inferLoss(outputActivation: string | undefined, outputUnits: number, yShape: number[]): LossName {
  if (outputActivation === "softmax") return yShape.length === 1 || yShape[yShape.length - 1] === 1 ? "sparseCategoricalCrossentropy" : "categoricalCrossentropy";
  if (outputActivation === "sigmoid") return "binaryCrossentropy";
  void outputUnits;
  return "mse";
}
