// The phases of the GPU bench (test/gpu/gpu.bench.ts). Each runs in a process of its own, started
// by the driver with a hard time limit, and reports through `emit` (one marker line per part), so
// a phase that hangs or crashes (a Dawn/Vulkan fault) loses only itself.
import os from "node:os";
import { join } from "node:path";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import {
  augment,
  backend,
  buildVGG,
  callbacks,
  fit,
  loadIdx,
  seededRandom,
  tfjs,
  type BackendReport,
  type DawnModule,
  type LadderEnvironment,
  type UseBackendOptions,
} from "../../kernel-helpers/lib/train/index";
import { nodeEnvironment } from "../../kernel-helpers/lib/train/backend/environment";
import { registerWasmTrainingKernels } from "../../kernel-helpers/lib/train/kernels/register";
import { perSampleLoss } from "../../kernel-helpers/lib/train/fit/losses";

/** Marker of the lines a phase process sends to the driver on stdout. */
export const MARK = "@@sciforge-gpu ";

/** Sends one part of a phase's result to the driver. */
export function emit(part: Record<string, unknown>): void {
  process.stdout.write(MARK + JSON.stringify(part) + "\n");
}

export type Rung = "webgpu" | "wasm";

/** What the driver hands a phase. */
export interface PhaseConfig {
  quick: boolean;
  /** Absolute time (ms since the epoch) by which the phase should have emitted everything. */
  deadline: number;
  dataDir: string;
  /** Accuracy phases: images and epochs (the same for both rungs). */
  trainSize?: number;
  testSize?: number;
  epochs?: number;
  /** wasm: threads to ask for. */
  threads?: number;
}

// ---------------------------------------------------------------- models

/** The bench CNN of test/bench/train.bench.ts: conv32-pool-conv64-pool-dense10. */
export function benchCnn(): LayersModel {
  return buildVGG({ inputShape: [28, 28, 1], numClasses: 10, blocks: [[32], [64]], dense: [], seed: 7 });
}

/** The image case study's VGG (notebooks/image-classification.ipynb): 16-16 / 32-32, dense 128, dropout 0.3. */
export function caseStudyVgg(seed = 1): LayersModel {
  return buildVGG({ inputShape: [28, 28, 1], numClasses: 10, blocks: [[16, 16], [32, 32]], dense: [128], dropout: 0.3, seed });
}

// ---------------------------------------------------------------- Dawn and the ladder inside the pack

/** Dawn flags from SCIFORGE_DAWN_FLAGS (";"-separated, e.g. "enable-dawn-features=dump_shaders;backend=vulkan"). */
function dawnFlags(): string[] {
  return (process.env.SCIFORGE_DAWN_FLAGS ?? "").split(";").map((s) => s.trim()).filter(Boolean);
}

/** Runtime require that esbuild leaves alone (the path is only known at run time). */
const runtimeRequire = (path: string): unknown => require(path);

/** Loads Dawn: the dawn.node that run.sh unpacked (SCIFORGE_DAWN_NODE), else the npm package. */
export function loadDawn(): DawnModule {
  if (FAKE_GPU) return fakeDawn();
  const path = process.env.SCIFORGE_DAWN_NODE;
  const dawn = (path ? runtimeRequire(path) : nodeEnvironment.loadDawn()) as DawnModule;
  const flags = dawnFlags();
  if (flags.length === 0) return dawn;
  return { globals: dawn.globals, create: (f: string[]) => dawn.create([...f, ...flags]) };
}

/** SCIFORGE_GPU_FAKE=1: a pretend GPU, to rehearse every webgpu code path of the bench on a machine without one. */
export const FAKE_GPU = process.env.SCIFORGE_GPU_FAKE === "1";

/**
 * The pretend GPU: a Dawn whose adapter says "FAKE GPU (not a measurement)", and a "webgpu" tfjs
 * backend that is the wasm backend under another name (wasm's kernels, Sciforge's training kernels
 * included, registered again for "webgpu"). Its numbers are wasm's: only the plumbing is tested.
 */
function fakeDawn(): DawnModule {
  const adapter = {
    info: { vendor: "sciforge", architecture: "fake", device: "FAKE GPU (not a measurement)", description: "fake driver 0.0" },
    features: new Set<string>(["timestamp-query"]),
    limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
    isFallbackAdapter: false,
  };
  return { create: () => ({ requestAdapter: async () => adapter }), globals: {} };
}

function registerFakeWebgpu(): void {
  const tf = tfjs();
  registerWasmTrainingKernels();
  for (const k of tf.getKernelsForBackend("wasm")) if (!tf.getKernel(k.kernelName, "webgpu")) tf.registerKernel({ ...k, backendName: "webgpu" });
  tf.registerBackend("webgpu", tf.findBackendFactory("wasm") as never);
}

/**
 * The ladder's machine hooks inside the pack: tfjs-backend-webgpu is bundled (loaded only once
 * navigator.gpu exists: it registers its backend only then), Dawn is the unpacked dawn.node, and
 * the native tfjs-node packages are absent.
 */
export function packEnvironment(): Partial<LadderEnvironment> {
  if (FAKE_GPU) {
    return {
      resolve: (pkg) => (pkg.startsWith("@tensorflow/tfjs-node") ? undefined : `(fake) ${pkg}`),
      load: (pkg) => (pkg === "@tensorflow/tfjs-backend-webgpu" ? registerFakeWebgpu() : nodeEnvironment.load(pkg)),
      loadDawn: fakeDawn,
    };
  }
  return {
    resolve: (pkg) => {
      if (pkg.startsWith("@tensorflow/tfjs-node")) return undefined;
      if (pkg === "webgpu") return process.env.SCIFORGE_DAWN_NODE ?? nodeEnvironment.resolve(pkg);
      if (pkg === "@tensorflow/tfjs-backend-webgpu") return "(bundled)";
      return nodeEnvironment.resolve(pkg);
    },
    load: (pkg) => (pkg === "@tensorflow/tfjs-backend-webgpu" ? require("@tensorflow/tfjs-backend-webgpu") : nodeEnvironment.load(pkg)),
    loadDawn,
  };
}

/** Threads to ask the wasm rung for: the cores, at most 8 (tfjs's pool has 8 workers). */
export function wasmThreadsWanted(): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, cores));
}

/** Chooses a rung through the library's ladder; returns the report. */
export async function useRung(rung: Rung, threads?: number): Promise<BackendReport> {
  // `threads` is the wasm option being added to the ladder; older ladders ignore it.
  const options = { display: false, environment: packEnvironment(), ...(rung === "wasm" ? { threads: threads ?? wasmThreadsWanted() } : {}) } as UseBackendOptions & { threads?: number };
  return backend.use(rung, options);
}

/** What a report says about the rung, for the JSON line. */
export function rungSummary(r: BackendReport): Record<string, unknown> {
  return {
    chosen: r.chosen,
    tfBackend: r.tfBackend,
    device: r.device,
    threads: r.threads,
    simd: r.simd ?? null,
    reason: r.rungs.find((g) => g.name === r.chosen)?.reason ?? r.summary,
    trainingKernels: r.trainingKernels,
  };
}

/** Hooks the webgpu backend's GPUDevice: uncaptured errors and device loss become phase messages. */
export function watchGpuDevice(): void {
  const tf = tfjs();
  const device = (tf.backend() as unknown as { device?: Record<string, unknown> }).device;
  if (!device) return;
  const report = (kind: string, message: string) => emit({ dawnMessage: { kind, message: message.slice(0, 300) } });
  try {
    const onError = (e: { error?: { message?: string } }) => report("uncaptured error", e?.error?.message ?? String(e));
    if (typeof device.addEventListener === "function") (device.addEventListener as (t: string, f: unknown) => void)("uncapturederror", onError);
    else device.onuncapturederror = onError;
  } catch (e) {
    report("hook failed", `could not watch uncaptured errors: ${(e as Error).message}`);
  }
  const lost = device.lost as Promise<{ reason?: string; message?: string }> | undefined;
  lost?.then((info) => report("device lost", `${info?.reason ?? ""} ${info?.message ?? ""}`.trim())).catch(() => undefined);
}

/** console.warn/error of this process (tfjs and Dawn's JS side) become phase messages. */
export function captureConsole(): void {
  for (const level of ["warn", "error"] as const) {
    const orig = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      emit({ consoleMessage: { level, message: args.map(String).join(" ").slice(0, 300) } });
      orig(...args);
    };
  }
}

// ---------------------------------------------------------------- data

/** Synthetic images and labels from a seeded generator (host arrays: no GPU readback needed). */
function synthetic(n: number, seed: number): [Tensor, Tensor] {
  const tf = tfjs();
  const rand = seededRandom(seed);
  const x = new Float32Array(n * 28 * 28);
  for (let i = 0; i < x.length; i++) x[i] = rand();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(rand() * 10);
  return [tf.tensor4d(x, [n, 28, 28, 1]), tf.tensor1d(y)];
}

function fashion(dataDir: string, split: "train" | "test", limit: number) {
  const [img, lab] = split === "train" ? ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"] : ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
  return loadIdx(join(dataDir, img), join(dataDir, lab), { limit });
}

/** Sum and sum of squares of all weights: the same numbers on both rungs prove the same start. */
async function weightChecksum(model: LayersModel): Promise<{ sum: number; sumSq: number; count: number }> {
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  for (const w of model.getWeights()) {
    const d = await w.data();
    for (let i = 0; i < d.length; i++) {
      sum += d[i];
      sumSq += d[i] * d[i];
    }
    count += d.length;
  }
  return { sum: +sum.toPrecision(8), sumSq: +sumSq.toPrecision(8), count };
}

const round = (v: number, digits = 4) => +v.toPrecision(digits);

// ---------------------------------------------------------------- phases

/** Kernels one training step and one prediction of a model launch (profiled on the cpu backend). */
async function kernelsUsed(build: () => LayersModel): Promise<string[]> {
  const tf = tfjs();
  const before = tf.getBackend();
  // through the ladder: fit would otherwise run backend.use("auto") on the staged cpu backend
  await backend.use("cpu", { display: false, environment: packEnvironment() });
  const names = new Set<string>();
  try {
    const model = build();
    const [x, y] = synthetic(2, 3);
    const info = await tf.profile(async () => {
      await fit(model, x, y, { epochs: 1, batchSize: 2, progress: false, seed: 1 });
      tf.tidy(() => model.predict(x));
    });
    // (tf.profile also lists op scopes such as "fusedConv2d__op": not kernels)
    for (const k of info.kernels) if (!k.name.endsWith("__op")) names.add(k.name);
    tf.dispose([x, y]);
    model.dispose();
  } finally {
    if (before !== "cpu") await tf.setBackend(before);
  }
  return [...names].sort();
}

/**
 * probe: Dawn, the adapter (info, features, limits), the ladder's verdict on the webgpu rung, a
 * numeric smoke test against the cpu backend, the training kernels webgpu lacks, and whether a
 * synchronous read of GPU data works in Node (tfjs needs OffscreenCanvas for it).
 */
export async function probePhase(adapterOnly = false): Promise<void> {
  const env = {
    VK_DRIVER_FILES: process.env.VK_DRIVER_FILES ?? null,
    VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? null,
    LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH ?? null,
    SCIFORGE_DAWN_FLAGS: process.env.SCIFORGE_DAWN_FLAGS ?? null,
  };
  emit({ env });
  let dawn: DawnModule;
  try {
    dawn = loadDawn();
  } catch (e) {
    emit({ adapter: { status: "dawn failed to load", reason: (e as Error).message.split("\n")[0] } });
    return;
  }
  type Adapter = {
    info?: Record<string, unknown>;
    features?: Iterable<string>;
    limits?: Record<string, number>;
    isFallbackAdapter?: boolean;
    requestAdapterInfo?: () => Promise<Record<string, unknown>>;
  };
  let adapter: Adapter | null = null;
  const gpu = dawn.create([]) as unknown as { requestAdapter(o?: Record<string, unknown>): Promise<Adapter | null> };
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (e) {
    emit({ adapter: { status: "adapter request failed", reason: (e as Error).message.split("\n")[0] } });
    return;
  }
  if (!adapter) {
    // Is there only a software (fallback) adapter? Says whether Dawn sees a Vulkan at all.
    let fallback: string | null = null;
    try {
      const fb = await gpu.requestAdapter({ forceFallbackAdapter: true });
      fallback = fb ? JSON.stringify(fb.info ?? {}) : null;
    } catch {
      /* ignore */
    }
    emit({ adapter: { status: "no adapter", reason: "Dawn returned no adapter (no Vulkan loader, or no Vulkan driver/ICD that Dawn accepts)", fallbackAdapter: fallback } });
    return;
  }
  const info: Record<string, unknown> = {};
  const rawInfo = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  for (const k of ["vendor", "architecture", "device", "description", "subgroupMinSize", "subgroupMaxSize", "isFallbackAdapter"]) {
    const v = (rawInfo as Record<string, unknown>)[k];
    if (v !== undefined) info[k] = v;
  }
  const limits: Record<string, number> = {};
  for (const k of ["maxBufferSize", "maxStorageBufferBindingSize", "maxComputeWorkgroupStorageSize", "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX", "maxComputeWorkgroupsPerDimension", "maxStorageBuffersPerShaderStage"]) {
    const v = adapter.limits?.[k];
    if (typeof v === "number") limits[k] = v;
  }
  emit({
    adapter: {
      status: "found",
      ...(FAKE_GPU ? { fake: true } : {}),
      ...info,
      // Dawn puts the driver's name and version in `description` (Vulkan: "driverName: driverInfo").
      driver: typeof info.description === "string" && info.description !== info.device ? info.description : null,
      isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter ?? false,
      features: [...(adapter.features ?? [])].sort(),
      limits,
    },
  });
  if (adapterOnly) return;

  const cnnKernels = await kernelsUsed(benchCnn);
  const vggKernels = await kernelsUsed(() => caseStudyVgg());
  const needed = [...new Set([...cnnKernels, ...vggKernels])].sort();

  let report: BackendReport;
  try {
    report = await useRung("webgpu");
  } catch (e) {
    const r = (e as { report?: BackendReport }).report;
    emit({ webgpuInit: { ok: false, reason: r?.rungs.find((g) => g.name === "webgpu")?.reason ?? (e as Error).message.split("\n")[0] } });
    return;
  }
  emit({ webgpuInit: { ok: true, ...rungSummary(report) } });
  watchGpuDevice();
  const tf = tfjs();
  const missing = needed.filter((k) => !tf.getKernel(k, "webgpu"));
  emit({ kernels: { needed: needed.length, missingOnWebgpu: missing } });

  // Numbers: a matrix product and a convolution (forward and filter gradient) against cpu.
  const smoke: Record<string, unknown> = {};
  try {
    const rand = seededRandom(5);
    const a = Float32Array.from({ length: 128 * 96 }, () => rand() - 0.5);
    const b = Float32Array.from({ length: 96 * 64 }, () => rand() - 0.5);
    const img = Float32Array.from({ length: 4 * 12 * 12 * 3 }, () => rand());
    const filt = Float32Array.from({ length: 3 * 3 * 3 * 8 }, () => rand() - 0.5);
    const run = () =>
      tf.tidy(() => {
        const mm = tf.matMul(tf.tensor2d(a, [128, 96]), tf.tensor2d(b, [96, 64]));
        const x = tf.tensor4d(img, [4, 12, 12, 3]);
        const w = tf.tensor4d(filt, [3, 3, 3, 8]);
        const conv = tf.conv2d(x, w, 1, "same");
        // the filter gradient: Conv2DBackpropFilter, the kernel wasm lacks and Sciforge adds
        const dw = tf.grad((f: Tensor) => tf.sum(tf.square(tf.conv2d(x, f as never, 1, "same"))))(w);
        return [mm, conv, dw] as Tensor[];
      });
    const onGpu = run();
    const gpuData = await Promise.all(onGpu.map((t) => t.data()));
    await tf.setBackend("cpu");
    const onCpu = run();
    const cpuData = onCpu.map((t) => t.dataSync());
    await tf.setBackend("webgpu");
    const names = ["matMul", "conv2d", "conv2dBackpropFilter"];
    names.forEach((n, i) => {
      let max = 0;
      let scale = 0;
      for (let k = 0; k < cpuData[i].length; k++) {
        max = Math.max(max, Math.abs(cpuData[i][k] - gpuData[i][k]));
        scale = Math.max(scale, Math.abs(cpuData[i][k]));
      }
      smoke[n] = { maxAbsDiffVsCpu: +max.toExponential(2), relativeToMaxAbs: +(max / Math.max(scale, 1e-30)).toExponential(2) };
    });
    tf.dispose([...onGpu, ...onCpu]);
  } catch (e) {
    smoke.error = (e as Error).message.split("\n")[0];
  }
  // A synchronous read of GPU-computed data: tfjs-backend-webgpu needs OffscreenCanvas for it.
  try {
    const t = tf.add(tf.tensor1d([1, 2, 3]), 1);
    t.dataSync();
    smoke.dataSyncOfGpuTensor = "works";
    t.dispose();
  } catch (e) {
    smoke.dataSyncOfGpuTensor = `fails: ${(e as Error).message.split("\n")[0]}`;
  }
  emit({ smoke });
}

/** Per-step losses of 20 steps (batch 64) of the bench CNN on the first Fashion-MNIST images, in order. */
export async function lossPhase(rung: Rung, cfg: PhaseConfig): Promise<void> {
  const report = await useRung(rung, cfg.threads);
  emit({ rung: rungSummary(report) });
  if (rung === "webgpu") watchGpuDevice();
  const steps = cfg.quick ? 5 : 20;
  const batch = cfg.quick ? 32 : 64;
  const data = fashion(cfg.dataDir, "train", steps * batch);
  const model = benchCnn();
  const checksum = await weightChecksum(model);
  const running: number[] = [];
  const t0 = performance.now();
  await fit(model, data.x, data.y, {
    epochs: 1,
    batchSize: batch,
    shuffle: false,
    seed: 1,
    progress: false,
    callbacks: [{ onBatchEnd: (_b, logs) => void running.push(logs.loss) }],
  });
  // fit reports running means: step k's loss is k·mean_k − (k−1)·mean_{k−1}.
  const losses = running.map((m, k) => +(k === 0 ? m : (k + 1) * m - k * running[k - 1]).toPrecision(7));
  emit({ loss: { steps, batch, losses, initialWeights: checksum, seconds: round((performance.now() - t0) / 1000) } });
  tfjs().dispose([data.x, data.y]);
  model.dispose();
}

interface ThroughputCase {
  key: string;
  model: "cnn" | "vgg";
  batch: number;
}

function throughputCases(quick: boolean): ThroughputCase[] {
  if (quick) return [{ key: "cnn_b32", model: "cnn", batch: 32 }];
  return [
    { key: "cnn_b64", model: "cnn", batch: 64 },
    { key: "cnn_b256", model: "cnn", batch: 256 },
    { key: "cnn_b1024", model: "cnn", batch: 1024 },
    { key: "vgg_b64", model: "vgg", batch: 64 },
    { key: "vgg_b256", model: "vgg", batch: 256 },
  ];
}

/**
 * Training and inference images per second through the library's `fit` (which reads the loss and
 * checks the gradients for NaN every step, as users get it) and `model.predict` + `await data()`.
 */
export async function throughputPhase(rung: Rung, cfg: PhaseConfig): Promise<void> {
  const tf = tfjs();
  const report = await useRung(rung, cfg.threads);
  emit({ rung: rungSummary(report) });
  if (rung === "webgpu") watchGpuDevice();
  const cases = throughputCases(cfg.quick);
  const trainTarget = cfg.quick ? 0.2 : 3; // seconds of timed training per case
  const inferTarget = cfg.quick ? 0.1 : 1.5;
  for (let c = 0; c < cases.length; c++) {
    const tc = cases[c];
    const left = (cfg.deadline - Date.now()) / 1000;
    if (left < (cfg.quick ? 1 : 8)) {
      emit({ throughput: { key: tc.key, skipped: `phase time budget spent (${left.toFixed(0)} s left)` } });
      continue;
    }
    // Share what is left among the cases still to run.
    const share = left / (cases.length - c);
    const model = tc.model === "cnn" ? benchCnn() : caseStudyVgg();
    const B = tc.batch;
    const t0 = performance.now();
    // Warm-up (shader compilation, XNNPACK packing): two steps.
    const [xw, yw] = synthetic(2 * B, 11);
    await fit(model, xw, yw, { epochs: 1, batchSize: B, progress: false, seed: 1 });
    const warmup = (performance.now() - t0) / 1000;
    // Calibration: two more steps, timed.
    const tc0 = performance.now();
    await fit(model, xw, yw, { epochs: 1, batchSize: B, progress: false, seed: 2 });
    const stepS = (performance.now() - tc0) / 1000 / 2;
    tf.dispose([xw, yw]);
    const budget = Math.min(trainTarget, share * 0.5);
    const steps = Math.max(2, Math.min(cfg.quick ? 2 : 200, Math.round(budget / stepS)));
    const [x, y] = synthetic(steps * B, 12);
    const h = await fit(model, x, y, { epochs: 1, batchSize: B, progress: false, seed: 3 });
    const train = h.epochs[0]?.samplesPerSec ?? h.samplesSeen / h.elapsedSeconds;
    tf.dispose([x, y]);
    // Inference.
    const [xi] = synthetic(B, 13);
    const predict = async () => {
      const p = model.predict(xi) as Tensor;
      await p.data();
      p.dispose();
    };
    await predict();
    const ti0 = performance.now();
    await predict();
    const one = (performance.now() - ti0) / 1000;
    const reps = Math.max(2, Math.min(cfg.quick ? 2 : 500, Math.round(Math.min(inferTarget, share * 0.2) / Math.max(one, 1e-4))));
    const ti = performance.now();
    for (let i = 0; i < reps; i++) await predict();
    const infer = (reps * B) / ((performance.now() - ti) / 1000);
    xi.dispose();
    emit({
      throughput: {
        key: tc.key,
        model: tc.model,
        batch: B,
        train: round(train),
        infer: round(infer),
        trainSteps: steps,
        inferReps: reps,
        stepMs: round((B / train) * 1000),
        warmupSeconds: round(warmup),
        params: model.countParams(),
        tensorsAfter: tf.memory().numTensors,
      },
    });
    model.dispose();
  }
}

/** Test accuracy of the case study's VGG after a few epochs (same seed, data, augmentation and schedule on both rungs). */
export async function accuracyPhase(rung: Rung, cfg: PhaseConfig): Promise<void> {
  const tf = tfjs();
  const report = await useRung(rung, cfg.threads);
  emit({ rung: rungSummary(report) });
  if (rung === "webgpu") watchGpuDevice();
  const epochs = cfg.epochs ?? (cfg.quick ? 1 : 3);
  const train = fashion(cfg.dataDir, "train", cfg.trainSize ?? (cfg.quick ? 256 : 10000));
  const test = fashion(cfg.dataDir, "test", cfg.testSize ?? (cfg.quick ? 128 : 2000));
  const model = caseStudyVgg(1);
  const learningRate = 2e-3;
  const perEpoch: Array<Record<string, number>> = [];
  const h = await fit(model, train.x, train.y, {
    epochs,
    batchSize: 64,
    seed: 1,
    learningRate,
    augment: augment.compose(augment.flip(0.5), augment.shift(2)),
    progress: false,
    callbacks: [
      callbacks.lrScheduler(callbacks.schedules.cosineDecay(epochs, learningRate / 20)),
      {
        onEpochEnd: (epoch, logs) => {
          const rec = { epoch, loss: round(logs.loss, 5), acc: round(logs.acc, 4), seconds: round(logs.seconds) };
          perEpoch.push(rec);
          emit({ accuracyEpoch: rec });
        },
      },
    ],
  });
  // Test accuracy, read back asynchronously (no synchronous GPU reads).
  let correct = 0;
  const n = test.x.shape[0];
  const labels = await test.y.data();
  for (let s = 0; s < n; s += 500) {
    const m = Math.min(500, n - s);
    const pred = tf.tidy(() => tf.argMax(model.predict(tf.slice(test.x, s, m)) as Tensor, -1));
    const p = await pred.data();
    pred.dispose();
    for (let i = 0; i < m; i++) if (p[i] === labels[s + i]) correct++;
  }
  emit({
    accuracy: {
      testAccuracy: +(correct / n).toFixed(4),
      trainSize: train.x.shape[0],
      testSize: n,
      epochs: h.epochs.length,
      seconds: round(h.elapsedSeconds),
      trainImgPerSec: round(h.samplesSeen / h.elapsedSeconds),
      perEpoch,
      stopped: h.stopped?.message ?? null,
    },
  });
  tf.dispose([train.x, train.y, test.x, test.y]);
  model.dispose();
}

// ---------------------------------------------------------------- profile (--profile)

/**
 * Where a training step's time goes on `rung`, for the bench CNN: the step with fit's one read
 * back per step, the same step with no read back until the end (what the sync costs), and
 * tf.profile's kernels (on webgpu their GPU times, from timestamp queries).
 */
export async function profilePhase(rung: Rung, cfg: PhaseConfig): Promise<void> {
  const report = await useRung(rung, cfg.threads);
  emit({ rung: rungSummary(report) });
  if (rung === "webgpu") watchGpuDevice();
  const tf = tfjs();
  for (const batch of rung === "webgpu" ? [64, 1024] : [64]) {
    if (Date.now() > cfg.deadline - 5000) break;
    const model = benchCnn();
    const optimizer = tf.train.adam(1e-3);
    const vars = model.trainableWeights.map((w) => w.read() as never);
    const [x, y] = synthetic(batch, 11);
    const step = () => {
      const { value, grads } = optimizer.computeGradients(() => {
        const pred = model.apply(x, { training: true }) as Tensor;
        return tf.mean(perSampleLoss("sparseCategoricalCrossentropy", y, pred)) as never;
      }, vars);
      optimizer.applyGradients(grads as never);
      tf.dispose(Object.values(grads));
      return value;
    };
    for (let i = 0; i < 3; i++) await step().data();
    const n = batch >= 1024 ? 4 : 15;
    let t = performance.now();
    for (let i = 0; i < n; i++) {
      const v = step();
      await v.data();
      v.dispose();
    }
    const syncMs = (performance.now() - t) / n;
    t = performance.now();
    const pending: Tensor[] = [];
    for (let i = 0; i < n; i++) pending.push(step());
    await pending[pending.length - 1].data();
    const noSyncMs = (performance.now() - t) / n;
    tf.dispose(pending);
    const info = await tf.profile(async () => {
      for (let i = 0; i < 3; i++) await step().data();
    });
    const by = new Map<string, { ms: number; calls: number }>();
    let total = 0;
    for (const k of info.kernels) {
      const ms = Number(await (k.kernelTimeMs as unknown as Promise<number | { error: string }>)) || 0;
      const e = by.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += ms / 3;
      e.calls += 1 / 3;
      by.set(k.name, e);
      total += ms / 3;
    }
    const top = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14).map(([name, e]) => ({ name, ms: round(e.ms), calls: Math.round(e.calls) }));
    emit({ profile: { rung, batch, threads: report.threads, stepMsWithSync: round(syncMs), stepMsNoSync: round(noSyncMs), kernelMsPerStep: round(total), kernelsPerStep: Math.round(info.kernels.length / 3), top } });
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  }
}
