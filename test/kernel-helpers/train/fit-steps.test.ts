// fit's loop split into steps: trainBatch (one optimizer step) and TrainLoop.trainEpoch (one epoch),
// each usable alone. Driving them by hand gives fit's numbers exactly, callbacks in fit's order.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor, Variable } from "@tensorflow/tfjs";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildMLP } from "../../../kernel-helpers/lib/train/models/mlp";
import { fit, trainBatch, TrainLoop, type BatchSetup } from "../../../kernel-helpers/lib/train/fit/fit";
import { RowSource } from "../../../kernel-helpers/lib/train/fit/batches";
import { makeOptimizer } from "../../../kernel-helpers/lib/train/fit/optimizer";
import { seededRandom } from "../../../kernel-helpers/lib/train/fit/random";
import type { TrainCallback } from "../../../kernel-helpers/lib/train/fit/types";
import { values } from "./grad-check";

function data(n: number): [Tensor, Tensor] {
  const tf = tfjs();
  const v = values(n * 4, 7);
  const x = tf.tensor2d(v, [n, 4]);
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => (v[i * 4] + v[i * 4 + 1] > 0 ? 1 : 0)), "float32");
  return [x, y];
}

const model = () => buildMLP({ inputDim: 4, hidden: [8], task: "classification", numClasses: 2, seed: 4 });

/** Records every hook call as "hook:arg". */
function recorder(log: string[]): TrainCallback {
  return {
    onTrainBegin: () => void log.push("trainBegin"),
    onEpochBegin: (e) => void log.push(`epochBegin:${e}`),
    onBatchEnd: (b, logs) => void log.push(`batchEnd:${b}:${logs.loss}`),
    onEpochEnd: (e, rec) => void log.push(`epochEnd:${e}:${rec.loss}:${rec.acc}`),
    onTrainEnd: (h) => void log.push(`trainEnd:${h.epochs.length}`),
  };
}

async function setupOf(m: ReturnType<typeof model>, x: Tensor, y: Tensor, seed: number): Promise<BatchSetup> {
  return {
    model: m,
    optimizer: makeOptimizer("adam", 1e-2),
    vars: m.trainableWeights.map((w) => w.read() as Variable),
    loss: "sparseCategoricalCrossentropy",
    xs: await RowSource.of(x),
    ys: await RowSource.of(y),
    wantAcc: true,
    rand: seededRandom(seed),
  };
}

test("TrainLoop.trainEpoch driven by hand equals fit: same losses, weights and callback order", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const [x, y] = data(50);
  const viaFit: string[] = [];
  const a = model();
  const h = await fit(a, x, y, { epochs: 3, batchSize: 16, seed: 9, learningRate: 1e-2, progress: false, callbacks: [recorder(viaFit)] });

  const byHand: string[] = [];
  const b = model();
  const loop = new TrainLoop(await setupOf(b, x, y, 9), { epochs: 3, batchSize: 16, seed: 9, backend: h.backend }, [recorder(byHand)]);
  await loop.call("onTrainBegin", loop.ctx);
  const records = [];
  for (let e = 1; e <= 3; e++) records.push(await loop.trainEpoch(e));
  await loop.call("onTrainEnd", loop.history, loop.ctx);

  assert.deepEqual(byHand, viaFit);
  assert.equal(viaFit.filter((s) => s.startsWith("batchEnd")).length, 3 * 4);
  assert.deepEqual(records.map((r) => r?.loss), h.history.loss);
  assert.deepEqual(loop.history.history.acc, h.history.acc);
  assert.equal(loop.history.batchesSeen, h.batchesSeen);
  for (let i = 0; i < a.trainableWeights.length; i++) {
    assert.deepEqual(Array.from(b.trainableWeights[i].read().dataSync()), Array.from(a.trainableWeights[i].read().dataSync()));
  }
  tf.dispose([x, y]);
});

test("trainBatch: one step lowers the batch loss; a NaN input is reported and the update not applied", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const [x, y] = data(32);
  const m = model();
  const setup = await setupOf(m, x, y, 1);
  const order = Int32Array.from({ length: 32 }, (_, i) => i);
  const first = await trainBatch(setup, order, 0, 32);
  assert.equal(first.samples, 32);
  assert.ok(first.finite && first.correct >= 0 && first.correct <= 32);
  let last = first;
  for (let i = 0; i < 20; i++) last = await trainBatch(setup, order, 0, 32);
  assert.ok(last.loss < first.loss, `loss ${first.loss} → ${last.loss}`);

  const before = m.trainableWeights.map((w) => Array.from(w.read().dataSync()));
  const bad = x.arraySync() as number[][];
  bad[3][1] = NaN;
  const xBad = tf.tensor2d(bad);
  const r = await trainBatch({ ...setup, xs: await RowSource.of(xBad) }, order, 0, 8);
  assert.equal(r.finite, false);
  assert.ok(Number.isNaN(r.loss));
  assert.deepEqual(m.trainableWeights.map((w) => Array.from(w.read().dataSync())), before);
  tf.dispose([x, y, xBad]);
});
