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
