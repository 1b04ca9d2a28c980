/** The in-memory image set the loaders return, and its normalisation. */
import type { Tensor1D, Tensor4D } from "@tensorflow/tfjs";
import { tfjs } from "../tf";

/** Images as NHWC float32 and integer labels. */
export interface ImageSet {
  /** [n, height, width, channels] float32, normalised as requested. */
  x: Tensor4D;
  /** [n] class indices (float32 values, as `fit` expects). */
  y: Tensor1D;
  /** Class names where the source has them (folders, CIFAR-10). */
  classNames?: string[];
}

/** How pixel values (0..255) become model inputs. */
export interface NormalizeOptions {
  /** Divide by 255 first (default true). */
  scale?: boolean;
  /** Per-channel mean to subtract (after scaling). */
  mean?: number[];
  /** Per-channel standard deviation to divide by (after the mean). */
  std?: number[];
}

/** Converts 0..255 pixels (NHWC order) to normalised float32 in place-free fashion. */
export function normalizePixels(pixels: Uint8Array, channels: number, options: NormalizeOptions = {}): Float32Array {
  const out = new Float32Array(pixels.length);
  const s = options.scale === false ? 1 : 1 / 255;
  const mean = options.mean ?? [];
  const std = options.std ?? [];
  for (let i = 0; i < pixels.length; i++) {
    const c = i % channels;
    out[i] = (pixels[i] * s - (mean[c] ?? 0)) / (std[c] ?? 1);
  }
  return out;
}

/** Builds an ImageSet from raw pixels and labels. */
export function makeImageSet(pixels: Uint8Array, shape: [number, number, number, number], labels: ArrayLike<number>, options: NormalizeOptions = {}, classNames?: string[]): ImageSet {
  const tf = tfjs();
  return {
    x: tf.tensor4d(normalizePixels(pixels, shape[3], options), shape),
    y: tf.tensor1d(Float32Array.from(labels)),
    classNames,
  };
}
