/**
 * Multithreaded WebAssembly for TensorFlow.js in Node.
 *
 * tfjs-backend-wasm ships a threaded-SIMD build (Emscripten pthreads: worker_threads sharing one
 * WebAssembly.Memory) and XNNPACK runs convolutions and matrix products on its thread pool. tfjs
 * switches it off in Node: its WASM_HAS_MULTITHREAD_SUPPORT flag answers false there, and its
 * loader starts the pthread worker from a blob: URL, which worker_threads cannot load. Emscripten's
 * own glue (wasm-out/tfjs-backend-wasm-threaded-simd.js) does support Node, so this module
 * registers a "wasm" backend factory that runs that glue with file paths: the worker is
 * wasm-thread-worker.js beside this file. One more fix: tfjs caps its pool at half the logical
 * CPUs it is told about (it assumes two hyperthreads per core) and at 8; the glue is told
 * 2 × threads, so the pool has exactly the threads asked for.
 *
 * The thread count is fixed when the backend starts (XNNPACK's pool cannot be resized): choose it
 * before the first wasm use with `backend.use("wasm", { threads })`, `%backend wasm --threads N`,
 * the SCIFORGE_WASM_THREADS environment variable or VS Code's `sciforge.wasmThreads` setting.
 * Default: the available cores, at most 8. Where the threaded build cannot start (no
 * SharedArrayBuffer, a worker that fails), the stock single-threaded SIMD build runs and the
 * reason is kept for the backend report.
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import type { KernelBackend } from "@tensorflow/tfjs";
import type { Tfjs } from "../tf";

/** The most threads tfjs-backend-wasm's pool uses (its build pre-creates 8 pthread workers). */
export const WASM_MAX_THREADS = 8;

/** How the wasm backend computes (or will compute, before it starts). */
export interface WasmThreading {
  /** Threads XNNPACK computes with. */
  threads: number;
  /** What was asked for. */
  requested: number;
  /** Why fewer threads run than were asked for, when that is so. */
  note?: string;
  /** True once the backend has started (the thread count is then fixed). */
  started: boolean;
}

/** The threaded build's module as the backend uses it (the Emscripten Module plus tfjs's bridge). */
interface WasmModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { terminateAllThreads(): void; runningWorkers: Array<{ unref(): void }> };
  tfjs?: Record<string, unknown>;
}

interface WasmPackage {
  BackendWasm: new (module: WasmModule) => KernelBackend;
  setThreadsCount(n: number): void;
}

const GLUE = "tfjs-backend-wasm-threaded-simd";
const START_TIMEOUT_MS = 60_000;

let requested: number | undefined;
let running: WasmThreading | undefined;

/** Logical CPUs Node may use. */
function availableCores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** Parses a thread count (a setting, a magic's argument); throws naming `what` when it is not a positive integer. */
export function parseThreads(value: unknown, what: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new Error(`${what}: threads must be a whole number ≥ 1 (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** Threads used when nothing was asked for: SCIFORGE_WASM_THREADS, else the available cores (at most 8). */
export function defaultWasmThreads(env: NodeJS.ProcessEnv = process.env, cores = availableCores()): number {
  const set = env.SCIFORGE_WASM_THREADS;
  if (set !== undefined && set.trim() !== "") return parseThreads(set, "SCIFORGE_WASM_THREADS");
  return Math.max(1, Math.min(cores, WASM_MAX_THREADS));
}

/**
 * Asks for `threads` for the wasm backend. Before it starts, this sets the count (above 8 is
 * capped, with a note in the report). Once it runs, asking for another count throws: XNNPACK's
 * pool is fixed, so the kernel must be restarted.
 */
export function requestWasmThreads(threads: number): void {
  const n = parseThreads(threads, "wasm");
  const same = n === running?.requested || Math.min(n, WASM_MAX_THREADS) === running?.threads;
  if (running && !same) {
    throw new Error(
      `wasm already runs with ${running.threads} thread${running.threads > 1 ? "s" : ""} in this process, and its thread pool is fixed once it starts: restart the kernel to use ${n} (set it first with %backend wasm --threads ${n}, SCIFORGE_WASM_THREADS or the sciforge.wasmThreads setting)`,
    );
  }
  requested = n;
}

/** The wasm backend's threading: what runs, or what will run when it starts. */
export function wasmThreading(): WasmThreading {
  if (running) return running;
  const want = requested ?? defaultWasmThreads();
  return { threads: Math.min(want, WASM_MAX_THREADS), requested: want, started: false };
}

/** The pthread worker script (beside this module, in the sources and in dist/sciforge/). */
function workerScript(): string {
  const path = join(__dirname, "wasm-thread-worker.js");
  if (!existsSync(path)) throw new Error(`the pthread worker ${path} is missing`);
  return path;
}

/** Runs `start` and removes the process listeners Emscripten's Node glue adds (they rethrow every unhandled error and would take the kernel down). */
async function withoutGlueListeners<T>(start: () => Promise<T>): Promise<T> {
  const events = ["uncaughtException", "unhandledRejection"];
  const listeners = (e: string) => process.listeners(e as "uncaughtException") as Array<(...a: unknown[]) => void>;
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  try {
    return await start();
  } finally {
    for (const e of events) for (const l of listeners(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
}

/** Starts the threaded-SIMD module with a pool of `threads`. */
async function startThreaded(threads: number): Promise<WasmModule> {
  if (typeof SharedArrayBuffer === "undefined") throw new Error("SharedArrayBuffer is not available");
  const glue = require.resolve(`@tensorflow/tfjs-backend-wasm/wasm-out/${GLUE}.js`);
  const dir = dirname(glue);
  const worker = workerScript();
  const factory = require(glue) as (config: Record<string, unknown>) => Promise<WasmModule>;
  let fail: (e: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const config: Record<string, unknown> = {
    locateFile: (file: string) => (file.endsWith(".worker.js") ? worker : join(dir, file)),
    // what each worker loads (a path: the worker's Node branch reads it from disk)
    mainScriptUrlOrBlob: glue,
    instantiateWasm(info: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      info.env.emscripten_num_logical_cores = () => 2 * threads;
      WebAssembly.instantiate(readFileSync(join(dir, `${GLUE}.wasm`)), info as WebAssembly.Imports).then(
        (r) => receive(r.instance, r.module),
        (e: Error) => fail(e),
      );
      return {};
    },
    onAbort: (what: unknown) => fail(new Error(`aborted: ${String(what)}`)),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`its ${threads} workers did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    const module = await Promise.race([factory(config), failed, timeout]);
    module.tfjs = {
      init: module.cwrap("init", null, []),
      initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: module.cwrap("get_threads_count", "number", []),
      registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: module.cwrap("dispose_data", null, ["number"]),
      dispose: module.cwrap("dispose", null, []),
    };
    return module;
  } catch (e) {
    (config as Partial<WasmModule>).PThread?.terminateAllThreads();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Replaces tfjs's "wasm" backend factory with one that starts the threaded build (threads > 1) or
 * the stock single-threaded one. Called once, when tfjs is loaded (tf.ts).
 */
export function installWasmBackend(tf: Tfjs, wasm: WasmPackage): void {
  const stock = tf.findBackendFactory("wasm");
  if (!stock) return;
  if ((tf.engine().registry as Record<string, unknown>).wasm) {
    // someone started tfjs's own wasm backend before Sciforge loaded: keep it (replacing it would drop its tensors)
    running = { threads: 1, requested: 1, note: "the wasm backend was started before sciforge loaded tfjs, with tfjs's single-threaded loader", started: true };
    return;
  }
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    () =>
      withoutGlueListeners(async () => {
        const want = requested ?? defaultWasmThreads();
        const threads = Math.min(want, WASM_MAX_THREADS);
        let note = want > threads ? `tfjs-backend-wasm uses at most ${WASM_MAX_THREADS} threads` : undefined;
        if (threads > 1) {
          try {
            const module = await startThreaded(threads);
            wasm.setThreadsCount(threads);
            const backend = new wasm.BackendWasm(module);
            // XNNPACK's pool threads never end, and Emscripten keeps a running thread's worker
            // referenced: a script that trained would then never exit. The main thread waits for the
            // pool inside each operation, so when the event loop is idle no work is in flight.
            for (const w of module.PThread?.runningWorkers ?? []) w.unref();
            running = { threads: (module.tfjs!.getThreadsCount as () => number)(), requested: want, note, started: true };
            return backend;
          } catch (e) {
            note = `multithreaded wasm did not start (${(e as Error).message.split("\n")[0]}), so it runs on 1 thread`;
          }
        }
        wasm.setThreadsCount(1);
        const backend = await stock();
        running = { threads: 1, requested: want, note, started: true };
        return backend;
      }),
    2,
  );
}
