/**
 * The backend ladder: picks the fastest working TensorFlow.js backend, never silently.
 * tfjs itself falls back to the next registered backend when one fails to initialise; here every
 * switch is verified with tf.getBackend() and a failure is reported (auto: next rung, with the
 * reason; explicit request: an error carrying the report).
 */
import os from "node:os";
import { bundle, display, inKernel, registerKernelHooks } from "../../display/display";
import { backendIsStaged, markBackendChosen, quietCpu, tfjs } from "../tf";
import { registerTrainingKernels } from "../kernels/register";
import { nodeEnvironment, type LadderEnvironment } from "./environment";
import { backendReportBundle, backendReportMetadata } from "./report";
import { BACKEND_LADDER, type BackendChoice, type BackendName, type BackendReport, type RungReport, type GpuAdapterSummary } from "./types";
import { adapterName, exposeWebGpu, probeWebGpuAdapter } from "./webgpu";
import { requestWasmThreads, wasmThreading } from "./wasm-threads";

/** Thrown when an explicitly requested backend cannot be used; `report` says why. */
export class BackendUnavailableError extends Error {
  constructor(readonly report: BackendReport) {
    super(`sciforge backend: ${report.summary}`);
    this.name = "BackendUnavailableError";
  }
}

/** Options of `backend.use`. */
export interface UseBackendOptions {
  /** Show the report in the notebook (default true). */
  display?: boolean;
  /**
   * Threads for the wasm rung (default: SCIFORGE_WASM_THREADS, else the available cores, at most 8).
   * Fixed once wasm has started in this process: asking for another count then throws.
   */
  threads?: number;
  /** Machine hooks (tests inject fakes to exercise the GPU paths). */
  environment?: Partial<LadderEnvironment>;
}

interface Attempt {
  ok: boolean;
  reason: string;
  device?: string;
  adapter?: GpuAdapterSummary;
  threads?: number;
  simd?: boolean;
  kernels?: string[];
}

const TF_NAME: Record<BackendName, string> = {
  "tensorflow-gpu": "tensorflow",
  webgpu: "webgpu",
  tensorflow: "tensorflow",
  wasm: "wasm",
  cpu: "cpu",
};

let last: BackendReport | undefined;
let queue: Promise<unknown> = Promise.resolve();
/** The ladder run that `ensureBackend` started, while it runs (concurrent callers share it). */
let firstChoice: Promise<BackendReport> | undefined;

/** Switches tfjs to `name` and verifies it really is active (tfjs may have fallen back). */
async function activate(name: string): Promise<{ ok: boolean; reason?: string }> {
  const tf = tfjs();
  if (!tf.findBackendFactory(name) && !tf.engine().registryFactory[name]) {
    return { ok: false, reason: `tfjs backend "${name}" is not registered` };
  }
  let set = false;
  let err = "";
  try {
    set = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    err = (e as Error).message.split("\n")[0];
  }
  const now = tf.getBackend();
  if (!set || now !== name) {
    return { ok: false, reason: `failed to initialise${err ? `: ${err}` : ""} (tf.getBackend() is ${JSON.stringify(now)}, tfjs would have fallen back silently)` };
  }
  return { ok: true };
}

async function tryRung(rung: BackendName, env: LadderEnvironment): Promise<Attempt> {
  const tf = tfjs();
  const cpu = `${env.cpuModel()} (${env.cpuCount()} logical CPUs)`;
  switch (rung) {
    case "tensorflow-gpu": {
      if (!env.resolve("@tensorflow/tfjs-node-gpu")) return { ok: false, reason: "@tensorflow/tfjs-node-gpu not installed" };
      const cuda = env.cuda();
      if (!cuda.visible) return { ok: false, reason: `no CUDA GPU visible: ${cuda.detail}` };
      try {
        env.load("@tensorflow/tfjs-node-gpu");
      } catch (e) {
        return { ok: false, reason: `@tensorflow/tfjs-node-gpu failed to load: ${(e as Error).message.split("\n")[0]}` };
      }
      const a = await activate("tensorflow");
      if (!a.ok) return { ok: false, reason: a.reason ?? "failed" };
      return { ok: true, reason: `libtensorflow with CUDA on ${cuda.detail}`, device: cuda.detail, threads: env.cpuCount() };
    }
    case "webgpu": {
      const probe = await probeWebGpuAdapter(env);
      if (!probe.ok) return { ok: false, reason: probe.reason, adapter: probe.adapter };
      try {
        if (!tf.findBackendFactory("webgpu")) exposeWebGpu(probe, env);
      } catch (e) {
        return { ok: false, reason: `tfjs-backend-webgpu failed to load: ${(e as Error).message.split("\n")[0]}`, adapter: probe.adapter };
      }
      const a = await activate("webgpu");
      if (!a.ok) return { ok: false, reason: `adapter ${adapterName(probe.adapter!)} found, but the webgpu backend ${a.reason}`, adapter: probe.adapter };
      const kernels = registerTrainingKernels("webgpu");
      return { ok: true, reason: `WebGPU (Dawn) on ${adapterName(probe.adapter!)}`, device: adapterName(probe.adapter!), adapter: probe.adapter, threads: 1, kernels };
    }
    case "tensorflow": {
      if (!env.resolve("@tensorflow/tfjs-node")) return { ok: false, reason: "@tensorflow/tfjs-node not installed" };
      try {
        env.load("@tensorflow/tfjs-node");
      } catch (e) {
        return { ok: false, reason: `@tensorflow/tfjs-node failed to load: ${(e as Error).message.split("\n")[0]}` };
      }
      const a = await activate("tensorflow");
      if (!a.ok) return { ok: false, reason: a.reason ?? "failed" };
      return { ok: true, reason: `libtensorflow (CPU) on ${cpu}`, device: cpu, threads: env.cpuCount() };
    }
    case "wasm": {
      const a = await activate("wasm");
      if (!a.ok) return { ok: false, reason: a.reason ?? "failed" };
      const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      const kernels = registerTrainingKernels("wasm");
      const { threads, note } = wasmThreading();
      return {
        ok: true,
        reason: `WebAssembly + XNNPACK, ${simd ? "SIMD" : "no SIMD"}, ${threads} thread${threads > 1 ? "s" : ""}${note ? ` (${note})` : ""}, on ${cpu}`,
        device: cpu,
        threads,
        simd,
        kernels,
      };
    }
    case "cpu": {
      const a = await activate("cpu");
      if (!a.ok) return { ok: false, reason: a.reason ?? "failed" };
      quietCpu(tf);
      return { ok: true, reason: `pure JavaScript, 1 thread, on ${cpu} (slowest rung)`, device: cpu, threads: 1 };
    }
  }
}

async function select(choice: BackendChoice, options: UseBackendOptions): Promise<BackendReport> {
  const tf = tfjs();
  const env: LadderEnvironment = { ...nodeEnvironment, ...options.environment };
  const t0 = Date.now();
  const previous = tf.engine().backendName ?? null;
  if (choice !== "auto" && !BACKEND_LADDER.includes(choice)) {
    throw new Error(`backend.use: unknown backend ${JSON.stringify(choice)}; one of auto, ${BACKEND_LADDER.join(", ")}`);
  }
  if (options.threads !== undefined) requestWasmThreads(options.threads);
  const order = choice === "auto" ? [...BACKEND_LADDER] : [choice];
  const rungs: RungReport[] = BACKEND_LADDER.map((name) => ({
    name,
    tfBackend: TF_NAME[name],
    status: "not-tried",
    reason: choice === "auto" ? "not tried: a faster rung was chosen" : `not tried: "${choice}" was requested`,
  }));
  let chosen: { name: BackendName; attempt: Attempt } | undefined;
  let adapter: GpuAdapterSummary | undefined;
  for (const name of order) {
    const attempt = await tryRung(name, env);
    const rung = rungs.find((r) => r.name === name)!;
    rung.reason = attempt.reason;
    adapter = adapter ?? attempt.adapter;
    if (attempt.ok) {
      rung.status = "chosen";
      chosen = { name, attempt };
      break;
    }
    rung.status = choice === "auto" ? "skipped" : "failed";
  }
  const skipped = rungs.filter((r) => r.status === "skipped" || r.status === "failed").map((r) => `${r.name}: ${r.reason}`);
  let summary: string;
  if (chosen) {
    summary = `${chosen.name} - ${chosen.attempt.reason}` + (skipped.length ? ` [skipped ${skipped.join("; ")}]` : "");
  } else {
    // Leave the engine on what it ran before; the caller gets an error.
    if (previous && tf.getBackend() !== previous) await tf.setBackend(previous).catch(() => false);
    summary = `${choice} refused - ${skipped.join("; ")}` + (previous ? `; still on ${previous}` : "");
  }
  const activeName = chosen?.name ?? (last?.chosen ?? null);
  const report: BackendReport = {
    requested: choice,
    chosen: chosen ? chosen.name : activeName,
    tfBackend: chosen ? tf.getBackend() : previous,
    ok: chosen !== undefined,
    summary,
    device: chosen?.attempt.device ?? (adapter ? adapterName(adapter) : ""),
    adapter: chosen?.attempt.adapter ?? adapter,
    threads: chosen?.attempt.threads ?? 0,
    simd: chosen?.attempt.simd,
    trainingKernels: chosen?.attempt.kernels ?? [],
    previous,
    rungs,
    tfjsVersion: tf.version_core,
    elapsedMs: Date.now() - t0,
  };
  if (report.ok) {
    last = report;
    markBackendChosen();
  }
  if (options.display !== false) display(bundle(backendReportBundle(report)), { metadata: backendReportMetadata(report) });
  if (!report.ok) throw new BackendUnavailableError(report);
  return report;
}

/**
 * Chooses the compute backend. "auto" walks tensorflow-gpu → webgpu → tensorflow → wasm → cpu
 * and takes the first that initialises (verified with tf.getBackend()); an explicit name uses
 * that rung or throws a BackendUnavailableError (the previous backend stays active). Shows a
 * MIME.backend display with the reason for every rung; returns the same report. Calls are
 * serialised, and tensors created before a switch stay usable (tfjs moves their data).
 * A name from a notebook parameter (a plain string) is checked here: an unknown one throws, naming the choices.
 */
export function useBackend(choice: BackendChoice | (string & {}) = "auto", options: UseBackendOptions = {}): Promise<BackendReport> {
  const run = queue.then(() => select(choice as BackendChoice, options));
  queue = run.catch(() => undefined);
  return run;
}

/** The last successful report, or undefined before the first `backend.use`. */
export function currentBackend(): BackendReport | undefined {
  return last;
}

/**
 * Makes sure a verified backend is active before the library computes: when the ladder has not
 * chosen yet, runs `backend.use("auto")` and shows its report (once). That is also so when tfjs
 * itself started its pure-JS cpu backend (a tensor made with `@tensorflow/tfjs` directly): cpu is
 * used only when asked for (`backend.use("cpu")`, `%backend cpu`) or when nothing faster works.
 * When wasm is active, registers its training kernels. Returns the tfjs backend name in use.
 */
export async function ensureBackend(): Promise<string> {
  const tf = tfjs();
  const engine = tf.engine() as unknown as { backendName: string | null };
  if (!engine.backendName || backendIsStaged() || !last) {
    firstChoice ??= useBackend("auto", { display: inKernel() }).then((r) => {
      // outside a kernel (a script, a test) the report is one line on stderr, not stdout
      if (!inKernel()) process.stderr.write(`sciforge backend: ${r.summary}\n`);
      return r;
    });
    await firstChoice.finally(() => (firstChoice = undefined));
  }
  const name = tf.getBackend();
  registerTrainingKernels(name);
  return name;
}

/** The backend ladder (`backend.use("auto")`, `backend.current()`, `backend.ladder`). */
export const backend = {
  use: useBackend,
  current: currentBackend,
  ensure: ensureBackend,
  ladder: BACKEND_LADDER,
  /** Logical CPUs of this machine. */
  cpus: (): number => os.cpus().length,
};

// Inside a kernel, the `%backend NAME [--threads N]` magic switches through this hook.
registerKernelHooks({ useBackend: (name, options) => useBackend(name, options) });
