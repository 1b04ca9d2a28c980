/**
 * Checks and cleans an image set before training: labels must be class indices, pixels must lie
 * in a range, and blank images, exact duplicates and training images that also appear in the test
 * set (test answers leaking into training) are dropped from the training set — never from the test
 * set. One SHA-1 per image finds the duplicates.
 */
import { createHash } from "node:crypto";
import type { Tensor1D, Tensor4D } from "@tensorflow/tfjs";
import { REPR } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import { tfjs } from "../tf";
import type { ImageSet } from "./dataset";

/** Options of {@link checkImages}. */
export interface CheckImagesOptions {
  /** Labels must be integers 0..numClasses-1. */
  numClasses: number;
  /** The held-out set: checked the same way; training images found in it are dropped. */
  test?: ImageSet;
  /** Allowed pixel range (default [0, 1], what loadIdx's scaling gives). */
  range?: [number, number];
}

/** What {@link checkImages} found and kept; displays as a one-line summary. */
export class ImageCheck {
  constructor(
    /** The training set without the dropped images (the input itself when nothing was dropped). */
    readonly train: ImageSet,
    /** Class indices of the kept training images, as plain numbers. */
    readonly trainLabels: number[],
    /** Class indices of the test images ([] without a test set). */
    readonly testLabels: number[],
    /** Indices (into the input training set) of the images kept. */
    readonly kept: number[],
    /** Training images dropped, by reason. */
    readonly dropped: { duplicate: number; inTestSet: number; blank: number },
    /** Smallest and largest pixel value over both sets. */
    readonly pixelRange: [number, number],
    /** Images checked in the input training set. */
    readonly checked: number,
    readonly numClasses: number,
  ) {}

  [REPR](): MimeBundle {
    const { dropped } = this;
    const test = this.testLabels.length ? ` + ${this.testLabels.length} test` : "";
    return { [MIME.text]: `Image check: ${this.checked} training${test} images, labels 0–${this.numClasses - 1}, pixels in [${this.pixelRange.join(", ")}]; dropped from training: ${dropped.blank} blank, ${dropped.duplicate} duplicate, ${dropped.inTestSet} also in the test set; ${this.kept.length} kept` };
  }
}

function labelsOf(name: string, y: Tensor1D, numClasses: number): number[] {
  const labels = Array.from(y.dataSync());
  const bad = labels.findIndex((l) => !Number.isInteger(l) || l < 0 || l >= numClasses);
  if (bad >= 0) throw new Error(`checkImages: ${name} label ${bad} is ${labels[bad]}, not a class index 0–${numClasses - 1}`);
  return labels;
}

function hashes(pixels: Float32Array, n: number, per: number): string[] {
  return Array.from({ length: n }, (_, i) => createHash("sha1").update(pixels.subarray(i * per, (i + 1) * per)).digest("hex"));
}

/** Checks labels and pixels of a training (and test) set and drops bad training images; see {@link CheckImagesOptions}. */
export function checkImages(train: ImageSet, options: CheckImagesOptions): ImageCheck {
  const [lo, hi] = options.range ?? [0, 1];
  const [n, h, w, c] = train.x.shape;
  const per = h * w * c;
  const trainPixels = train.x.dataSync() as Float32Array;
  const labels = labelsOf("train", train.y, options.numClasses);
  const testLabels = options.test ? labelsOf("test", options.test.y, options.numClasses) : [];
  const testPixels = options.test ? (options.test.x.dataSync() as Float32Array) : new Float32Array(0);
  let min = Infinity;
  let max = -Infinity;
  for (const px of [trainPixels, testPixels]) for (let i = 0; i < px.length; i++) {
    if (px[i] < min) min = px[i];
    if (px[i] > max) max = px[i];
  }
  if (min < lo || max > hi) throw new Error(`checkImages: pixels in [${min}, ${max}], outside [${lo}, ${hi}]`);
  const testSeen = new Set(options.test ? hashes(testPixels, testLabels.length, per) : []);
  const seen = new Set<string>();
  const kept: number[] = [];
  const dropped = { duplicate: 0, inTestSet: 0, blank: 0 };
  hashes(trainPixels, n, per).forEach((hash, i) => {
    if (trainPixels.subarray(i * per, (i + 1) * per).every((v) => v === 0)) dropped.blank++;
    else if (testSeen.has(hash)) dropped.inTestSet++;
    else if (seen.has(hash)) dropped.duplicate++;
    else {
      seen.add(hash);
      kept.push(i);
    }
  });
  const tf = tfjs();
  const cleaned: ImageSet = kept.length === n ? train : { ...train, x: tf.gather(train.x, kept) as Tensor4D, y: tf.gather(train.y, kept) as Tensor1D };
  const pixelRange: [number, number] = [n + testLabels.length > 0 ? min : 0, n + testLabels.length > 0 ? max : 0];
  return new ImageCheck(cleaned, kept.map((i) => labels[i]), testLabels, kept, dropped, pixelRange, n, options.numClasses);
}

/** Options of {@link imageRows}. */
export interface ImageRowsOptions {
  /** Multiply the pixels by this (default 255: 0..1 back to 0..255). */
  scale?: number;
  /** Round to integers (default true). */
  round?: boolean;
}

/**
 * Images as rows of plain numbers (row-major pixels), e.g. what a client sends a predict
 * service: by default the 0–255 values the 0–1 tensor was scaled from.
 */
export function imageRows(x: Tensor4D, indices: readonly number[], options: ImageRowsOptions = {}): number[][] {
  const scale = options.scale ?? 255;
  const round = options.round ?? true;
  const tf = tfjs();
  const picked = tf.gather(x, [...indices]);
  const data = picked.dataSync();
  picked.dispose();
  const per = x.shape[1] * x.shape[2] * x.shape[3];
  return indices.map((_, k) => Array.from(data.subarray(k * per, (k + 1) * per), (v) => (round ? Math.round(v * scale) : v * scale)));
}
