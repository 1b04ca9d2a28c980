/**
 * Lazy access to TensorFlow.js. The library is loaded on first use (not when "sciforge" is
 * imported), so notebooks that never train pay nothing. Notebooks that want the API directly
 * should `import * as tf from "@tensorflow/tfjs"`: it is the same module instance.
 */
import type * as TF from "@tensorflow/tfjs";
import { installWasmBackend } from "./backend/wasm-threads";

/** The type of the `@tensorflow/tfjs` module. */
export type Tfjs = typeof TF;

let cached: Tfjs | undefined;
let staged = false;

/**
 * Returns the `@tensorflow/tfjs` module (loaded on first call, with the wasm backend registered).
 * Until the backend ladder has chosen (`backend.use`, or the first `fit`), tensors are made on
 * the cpu backend: wasm needs an asynchronous start, and synchronous code such as `loadIdx`
 * would otherwise fail with "backend 'wasm' has not yet been initialized". Tensors made then
 * move to the chosen backend when they are first used there.
 */
export function tfjs(): Tfjs {
  if (!cached) {
    cached = require("@tensorflow/tfjs") as Tfjs;
    // Loading the wasm backend registers it (the default rung when no native package is installed);
    // Sciforge's factory replaces tfjs's so that it runs multithreaded in Node.
    installWasmBackend(cached, require("@tensorflow/tfjs-backend-wasm"));
    const engine = cached.engine() as unknown as { backendName: string | null };
    if (!engine.backendName) {
      // cpu starts synchronously, so the backend is set when this call returns
      void cached.setBackend("cpu");
      staged = engine.backendName === "cpu";
    }
    quietCpu(cached);
  }
  return cached;
}

/**
 * The cpu backend prints tfjs's "install our node backend" banner on first use; Sciforge's
 * backend report says which backend runs and why instead.
 */
export function quietCpu(tf: Tfjs): void {
  const cpu = tf.engine().registry.cpu as unknown as { firstUse?: boolean } | undefined;
  if (cpu) cpu.firstUse = false;
}

/** True while the cpu backend only stands in until the ladder chooses (see {@link tfjs}). */
export function backendIsStaged(): boolean {
  return staged;
}

/** Called by the ladder once it has chosen a backend. */
export function markBackendChosen(): void {
  staged = false;
}
