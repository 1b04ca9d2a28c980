import { test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor } from "@tensorflow/tfjs";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildVGG } from "../../../kernel-helpers/lib/train/models/vgg";
import { buildResNet } from "../../../kernel-helpers/lib/train/models/resnet";
import { buildCNN1D } from "../../../kernel-helpers/lib/train/models/cnn1d";
import { buildMLP } from "../../../kernel-helpers/lib/train/models/mlp";
import { fit, regularizationLosses } from "../../../kernel-helpers/lib/train/fit/fit";
import { seededRandom } from "../../../kernel-helpers/lib/train/fit/random";

const layerTypes = (m: { layers: Array<{ getClassName(): string }> }) => m.layers.map((l) => l.getClassName());

test("builders honour batch-norm, dropout, L2 and seeds", async () => {
  // Before any backend.use(), a model is built on the stand-in cpu backend (fit moves it).
  assert.deepEqual(buildMLP({ inputDim: 2, numClasses: 3 }).outputs[0].shape, [null, 3]);
  await useBackend("wasm", { display: false });
  const v = buildVGG({ inputShape: [8, 8, 3], numClasses: 5, blocks: [[4, 4]], dense: [8], batchNorm: true, dropout: 0.2, l2: 1e-3, seed: 1 });
  assert.deepEqual(v.outputs[0].shape, [null, 5]);
  assert.ok(layerTypes(v).includes("BatchNormalization"));
  assert.ok(layerTypes(v).includes("Dropout"));
  assert.equal(regularizationLosses(v).length, 4, "one L2 penalty per kernel: 2 convs, 1 hidden dense, 1 output");
  const same = buildVGG({ inputShape: [8, 8, 3], numClasses: 5, blocks: [[4, 4]], dense: [8], seed: 1 });
  const other = buildVGG({ inputShape: [8, 8, 3], numClasses: 5, blocks: [[4, 4]], dense: [8], seed: 2 });
  const w0 = v.getWeights()[0].dataSync();
  assert.deepEqual(same.getWeights()[0].dataSync(), w0);
  assert.notDeepEqual(other.getWeights()[0].dataSync(), w0);
  const r = buildResNet({ inputShape: [16, 16, 3], numClasses: 3, stages: [4, 8], blocksPerStage: 1, seed: 1 });
  assert.ok(layerTypes(r).includes("Add"));
  assert.deepEqual(r.outputs[0].shape, [null, 3]);
  const c = buildCNN1D({ inputShape: [100, 4], numClasses: 2, task: "binary", filters: [8], seed: 1 });
  assert.deepEqual(c.outputs[0].shape, [null, 1]);
  const m = buildMLP({ inputDim: 6, hidden: [8], task: "regression", numClasses: 2, batchNorm: true, dropout: 0.1 });
  assert.deepEqual(m.outputs[0].shape, [null, 2]);
});

test("small ResNet trains on wasm (strided convs, 1x1 projections, batch-norm)", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const n = 96;
  const rand = seededRandom(3);
  const xs = new Float32Array(n * 12 * 12 * 1);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ys[i] = i % 2;
    for (let p = 0; p < 144; p++) xs[i * 144 + p] = rand() * 0.5 + (ys[i] === 1 && p % 12 < 6 ? 0.5 : 0);
  }
  const model = buildResNet({ inputShape: [12, 12, 1], numClasses: 2, stages: [4, 8], blocksPerStage: 1, seed: 1 });
  const h = await fit(model, tf.tensor4d(xs, [n, 12, 12, 1]), tf.tensor1d(ys), { epochs: 6, batchSize: 16, seed: 1, progress: false, learningRate: 1e-2 });
  assert.ok(h.history.loss.at(-1)! < h.history.loss[0], `loss ${h.history.loss}`);
  assert.ok(h.history.acc.at(-1)! > 0.8, `acc ${h.history.acc}`);
});

test("1D CNN finds a DNA motif in one-hot sequences (binary task)", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const n = 200, L = 40;
  const rand = seededRandom(7);
  const x = new Float32Array(n * L * 4);
  const y = new Float32Array(n);
  const motif = [0, 2, 2, 3, 1, 0]; // A G G T C A
  for (let i = 0; i < n; i++) {
    const seq = Array.from({ length: L }, () => Math.floor(rand() * 4));
    y[i] = i % 2;
    if (y[i] === 1) {
      const at = Math.floor(rand() * (L - motif.length));
      motif.forEach((b, k) => (seq[at + k] = b));
    }
    seq.forEach((b, p) => (x[(i * L + p) * 4 + b] = 1));
  }
  const model = buildCNN1D({ inputShape: [L, 4], task: "binary", filters: [16], kernelSize: 6, poolSize: 1, dense: [8], seed: 2 });
  const h = await fit(model, tf.tensor3d(x, [n, L, 4]), tf.tensor1d(y), { epochs: 15, batchSize: 20, seed: 2, progress: false, learningRate: 1e-2 });
  assert.ok(h.history.acc.at(-1)! > 0.9, `acc ${h.history.acc}`);
});

test("MLP regression on tabular data; a NaN target is refused before training, naming its index", async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const n = 64;
  const rand = seededRandom(1);
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) x[i * 3 + k] = rand() * 2 - 1;
    y[i] = 2 * x[i * 3] - x[i * 3 + 1] + 0.5 * x[i * 3 + 2];
  }
  const model = buildMLP({ inputDim: 3, hidden: [16], task: "regression", seed: 1 });
  const h = await fit(model, tf.tensor2d(x, [n, 3]), tf.tensor1d(y), { epochs: 40, batchSize: 16, seed: 1, progress: false, learningRate: 1e-2 });
  assert.equal(h.history.acc, undefined);
  assert.ok(h.history.loss.at(-1)! < 0.05 * h.history.loss[0], `mse ${h.history.loss[0]} → ${h.history.loss.at(-1)}`);
  y[20] = NaN;
  // (it used to train until the loss became NaN at epoch 1, batch 3: now it does not start)
  await assert.rejects(fit(model, tf.tensor2d(x, [n, 3]), tf.tensor1d(y), { epochs: 2, batchSize: 8, shuffle: false, progress: false }), /^FitInputError: fit: y has NaN at y\[20\]: targets must be finite numbers/);
  const p = model.predict(tf.tensor2d(x.slice(0, 6), [2, 3])) as Tensor;
  assert.ok(Array.from(p.dataSync()).every(Number.isFinite));
});

test("buildMLP with no hidden layer is a linear (softmax regression) baseline", () => {
  const m = buildMLP({ inputDim: 5, hidden: [], numClasses: 3, seed: 1 });
  assert.equal(m.layers.filter((l) => l.getClassName() === "Dense").length, 1);
  assert.deepEqual(m.outputs[0].shape, [null, 3]);
  assert.equal(m.countParams(), 5 * 3 + 3);
});
