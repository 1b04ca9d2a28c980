/** CIFAR-10 binary batches (data_batch_*.bin, test_batch.bin): records of 1 label + 3072 CHW bytes. */
import { readFileSync } from "node:fs";
import { makeImageSet, type ImageSet, type NormalizeOptions } from "./dataset";

/** The CIFAR-10 class names, by label. */
export const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

/** Options of `loadCifar10`. */
export interface LoadCifarOptions extends NormalizeOptions {
  limit?: number;
}

/** Loads one or more CIFAR-10 binary batch files as an ImageSet ([n, 32, 32, 3], HWC). */
export function loadCifar10(paths: string | string[], options: LoadCifarOptions = {}): ImageSet {
  const files = (Array.isArray(paths) ? paths : [paths]).map((p) => {
    const b = readFileSync(p);
    if (b.length % RECORD !== 0) throw new Error(`loadCifar10: ${p} is ${b.length} bytes, not a multiple of the ${RECORD}-byte record`);
    return b;
  });
  const total = Math.min(files.reduce((a, b) => a + b.length / RECORD, 0), options.limit ?? Infinity);
  const pixels = new Uint8Array(total * 3 * PLANE);
  const labels = new Uint8Array(total);
  let n = 0;
  for (const b of files) {
    for (let r = 0; r < b.length / RECORD && n < total; r++, n++) {
      const o = r * RECORD;
      labels[n] = b[o];
      const dst = n * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        pixels[dst + p * 3] = b[o + 1 + p];
        pixels[dst + p * 3 + 1] = b[o + 1 + PLANE + p];
        pixels[dst + p * 3 + 2] = b[o + 1 + 2 * PLANE + p];
      }
    }
  }
  return makeImageSet(pixels, [total, SIDE, SIDE, 3], labels, options, CIFAR10_CLASSES);
}
