/**
 * Batch augmentation on NHWC float data, in place, with a (seeded) random source. Runs in plain
 * JS on the batch buffer before it becomes a tensor: cheap next to the convolutions.
 */
import type { Tensor4D } from "@tensorflow/tfjs";
import { seededRandom } from "../fit/random";

/** Transforms a batch buffer [n, h, w, c] in place. */
export type AugmentFn = (data: Float32Array, shape: readonly [number, number, number, number], rand: () => number) => void;

/** Mirrors each image left-right with probability `p` (default 0.5). */
export function flip(p = 0.5): AugmentFn {
  return (data, [n, h, w, c], rand) => {
    const row = w * c;
    for (let i = 0; i < n; i++) {
      if (rand() >= p) continue;
      for (let y = 0; y < h; y++) {
        const base = i * h * row + y * row;
        for (let x = 0; x < w >> 1; x++) {
          const a = base + x * c;
          const b = base + (w - 1 - x) * c;
          for (let k = 0; k < c; k++) {
            const t = data[a + k];
            data[a + k] = data[b + k];
            data[b + k] = t;
          }
        }
      }
    }
  };
}

/** Shifts each image by a random offset in [-maxPixels, maxPixels] on both axes, filling with `fill`. */
export function shift(maxPixels = 2, fill = 0): AugmentFn {
  let tmp = new Float32Array(0);
  return (data, [n, h, w, c], rand) => {
    const size = h * w * c;
    if (tmp.length < size) tmp = new Float32Array(size);
    for (let i = 0; i < n; i++) {
      const dy = Math.floor(rand() * (2 * maxPixels + 1)) - maxPixels;
      const dx = Math.floor(rand() * (2 * maxPixels + 1)) - maxPixels;
      if (dx === 0 && dy === 0) continue;
      const img = data.subarray(i * size, (i + 1) * size);
      tmp.set(img);
      for (let y = 0; y < h; y++) {
        const sy = y - dy;
        for (let x = 0; x < w; x++) {
          const sx = x - dx;
          const o = (y * w + x) * c;
          if (sy < 0 || sy >= h || sx < 0 || sx >= w) for (let k = 0; k < c; k++) img[o + k] = fill;
          else {
            const s = (sy * w + sx) * c;
            for (let k = 0; k < c; k++) img[o + k] = tmp[s + k];
          }
        }
      }
    }
  };
}

/** Applies several augmentations in order. */
export function compose(...fns: AugmentFn[]): AugmentFn {
  return (data, shape, rand) => {
    for (const f of fns) f(data, shape, rand);
  };
}

/**
 * A before/after picture of an augmentation: the first `count` images of `x` (default 8), then one
 * seeded random augmentation of each — `{ shape, data }` for `imageGrid` (originals on the first
 * row with `columns: count`).
 */
export function preview(fn: AugmentFn, x: Tensor4D, options: { count?: number; seed?: number } = {}): { shape: [number, number, number, number]; data: Float32Array } {
  const [n, h, w, c] = x.shape;
  const count = Math.min(options.count ?? 8, n);
  const per = h * w * c;
  const firsts = x.slice([0], [count]);
  const data = new Float32Array(2 * count * per);
  data.set(firsts.dataSync());
  firsts.dispose();
  data.set(data.subarray(0, count * per), count * per);
  fn(data.subarray(count * per), [count, h, w, c], seededRandom(options.seed ?? 0));
  return { shape: [2 * count, h, w, c], data };
}

/** Augmentation builders: `augment.flip()`, `augment.shift(2)`, `augment.compose(...)`, and `augment.preview(fn, x)`. */
export const augment = { flip, shift, compose, preview };
