/** Types of the backend ladder and of its MIME.backend display payload. */

/** A rung of the ladder, fastest first. */
export type BackendName = "tensorflow-gpu" | "webgpu" | "tensorflow" | "wasm" | "cpu";

/** What `backend.use` accepts: a rung, or "auto" for the fastest that works. */
export type BackendChoice = "auto" | BackendName;

/** The ladder order "auto" walks. */
export const BACKEND_LADDER: readonly BackendName[] = ["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"];

/** What happened to one rung. */
export type RungStatus = "chosen" | "skipped" | "failed" | "not-tried";

/** One rung of the report. */
export interface RungReport {
  name: BackendName;
  /** The tfjs backend name the rung registers ("tensorflow", "webgpu", "wasm", "cpu"). */
  tfBackend: string;
  status: RungStatus;
  /** Why it was chosen or skipped, e.g. "no adapter", "@tensorflow/tfjs-node not installed". */
  reason: string;
}

/** A GPU adapter as WebGPU describes it. */
export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** The driver, where the adapter names it apart from the GPU (Dawn on Vulkan: "NVIDIA: 580.159.03"). */
  driver?: string;
  isFallbackAdapter: boolean;
}

/**
 * The payload of a MIME.backend ("application/vnd.sciforge.backend+json") display: which
 * compute backend was chosen, on what device, and why each faster rung was skipped.
 */
export interface BackendReport {
  /** What the caller asked for. */
  requested: BackendChoice;
  /** The rung in use after the call (null when an explicit request was refused and nothing was active). */
  chosen: BackendName | null;
  /** `tf.getBackend()` after the call. */
  tfBackend: string | null;
  /** False when the requested backend could not be used (the call then throws). */
  ok: boolean;
  /** One line: what was chosen and why. */
  summary: string;
  /** Device: CPU model, GPU name or adapter description. */
  device: string;
  /** The WebGPU adapter, when the webgpu rung found one. */
  adapter?: GpuAdapterSummary;
  /** Threads the backend computes with. */
  threads: number;
  /** Whether wasm runs with SIMD (wasm rung only). */
  simd?: boolean;
  /** Training kernels Sciforge registered for this backend. */
  trainingKernels: string[];
  /** `tf.getBackend()` before the call. */
  previous: string | null;
  /** Every rung considered, in ladder order. */
  rungs: RungReport[];
  /** Version of @tensorflow/tfjs-core. */
  tfjsVersion: string;
  /** Time the selection took. */
  elapsedMs: number;
}
