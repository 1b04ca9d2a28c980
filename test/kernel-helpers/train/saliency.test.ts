// Input-gradient saliency: exact on a linear model, equal to central finite differences on a
// small smooth CNN, the same on wasm (Sciforge's conv / max-pool gradient kernels) as on cpu,
// and clear errors for bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildCNN1D } from "../../../kernel-helpers/lib/train/models/cnn1d";
import { buildMLP } from "../../../kernel-helpers/lib/train/models/mlp";
import { saliency } from "../../../kernel-helpers/lib/train/explain/saliency";
import { relError, values } from "./grad-check";

/** A smooth (tanh) 1D CNN with a softmax head, seeded. */
function smoothCnn(L: number, C: number, classes: number): LayersModel {
  const tf = tfjs();
  const m = tf.sequential();
  m.add(tf.layers.conv1d({ inputShape: [L, C], filters: 3, kernelSize: 3, padding: "same", activation: "tanh", kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4, stddev: 0.1 }) }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
  return m;
}

test("saliency of a linear regression model is exactly its weights", async () => {
  await useBackend("cpu", { display: false });
  const tf = tfjs();
  const model = buildMLP({ inputDim: 5, hidden: [], task: "regression", numClasses: 1, seed: 1 });
  const w = [0.5, -2, 0, 1.25, 3];
  model.setWeights([tf.tensor2d(w, [5, 1]), tf.tensor1d([0.7])]);
  const xv = [[1, 2, 3, 4, 5], [-1, 0, 2, 0.5, 1], [0, 0, 0, 0, 0]];
  const x = tf.tensor2d(xv);
  const s = await saliency(model, x);
  assert.deepEqual(s.shape, [3, 5]);
  assert.deepEqual(Array.from(s.targets), [0, 0, 0], "a single-output model differentiates unit 0");
  assert.deepEqual(Array.from(s.gradient), [...w, ...w, ...w]);
  assert.deepEqual(Array.from(s.positions), w.map(Math.abs));
  assert.deepEqual(Array.from(s.signed), w);
  const gi = await saliency(model, x, { method: "gradientTimesInput", batchSize: 2 });
  assert.deepEqual(Array.from(gi.perSample), xv.flatMap((r) => r.map((v, j) => Math.abs(v * w[j]))));
  const mean = w.map((wj, j) => xv.reduce((a, r) => a + Math.abs(r[j] * wj), 0) / 3);
  Array.from(gi.positions).forEach((v, j) => assert.ok(Math.abs(v - mean[j]) < 1e-6, `position ${j}: ${v} vs ${mean[j]}`));
});

test("saliency gradients equal central finite differences on a small CNN (probability and log-probability)", async () => {
  await useBackend("cpu", { display: false });
  const tf = tfjs();
  const [n, L, C, K] = [3, 8, 4, 3];
  const model = smoothCnn(L, C, K);
  const xd = values(n * L * C, 11);
  const x = tf.tensor3d(xd, [n, L, C]);
  const target = [2, 0, 1];
  const h = 1e-2;
  for (const score of ["output", "log"] as const) {
    const s = await saliency(model, x, { target, score, batchSize: 2 });
    assert.deepEqual(Array.from(s.targets), target);
    for (let i = 0; i < n; i++) {
      // All ±h perturbations of sample i in one batch.
      const D = L * C;
      const batch = new Float32Array(2 * D * D);
      for (let j = 0; j < D; j++)
        for (const [k, sign] of [[2 * j, 1], [2 * j + 1, -1]] as const) {
          batch.set(xd.subarray(i * D, (i + 1) * D), k * D);
          batch[k * D + j] += sign * h;
        }
      const p = tf.tidy(() => (model.predict(tf.tensor3d(batch, [2 * D, L, C])) as Tensor).arraySync() as number[][]);
      const f = (row: number[]) => (score === "log" ? Math.log(row[target[i]]) : row[target[i]]);
      const fd = Array.from({ length: D }, (_, j) => (f(p[2 * j]) - f(p[2 * j + 1])) / (2 * h));
      const g = s.gradient.subarray(i * D, (i + 1) * D);
      const err = relError(g, fd);
      assert.ok(err < 2e-3, `sample ${i}, score ${score}: relative error ${err}`);
      assert.ok(Math.max(...fd.map(Math.abs)) > 1e-3, "the finite differences are not all ~0 (the check can fail)");
    }
  }
  // "predicted" (the default) differentiates each sample's arg-max class.
  const pred = Array.from((model.predict(x) as Tensor).argMax(-1).dataSync());
  assert.deepEqual(Array.from((await saliency(model, x)).targets), pred);
});

test("saliency of a 1D CNN with max-pooling and relu is the same on wasm as on cpu", async () => {
  const tf = tfjs();
  const [n, L] = [6, 20];
  const xd = new Float32Array(n * L * 4);
  // One-hot DNA-like input.
  values(n * L, 5).forEach((v, k) => (xd[k * 4 + Math.min(3, Math.floor((v + 1) * 2))] = 1));
  const run = async (b: "cpu" | "wasm") => {
    await useBackend(b, { display: false });
    const model = buildCNN1D({ inputShape: [L, 4], numClasses: 3, filters: [4, 6], kernelSize: 5, globalPool: "flatten", dense: [8], seed: 2 });
    return saliency(model, tf.tensor3d(xd, [n, L, 4]), { target: 1, score: "log" });
  };
  const cpu = await run("cpu");
  const wasm = await run("wasm");
  assert.ok(Math.max(...Array.from(cpu.gradient, Math.abs)) > 0, "non-zero gradient");
  assert.ok(relError(wasm.gradient, cpu.gradient) < 1e-4, `wasm vs cpu ${relError(wasm.gradient, cpu.gradient)}`);
  assert.ok(relError(wasm.positions, cpu.positions) < 1e-4);
});

test("saliency rejects bad input with messages that name the problem", async () => {
  await useBackend("cpu", { display: false });
  const tf = tfjs();
  const model = smoothCnn(8, 4, 3);
  const x = tf.zeros([2, 8, 4]);
  await assert.rejects(saliency(model, tf.zeros([2, 9, 4])), /x has shape \[2,9,4\] but the model takes \[n, 8,4\]/);
  await assert.rejects(saliency(model, tf.zeros([2])), /x must be a tensor \[samples, positions, \.\.\.channels\], got shape \[2\]/);
  await assert.rejects(saliency(model, x, { target: 3 }), /target 3 \(sample 0\) is not an output unit 0\.\.2/);
  await assert.rejects(saliency(model, x, { target: [0, 1.5] }), /target 1\.5 \(sample 1\) is not an output unit/);
  await assert.rejects(saliency(model, x, { target: [0] }), /target has 1 entries for 2 samples/);
  await assert.rejects(saliency(model, x, { method: "occlusion" as never }), /unknown method "occlusion"/);
  await assert.rejects(saliency(model, x, { score: "logit" as never }), /unknown score "logit"/);
  await assert.rejects(saliency(model, x, { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  await assert.rejects(saliency({} as never, x), /model must be a tfjs LayersModel/);
  const negative = buildMLP({ inputDim: 2, hidden: [], task: "regression", numClasses: 1, seed: 1 });
  negative.setWeights([tf.tensor2d([1, 1], [2, 1]), tf.tensor1d([-5])]);
  await assert.rejects(saliency(negative, tf.tensor2d([[1, 1]]), { score: "log" }), /the score of samples 0\.\.0 is not finite \(score "log": a non-positive output has no log\)/);
});
