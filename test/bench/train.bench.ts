// Training / inference throughput of the Sciforge backends against PyTorch (same CNN, same batch,
// same threads), measured in one run. The wasm rung runs at 1 thread and at N threads (the
// scaling); each thread count is its own child process, because XNNPACK's pool is fixed once wasm
// starts. PyTorch runs at N threads and at 1. Usage:
//   npm run bench:train                      throughput table + JSON line (best of 3 rounds)
//   npm run bench:train -- --quick           a few steps, 1 round, no cpu row (what `npm test` runs)
//   npm run bench:train -- --accuracy        also: full VGG training on the Fashion-MNIST subset
//   ... -- --accuracy-only | --no-cpu | --steps=N | --rounds=K | --threads=N
// Last line: one JSON object; train_ratio_vs_torch / infer_ratio_vs_torch compare wasm at N threads
// with PyTorch at N threads. The machine may be shared: only same-run ratios mean anything.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATA } from "../helpers/paths";
import type { Tensor } from "@tensorflow/tfjs";
import {
  augment,
  backend,
  BACKEND_LADDER,
  buildVGG,
  callbacks,
  fit,
  loadIdx,
  tfjs,
  type BackendName,
} from "../../kernel-helpers/lib/train/index";
import { defaultWasmThreads } from "../../kernel-helpers/lib/train/backend/wasm-threads";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string, def: number) => {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a ? Number(a.split("=")[1]) : def;
};
const QUICK = flag("quick");
const BATCH = 64;
const TORCH_PY = "/usr/bin/python3";

interface Row {
  engine: string;
  train?: number;
  infer?: number;
  note: string;
}

/** The benchmark CNN: conv3x3x32 relu → pool → conv3x3x64 relu → pool → flatten → dense10 (softmax). */
function benchModel() {
  return buildVGG({ inputShape: [28, 28, 1], numClasses: 10, blocks: [[32], [64]], dense: [], seed: 7 });
}

function synthetic(n: number): [Tensor, Tensor] {
  const tf = tfjs();
  return [tf.randomUniform([n, 28, 28, 1], 0, 1, "float32", 1), tf.floor(tf.randomUniform([n], 0, 10, "float32", 2))];
}

/** Trains `steps` timed batches through the real training loop, then times inference on batches of 64. */
async function measureTfjs(name: BackendName, steps: number, threads?: number): Promise<Row> {
  const tf = tfjs();
  const engine = threads ? `tfjs ${name}, ${threads} thread${threads > 1 ? "s" : ""}` : `tfjs ${name}`;
  try {
    await backend.use(name, { display: false, ...(threads ? { threads } : {}) });
  } catch (e) {
    const r = (e as { report?: { rungs: Array<{ name: string; reason: string }> } }).report;
    return { engine, note: `skipped: ${r?.rungs.find((g) => g.name === name)?.reason ?? (e as Error).message}` };
  }
  const model = benchModel();
  const [x, y] = synthetic(BATCH * steps);
  // Warm-up epoch of 1 batch, then `steps` timed batches through the real training loop.
  const [xw, yw] = [tf.slice(x, 0, BATCH), tf.slice(y, 0, BATCH)];
  await fit(model, xw, yw, { epochs: 1, batchSize: BATCH, progress: false, seed: 1 });
  const h = await fit(model, x, y, { epochs: 1, batchSize: BATCH, progress: false, seed: 1 });
  const train = h.epochs[0].samplesPerSec;
  // Inference: predict batches of 64, read back each result (read outside tidy: see PERFORMANCE.md).
  const xb = tf.slice(x, 0, BATCH);
  const predictOnce = () => {
    const out = tf.tidy(() => model.predict(xb) as Tensor);
    out.dataSync();
    out.dispose();
  };
  predictOnce();
  const reps = Math.max(2, steps * 3);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) predictOnce();
  const infer = (reps * BATCH) / ((performance.now() - t0) / 1000);
  tf.dispose([x, y, xw, yw, xb]);
  model.dispose();
  const rep = backend.current();
  return { engine, train, infer, note: `${steps} train steps; ${rep?.rungs.find((g) => g.name === name)?.reason ?? ""}` };
}

/** One wasm measurement in a fresh process (the thread count is fixed per process). */
function wasmChild(threads: number, steps: number): Row {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", `--threads=${threads}`, `--steps=${steps}`], {
    encoding: "utf8",
    timeout: 600_000,
    env: { ...process.env, SCIFORGE_WASM_THREADS: String(threads) },
  });
  const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Row;
  } catch {
    return { engine: `tfjs wasm, ${threads} threads`, note: `skipped: child failed (${r.signal ?? r.status}): ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}` };
  }
}

const TORCH_SCRIPT = String.raw`
import json, sys, time
try:
    import torch, torch.nn as nn
except Exception as e:
    print(json.dumps({"error": "torch not importable: %s" % e})); sys.exit(0)
torch.set_num_threads(int(sys.argv[1])); torch.manual_seed(0)
steps = int(sys.argv[2]); B = 64
m = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Linear(64 * 7 * 7, 10))
opt = torch.optim.Adam(m.parameters(), 1e-3); lossf = nn.CrossEntropyLoss()
x = torch.rand(B, 1, 28, 28); y = torch.randint(0, 10, (B,))
def step():
    opt.zero_grad(); l = lossf(m(x), y); l.backward(); opt.step(); return l.item()
for _ in range(3): step()
t = time.perf_counter()
for _ in range(steps): step()
train = steps * B / (time.perf_counter() - t)
m.eval()
with torch.no_grad():
    for _ in range(3): m(x)
    t = time.perf_counter(); reps = steps * 3
    for _ in range(reps): m(x).numpy()
    infer = reps * B / (time.perf_counter() - t)
print(json.dumps({"train": train, "infer": infer, "threads": torch.get_num_threads(), "version": torch.__version__}))
`;

function measureTorch(threads: number, steps: number): Row {
  const engine = `PyTorch CPU, ${threads} thread${threads > 1 ? "s" : ""}`;
  if (!existsSync(TORCH_PY)) return { engine, note: `skipped: ${TORCH_PY} not found` };
  const script = join(tmpdir(), `sciforge-torch-bench-${process.pid}.py`);
  writeFileSync(script, TORCH_SCRIPT);
  const r = spawnSync(TORCH_PY, [script, String(threads), String(steps)], { encoding: "utf8", timeout: 300_000 });
  const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  try {
    const j = JSON.parse(line) as { train?: number; infer?: number; error?: string; threads?: number; version?: string };
    if (j.error) return { engine, note: `skipped: ${j.error}` };
    return { engine: `PyTorch ${j.version} CPU, ${j.threads} thread${j.threads! > 1 ? "s" : ""}`, train: j.train, infer: j.infer, note: `${steps} train steps` };
  } catch {
    return { engine, note: `skipped: torch run failed: ${(r.stderr ?? "").trim().split("\n").pop()}` };
  }
}

const fmt = (v?: number) => (v === undefined ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}x`);
const round1 = (v?: number) => (v === undefined ? null : +v.toFixed(1));

/** The best of `rows` (same engine, several rounds): highest train and infer figures. */
function best(rows: Row[]): Row {
  const ok = rows.filter((r) => r.train !== undefined);
  if (ok.length === 0) return rows[0];
  return { ...ok[0], train: Math.max(...ok.map((r) => r.train!)), infer: Math.max(...ok.map((r) => r.infer!)), note: `${ok[0].note}${rows.length > 1 ? ` (best of ${rows.length})` : ""}` };
}

async function throughput(): Promise<Record<string, unknown>> {
  const steps = opt("steps", QUICK ? 3 : 20);
  const rounds = opt("rounds", QUICK ? 1 : 3);
  const threads = opt("threads", defaultWasmThreads());
  // Which rung "auto" takes (the default backend notebooks get), in this process.
  const auto = await backend.use("auto", { display: false });
  const rows: Row[] = [];
  for (const name of BACKEND_LADDER) {
    if (name === "wasm" || (name === "cpu" && (QUICK || flag("no-cpu")))) continue;
    // The pure-JS cpu backend trains at ~2 img/s: one timed step is enough.
    if (name === "cpu" || name !== auto.chosen) rows.push(await measureTfjs(name, name === "cpu" ? 1 : steps));
  }
  // wasm at 1 and N threads and PyTorch at N and 1, interleaved round by round (load shifts hit both).
  const rounds_: Record<string, Row[]> = { w1: [], wn: [], tn: [], t1: [] };
  for (let k = 0; k < rounds; k++) {
    rounds_.w1.push(wasmChild(1, steps));
    if (threads > 1) rounds_.wn.push(wasmChild(threads, steps));
    rounds_.tn.push(measureTorch(threads, steps));
    if (threads > 1) rounds_.t1.push(measureTorch(1, steps));
  }
  const w1 = best(rounds_.w1);
  const wn = threads > 1 ? best(rounds_.wn) : w1;
  const tn = best(rounds_.tn);
  const t1 = threads > 1 ? best(rounds_.t1) : tn;
  rows.unshift(...(threads > 1 ? [w1, wn] : [w1]));
  rows.push(...(threads > 1 ? [tn, t1] : [tn]));
  const header = ["engine", "train img/s", "infer img/s", `train vs torch`, `infer vs torch`, "note"];
  // each row is compared with PyTorch on the same number of threads
  const ref = (r: Row) => (/ 1 thread$/.test(r.engine) ? t1 : tn);
  const body = rows.map((r) => [r.engine, fmt(r.train), fmt(r.infer), ratio(r.train, ref(r).train), ratio(r.infer, ref(r).infer), r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  console.log(`\nCNN conv32-pool-conv64-pool-dense10, Adam, batch ${BATCH}, 28x28x1; ${threads} threads = this machine's cores (max 8); ratios against PyTorch on the same threads`);
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const b of body) console.log(line(b));
  const r = (a?: number, b?: number) => (a !== undefined && b ? +(a / b).toFixed(3) : null);
  return {
    train_ratio_vs_torch: r(wn.train, tn.train),
    infer_ratio_vs_torch: r(wn.infer, tn.infer),
    threads,
    backend: auto.chosen,
    train_img_s: round1(wn.train),
    infer_img_s: round1(wn.infer),
    wasm_1thread_train_img_s: round1(w1.train),
    wasm_1thread_infer_img_s: round1(w1.infer),
    thread_scaling_train: r(wn.train, w1.train),
    torch_train_img_s: round1(tn.train),
    torch_infer_img_s: round1(tn.infer),
    torch_1thread_train_img_s: round1(t1.train),
    train_ratio_vs_torch_1thread: r(w1.train, t1.train),
  };
}

/** Full training of the VGG-style model on the Fashion-MNIST subset (10k train / 2k test). */
async function accuracy(): Promise<Record<string, unknown>> {
  const D = DATA + "/fashion-mnist/";
  const tf = tfjs();
  const auto = await backend.use("auto", { display: false });
  const epochs = opt("epochs", 12);
  const tr = loadIdx(D + "train-images-idx3-ubyte.gz", D + "train-labels-idx1-ubyte.gz");
  const te = loadIdx(D + "t10k-images-idx3-ubyte.gz", D + "t10k-labels-idx1-ubyte.gz");
  const model = buildVGG({ inputShape: [28, 28, 1], numClasses: 10, blocks: [[16, 16], [32, 32]], dense: [128], dropout: 0.3, batchNorm: true, seed: 1 });
  const t0 = performance.now();
  const h = await fit(model, tr.x, tr.y, {
    epochs,
    batchSize: 64,
    seed: 1,
    augment: augment.flip(),
    validationData: [te.x, te.y],
    callbacks: [callbacks.lrScheduler(callbacks.schedules.cosineDecay(epochs, 1e-5))],
    progress: 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(te.x) as Tensor, -1), tf.cast(te.y, "int32")), "float32")).dataSync()[0]);
  console.log(`\nFashion-MNIST subset (${tr.x.shape[0]} train / ${te.x.shape[0]} test), VGG-style 16-16/32-32 + BN + dropout, ${h.epochs.length} epochs, ${seconds.toFixed(0)} s on ${auto.chosen}: test accuracy ${(acc * 100).toFixed(2)} %`);
  return { fashion_mnist_test_accuracy: +acc.toFixed(4), accuracy_epochs: h.epochs.length, accuracy_seconds: +seconds.toFixed(1), accuracy_backend: auto.chosen };
}

(async () => {
  if (flag("child")) {
    // one wasm row, for the parent: JSON on the last line
    console.log(JSON.stringify(await measureTfjs("wasm", opt("steps", 20), opt("threads", 1))));
    return;
  }
  let out: Record<string, unknown> = {};
  if (!flag("accuracy-only")) out = { ...out, ...(await throughput()) };
  if (flag("accuracy") || flag("accuracy-only")) out = { ...out, ...(await accuracy()) };
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
