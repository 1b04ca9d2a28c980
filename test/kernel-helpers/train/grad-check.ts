// Shared helpers for gradient checks: runs the same function on two backends and compares.
import { tfjs } from "../../../kernel-helpers/lib/train/tf";

/** Deterministic pseudo-random values in [-1, 1). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** Max |a-b| / max(1, max|b|): a relative error robust to near-zero entries. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let err = 0;
  for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  if (a.length !== b.length) return Infinity;
  return err / scale;
}

/** Runs `fn` on `backend` and returns the gradients' data. */
export async function gradsOn(
  backend: string,
  shapes: number[][],
  fn: (...xs: import("@tensorflow/tfjs").Tensor[]) => import("@tensorflow/tfjs").Tensor,
  seed = 1,
): Promise<Float32Array[]> {
  const tf = tfjs();
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = shapes.map((s, i) => tf.tensor(values(s.reduce((a, b) => a * b, 1), seed + i * 7919), s));
    const dyShape = tf.tidy(() => fn(...xs).shape);
    const dy = tf.tensor(values(dyShape.reduce((a, b) => a * b, 1), seed + 99), dyShape);
    const g = tf.grads((...ys: import("@tensorflow/tfjs").Tensor[]) => fn(...ys), )(xs, dy);
    return g.map((t) => t.dataSync() as Float32Array);
  });
}
