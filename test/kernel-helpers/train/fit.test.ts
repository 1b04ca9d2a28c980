import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tensor } from "@tensorflow/tfjs";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildVGG } from "../../../kernel-helpers/lib/train/models/vgg";
import { fit, NonFiniteLossError } from "../../../kernel-helpers/lib/train/fit/fit";
import { callbacks } from "../../../kernel-helpers/lib/train/callbacks/index";
import { loadModel } from "../../../kernel-helpers/lib/train/io/file-handler";
import type { TrainingProgress } from "../../../kernel-helpers/lib/train/callbacks/progress";
import { installFakeBridge } from "../../helpers/fake-bridge";
import { values } from "./grad-check";

function data(n: number, seed = 1): [Tensor, Tensor] {
  const tf = tfjs();
  const x = tf.tensor4d(values(n * 16 * 16, seed).map((v) => (v + 1) / 2), [n, 16, 16, 1]);
  // Label = which quadrant is brightest: learnable by a small CNN.
  const y = tf.tidy(() => {
    const q = [tf.slice(x, [0, 0, 0, 0], [n, 8, 8, 1]), tf.slice(x, [0, 0, 8, 0], [n, 8, 8, 1]), tf.slice(x, [0, 8, 0, 0], [n, 8, 8, 1]), tf.slice(x, [0, 8, 8, 0], [n, 8, 8, 1])];
    return tf.cast(tf.argMax(tf.stack(q.map((t) => tf.mean(t, [1, 2, 3])), 1), 1), "float32");
  });
  return [x, y];
}

const small = (seed = 3, extra = {}) => buildVGG({ inputShape: [16, 16, 1], numClasses: 4, blocks: [[4], [8]], dense: [16], seed, ...extra });

test("same seed: wasm and cpu give the same per-batch losses (first steps) to ~1e-4", async () => {
  const run = async (b: "wasm" | "cpu") => {
    await useBackend(b, { display: false });
    const [x, y] = data(48);
    const model = small();
    const losses: number[] = [];
    await fit(model, x, y, { epochs: 1, batchSize: 16, seed: 5, progress: false, callbacks: [{ onBatchEnd: (_b, logs) => void losses.push(logs.loss) }] });
    model.dispose();
    tfjs().dispose([x, y]);
    return losses;
  };
  const w = await run("wasm");
  const c = await run("cpu");
  assert.equal(w.length, 3);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(w[i] - c[i]) / Math.abs(c[i]) < 1e-4, `batch ${i + 1}: wasm ${w[i]} cpu ${c[i]}`);
  await useBackend("wasm", { display: false });
});

test("a fixed seed reproduces the run exactly, dropout included; another seed differs", async () => {
  await useBackend("wasm", { display: false });
  const [x, y] = data(64);
  const once = async (seed: number) => (await fit(small(1, { dropout: 0.5 }), x, y, { epochs: 2, batchSize: 16, seed, progress: false })).history.loss;
  const a = await once(11);
  const b = await once(11);
  const c = await once(12);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("interrupt at a batch edge: training stops, model and history stay usable", async () => {
  await useBackend("wasm", { display: false });
  const { bridge, remove } = installFakeBridge();
  try {
    const [x, y] = data(160);
    const model = small();
    const h = await fit(model, x, y, {
      epochs: 3,
      batchSize: 16,
      seed: 1,
      progress: 1,
      callbacks: [{ onBatchEnd: (b, _l, ctx) => { if (ctx.history.epochs.length === 1 && b === 4) bridge.interrupted = true; } }],
    });
    assert.equal(h.stopped?.reason, "interrupt");
    assert.equal(h.stopped?.epoch, 2);
    assert.equal(h.stopped?.batch, 4);
    assert.match(h.stopped!.message, /epoch 2 after batch 4\/10/);
    assert.equal(h.epochs.length, 1);
    assert.equal(h.batchesSeen, 10 + 4);
    assert.equal(h.partialEpoch?.batches, 4);
    const p = model.predict(tfjs().slice(x, 0, 2)) as Tensor;
    assert.deepEqual(p.shape, [2, 4]);
    assert.ok(Array.from(p.dataSync()).every(Number.isFinite));
    // The live display: created once, updated in place, final state says why it stopped.
    const outs = bridge.outputs.filter((o) => MIME.training in o.data);
    assert.equal(outs.filter((o) => !o.update).length, 1);
    assert.ok(outs.filter((o) => o.update).length >= 10);
    assert.ok(outs.every((o) => o.displayId === outs[0].displayId));
    const last = outs.at(-1)!.data;
    const payload = last[MIME.training] as TrainingProgress;
    assert.equal(payload.status, "stopped");
    assert.match(payload.message!, /interrupted/);
    assert.match(last[MIME.text] as string, /^stopped: 1\/3 epochs in \d+s on wasm/);
    assert.match(last[MIME.html] as string, /<progress/);
    const running = outs[3].data[MIME.training] as TrainingProgress;
    assert.ok(running.samplesPerSec > 0 && Number.isFinite(running.etaSeconds) && typeof running.logs.loss === "number");
    // Training continues from where it stopped once the flag is cleared.
    bridge.interrupted = false;
    const h2 = await fit(model, x, y, { epochs: 1, batchSize: 16, progress: false });
    assert.equal(h2.stopped, undefined);
  } finally {
    remove();
  }
});

test("a NaN loss stops training with a message naming epoch and batch; the bad update is not applied", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const [x0, y] = data(64);
  const bad = x0.arraySync() as number[][][][];
  // Sample 37 → batch 3 (batch size 16, no shuffle): finite pixels (fit's input check passes) so large
  // that the convolutions overflow float32, so the loss becomes NaN/Inf inside the network.
  for (const row of bad[37]) for (const px of row) px[0] = 3e38;
  const x = tf.tensor4d(bad);
  const model = small();
  const h = await fit(model, x, y, { epochs: 2, batchSize: 16, shuffle: false, progress: false });
  assert.equal(h.stopped?.reason, "non-finite");
  assert.equal(h.stopped?.epoch, 1);
  assert.equal(h.stopped?.batch, 3);
  assert.match(h.stopped!.message, /(loss|gradients) became (NaN|Inf).* at epoch 1, batch 3\/4/);
  assert.equal(h.batchesSeen, 2);
  const w = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
  assert.ok(w.every(Number.isFinite), "weights stay finite");
  await assert.rejects(fit(small(), x, y, { epochs: 1, batchSize: 16, shuffle: false, progress: false, onNonFinite: "throw" }), NonFiniteLossError);
});

test("fit refuses inputs that cannot train, naming the first bad value: labels outside [0, classes), non-integer labels, NaN/Inf in x, x/y length", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const [x, y] = data(32);
  const labels = Array.from(y.dataSync());
  const refuse = async (xs: Tensor, ys: Tensor, pattern: RegExp, options = {}) =>
    assert.rejects(fit(small(), xs, ys, { epochs: 1, batchSize: 16, progress: false, ...options }), (e: Error) => {
      assert.equal(e.name, "FitInputError");
      assert.match(e.message, pattern);
      return true;
    });
  // the case: labels 3 and 7 with 3 classes trained to a constant loss and accuracy 0, silently
  const three = buildVGG({ inputShape: [16, 16, 1], numClasses: 3, blocks: [[4]], dense: [], seed: 1 });
  const over = labels.map((v, i) => (i === 5 ? 3 : i === 9 ? 7 : v % 3));
  await assert.rejects(fit(three, x, tf.tensor1d(over), { epochs: 1, progress: false }), /^FitInputError: fit: y\[5\] is 3, but the model's softmax output has 3 classes: labels must be in \[0, 3\)/);
  await refuse(x, tf.tensor1d(labels.map((v, i) => (i === 11 ? -1 : v))), /y\[11\] is -1, but .* 4 classes/);
  await refuse(x, tf.tensor1d(labels.map((v, i) => (i === 2 ? 1.5 : v))), /y\[2\] is 1\.5: class labels must be whole numbers in \[0, 4\)/);
  const xs = x.arraySync() as number[][][][];
  xs[17][2][5][0] = NaN;
  await refuse(tf.tensor4d(xs), y, /x has NaN at x\[17\] at \[2, 5, 0\]: inputs must be finite/);
  xs[17][2][5][0] = 0;
  xs[3][0][1][0] = -Infinity;
  await refuse(tf.tensor4d(xs), y, /x has -Infinity at x\[3\] at \[0, 1, 0\]/);
  await refuse(x, tf.slice(y, 0, 30), /x has 32 samples but y has 30/);
  await refuse(x, y, /validation y\[1\] is 9, but .* 4 classes/, { validationData: [x, tf.tensor1d(labels.map((v, i) => (i === 1 ? 9 : v)))] });
});

test("early stopping, best-model checkpoint (atomic files) and LR schedule", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const [x, y] = data(64);
  const [vx, vy] = data(32, 9);
  const dir = mkdtempSync(join(tmpdir(), "sciforge-ckpt-"));
  const saved: number[] = [];
  const model = small();
  // lr = 0 from epoch 2: val_loss stops improving, so patience 2 stops after epoch 3.
  const h = await fit(model, x, y, {
    epochs: 10,
    batchSize: 16,
    seed: 2,
    progress: false,
    validationData: [vx, vy],
    callbacks: [
      callbacks.lrScheduler((epoch, lr0) => (epoch === 1 ? lr0 : 0)),
      callbacks.earlyStopping({ patience: 2 }),
      callbacks.modelCheckpoint({ dir, onSave: (e) => saved.push(e) }),
    ],
  });
  assert.equal(h.stopped?.reason, "early-stopping");
  assert.equal(h.epochs.length, 3);
  assert.deepEqual(h.history.lr, [1e-3, 0, 0]);
  assert.deepEqual(saved, [1]);
  assert.deepEqual(readdirSync(dir).sort(), ["model.json", "weights.bin"]);
  const loaded = await loadModel(dir);
  const a = (model.predict(vx) as Tensor).dataSync();
  const b = (loaded.predict(vx) as Tensor).dataSync();
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-6);
  tf.dispose([x, y, vx, vy]);
});

test("step/cosine schedules and class weights", async () => {
  const { stepDecay, cosineDecay } = callbacks.schedules;
  assert.deepEqual([1, 2, 3, 4, 5].map((e) => stepDecay(2, 0.5)(e, 1)), [1, 1, 0.5, 0.5, 0.25]);
  assert.equal(cosineDecay(5)(1, 1), 1);
  assert.ok(Math.abs(cosineDecay(5)(5, 1)) < 1e-12);
  await useBackend("wasm", { display: false });
  const [x, y] = data(16);
  const first = async (classWeight?: number[]) => {
    let l = 0;
    await fit(small(), x, y, { epochs: 1, batchSize: 16, seed: 1, progress: false, classWeight, callbacks: [{ onBatchEnd: (_b, logs) => void (l = logs.loss) }] });
    return l;
  };
  const base = await first();
  const doubled = await first([2, 2, 2, 2]);
  assert.ok(Math.abs(doubled - 2 * base) < 1e-4 * base);
});

test("validationSplit holds out the tail and reports val_loss / val_acc each epoch", async () => {
  await useBackend("wasm", { display: false });
  const [x, y] = data(40);
  const h = await fit(small(), x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, seed: 1, progress: false });
  assert.equal(h.samplesSeen, 2 * 30);
  assert.equal(h.history.val_loss.length, 2);
  assert.ok(h.history.val_acc.every((v) => v >= 0 && v <= 1));
  assert.ok(h.epochs.every((e) => e.samplesPerSec > 0));
});
