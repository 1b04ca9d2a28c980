/**
 * Lazy access to TensorFlow.js. The library is loaded on first use (not when "sciforge" is
 * imported), so notebooks that never train pay nothing. Notebooks that want the API directly
 * should `import * as tf from "@tensorflow/tfjs"`: it is the same module instance.
 */
import type * as TF from "@tensorflow/tfjs";

/** The type of the `@tensorflow/tfjs` module. */
export type Tfjs = typeof TF;

let cached: Tfjs | undefined;

/** Returns the `@tensorflow/tfjs` module (loaded on first call, with the wasm backend registered). */
export function tfjs(): Tfjs {
  if (!cached) {
    cached = require("@tensorflow/tfjs") as Tfjs;
    // Loading the wasm backend registers it (the default rung when no native package is installed).
    require("@tensorflow/tfjs-backend-wasm");
  }
  return cached;
}
