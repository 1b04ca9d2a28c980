/** Accuracy and latency of a model on held-out data (shared by compression reports and retraining). */
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { tfjs } from "../../train/tf";

/** Class index per row from model outputs: argmax (softmax) or > 0.5 (one sigmoid unit). */
export function classIndices(out: Float32Array | Int32Array | Uint8Array, rows: number): Int32Array {
  const k = out.length / rows;
  const idx = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (k === 1) idx[i] = out[i] > 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + best]) best = j;
      idx[i] = best;
    }
  }
  return idx;
}

/** Model outputs as a flat array (rows × units). */
export function predictFlat(model: LayersModel, x: Tensor): Float32Array {
  const tf = tfjs();
  return tf.tidy(() => model.predict(x) as Tensor).dataSync() as Float32Array;
}

/** Accuracy of a classifier on (x, class-index labels). */
export function accuracyOf(model: LayersModel, x: Tensor, y: Tensor | ArrayLike<number>): number {
  const rows = x.shape[0];
  const pred = classIndices(predictFlat(model, x), rows);
  const labels = "dataSync" in (y as Tensor) ? (y as Tensor).dataSync() : (y as ArrayLike<number>);
  let ok = 0;
  for (let i = 0; i < rows; i++) if (pred[i] === Math.round(labels[i])) ok++;
  return ok / rows;
}

/** R² (coefficient of determination) of a one-output regression model on (x, y). */
export function r2Of(model: LayersModel, x: Tensor, y: Tensor | ArrayLike<number>): number {
  const pred = predictFlat(model, x);
  const truth = "dataSync" in (y as Tensor) ? (y as Tensor).dataSync() : (y as ArrayLike<number>);
  const n = truth.length;
  if (pred.length !== n) throw new Error(`r2: the model gives ${pred.length / x.shape[0]} outputs per row; R² needs one`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (truth[i] - pred[i]) ** 2;
    ssTot += (truth[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
}

/** Median and 99th percentile of a list of numbers. */
export function percentiles(values: number[]): { p50: number; p90: number; p99: number; mean: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** Latency of `model.predict` on `x` (ms per call; one warm-up call first). */
export function measureLatency(model: LayersModel, x: Tensor, repeats = 20): { p50: number; p99: number; mean: number } {
  const tf = tfjs();
  tf.tidy(() => (model.predict(x) as Tensor).dataSync());
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    tf.tidy(() => (model.predict(x) as Tensor).dataSync());
    times.push(performance.now() - t0);
  }
  const p = percentiles(times);
  return { p50: p.p50, p99: p.p99, mean: p.mean };
}
