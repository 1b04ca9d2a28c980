// Training / inference throughput of the Sciforge backends against PyTorch (same CNN, same batch),
// measured in one run. Usage:
//   npm run bench:train                      throughput table + JSON line
//   npm run bench:train -- --accuracy        also: full VGG training on the Fashion-MNIST subset
//   ... -- --accuracy-only | --no-cpu | --steps=N
// The machine is shared (2 cores, several users): numbers are noisy (±20 % or worse).
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

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string, def: number) => {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a ? Number(a.split("=")[1]) : def;
};
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

async function measureTfjs(name: BackendName, steps: number): Promise<Row> {
  const tf = tfjs();
  try {
    await backend.use(name, { display: false });
  } catch (e) {
    const r = (e as { report?: { rungs: Array<{ name: string; reason: string }> } }).report;
    return { engine: `tfjs ${name}`, note: `skipped: ${r?.rungs.find((g) => g.name === name)?.reason ?? (e as Error).message}` };
  }
  const model = benchModel();
  const [x, y] = synthetic(BATCH * steps);
  // Warm-up epoch of 1 batch, then `steps` timed batches through the real training loop.
  const [xw, yw] = [tf.slice(x, 0, BATCH), tf.slice(y, 0, BATCH)];
  await fit(model, xw, yw, { epochs: 1, batchSize: BATCH, progress: false, seed: 1 });
  const h = await fit(model, x, y, { epochs: 1, batchSize: BATCH, progress: false, seed: 1 });
  const train = h.epochs[0].samplesPerSec;
  // Inference: predict batches of 64, read back each result.
  const xb = tf.slice(x, 0, BATCH);
  tf.tidy(() => (model.predict(xb) as Tensor).dataSync());
  const reps = Math.max(2, steps * 3);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => (model.predict(xb) as Tensor).dataSync());
  const infer = (reps * BATCH) / ((performance.now() - t0) / 1000);
  tf.dispose([x, y, xw, yw, xb]);
  model.dispose();
  const rep = backend.current();
  return { engine: `tfjs ${name}`, train, infer, note: `${steps} train steps; ${rep?.rungs.find((g) => g.name === name)?.reason ?? ""}` };
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

function measureTorch(steps: number): Row {
  if (!existsSync(TORCH_PY)) return { engine: "PyTorch", note: `skipped: ${TORCH_PY} not found` };
  const script = join(tmpdir(), `sciforge-torch-bench-${process.pid}.py`);
  writeFileSync(script, TORCH_SCRIPT);
  const threads = Math.min(2, (require("node:os") as typeof import("node:os")).cpus().length);
  const r = spawnSync(TORCH_PY, [script, String(threads), String(steps)], { encoding: "utf8", timeout: 300_000 });
  const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  try {
    const j = JSON.parse(line) as { train?: number; infer?: number; error?: string; threads?: number; version?: string };
    if (j.error) return { engine: "PyTorch", note: `skipped: ${j.error}` };
    return { engine: `PyTorch ${j.version} CPU`, train: j.train, infer: j.infer, note: `${j.threads} threads, ${steps} train steps` };
  } catch {
    return { engine: "PyTorch", note: `skipped: torch run failed: ${(r.stderr ?? "").trim().split("\n").pop()}` };
  }
}

const fmt = (v?: number) => (v === undefined ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}x`);

async function throughput(): Promise<Record<string, unknown>> {
  const steps = opt("steps", 20);
  // Which rung "auto" takes (this is the default backend notebooks get).
  const auto = await backend.use("auto", { display: false });
  const rows: Row[] = [];
  for (const name of BACKEND_LADDER) {
    if (name === "cpu" && flag("no-cpu")) {
      rows.push({ engine: "tfjs cpu", note: "skipped: --no-cpu" });
      continue;
    }
    // The pure-JS cpu backend trains at ~2 img/s: two timed steps are enough.
    rows.push(await measureTfjs(name, name === "cpu" ? 1 : steps));
  }
  const torch = measureTorch(steps);
  rows.push(torch);
  const header = ["engine", "train img/s", "infer img/s", "train vs torch", "infer vs torch", "note"];
  const body = rows.map((r) => [r.engine, fmt(r.train), fmt(r.infer), ratio(r.train, torch.train), ratio(r.infer, torch.infer), r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  console.log(`\nCNN conv32-pool-conv64-pool-dense10, Adam, batch ${BATCH}, 28x28x1 (shared 2-core machine: noisy)`);
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const b of body) console.log(line(b));
  const best = rows.find((r) => r.engine === `tfjs ${auto.chosen}`);
  return {
    train_ratio_vs_torch: best?.train !== undefined && torch.train ? +(best.train / torch.train).toFixed(3) : null,
    infer_ratio_vs_torch: best?.infer !== undefined && torch.infer ? +(best.infer / torch.infer).toFixed(3) : null,
    backend: auto.chosen,
    train_img_s: best?.train !== undefined ? +best.train.toFixed(1) : null,
    infer_img_s: best?.infer !== undefined ? +best.infer.toFixed(1) : null,
    torch_train_img_s: torch.train !== undefined ? +torch.train.toFixed(1) : null,
    torch_infer_img_s: torch.infer !== undefined ? +torch.infer.toFixed(1) : null,
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
  let out: Record<string, unknown> = {};
  if (!flag("accuracy-only")) out = { ...out, ...(await throughput()) };
  if (flag("accuracy") || flag("accuracy-only")) out = { ...out, ...(await accuracy()) };
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
