// A regression model with a shaped input, deployed from table columns: a 1D CNN over the 100 NIR
// absorbances of the real Tecator meat samples ([n, 100, 1]) predicting fat %. The bundle reshapes
// the piped columns; compression is scored by R²; feedback (lab values) and retrain work for regression.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import type { DataFrame } from "../../../kernel-helpers/lib/data/polars";
import { readCsv } from "../../../kernel-helpers/lib/data/load/csv";
import { trainTestSplit } from "../../../kernel-helpers/lib/data/split/train-test-split";
import { StandardScaler } from "../../../kernel-helpers/lib/data/features/standard-scaler";
import { Pipeline } from "../../../kernel-helpers/lib/data/pipeline/pipeline";
import { toMatrix } from "../../../kernel-helpers/lib/data/tensor/to-matrix";
import { createBundle, type Bundle } from "../../../kernel-helpers/lib/deploy/bundle/bundle";
import { saveBundle, loadBundle, currentVersion } from "../../../kernel-helpers/lib/deploy/bundle/files";
import { predict } from "../../../kernel-helpers/lib/deploy/bundle/predict";
import { quantize } from "../../../kernel-helpers/lib/deploy/compress/quantize";
import { compressionReport } from "../../../kernel-helpers/lib/deploy/compress/report";
import { feedback } from "../../../kernel-helpers/lib/deploy/feedback/api";
import { retrain } from "../../../kernel-helpers/lib/deploy/feedback/retrain";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { r2Score } from "../../../kernel-helpers/lib/metrics/regression/r2";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildCNN1D } from "../../../kernel-helpers/lib/train/models/cnn1d";
import { buildMLP } from "../../../kernel-helpers/lib/train/models/mlp";
import { fit } from "../../../kernel-helpers/lib/train/fit/fit";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { DATA } from "../../helpers/paths";
import { deploySandbox, predictInFreshProcess } from "../../helpers/deploy";

const { dir, db } = deploySandbox("sciforge-shaped-test-");

let train: DataFrame;
let lab: DataFrame;
let test_: DataFrame;
let channels: string[];
let pipeline: Pipeline;
let served: LayersModel;
let bundle: Bundle;
let xTest: Tensor;
const fatOf = (df: DataFrame) => df.getColumn("fat").toArray() as number[];

before(async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const meats = readCsv(join(DATA, "tabular", "meats.csv"));
  channels = meats.columns.filter((c) => c.startsWith("x_"));
  const split = trainTestSplit(meats, { testSize: 0.2, seed: 5 });
  const inner = trainTestSplit(split.train, { testSize: 0.15, seed: 5 });
  [train, lab, test_] = [inner.train, inner.test, split.test];
  pipeline = new Pipeline([new StandardScaler({ columns: channels })]);
  pipeline.fit(train.select(...channels));
  const fat = new StandardScaler({ columns: ["fat"] }).fit(train);
  const x = (df: DataFrame) => {
    const m = toMatrix(df.select(...channels), { pipeline });
    return tf.tensor3d(m.data as Float32Array, [df.height, channels.length, 1]);
  };
  const cnn = buildCNN1D({ inputShape: [channels.length, 1], task: "regression", numClasses: 1, filters: [8, 16], kernelSize: 7, globalPool: "flatten", dense: [16], seed: 5 });
  await fit(cnn, x(train), tf.tensor1d(fatOf(train).map((f) => (f - fat.mean[0]) / fat.scale[0])), { epochs: 40, batchSize: 16, seed: 5, learningRate: 3e-3, loss: "mse", progress: false });
  // Served in percent: a weightless Rescaling layer undoes the target's standardization.
  served = tf.model({ inputs: cnn.inputs, outputs: tf.layers.rescaling({ scale: fat.scale[0], offset: fat.mean[0] }).apply(cnn.outputs[0]) as ReturnType<typeof tf.input>, name: "fat_cnn" });
  xTest = x(test_);
  bundle = createBundle({ model: served, pipeline, features: train.select(...channels, "fat"), target: "fat", name: "fat" });
  await saveBundle(bundle, join(dir, "fat"));
});

test("a model with input [100, 1] from 100 table columns: the bundle reshapes; predictions equal the model's, in a fresh process too", async () => {
  assert.equal(bundle.task, "regression");
  assert.deepEqual(bundle.inputShape, [100, 1]);
  assert.equal(bundle.inputColumns.length, 100);
  const meta = JSON.parse(readFileSync(join(dir, "fat", "v1", "bundle.json"), "utf8"));
  assert.equal(meta.formatVersion, 3, "a pipeline is saved in the step layout");
  assert.deepEqual(meta.inputShape, [100, 1]);
  const rows = test_.select(...channels).toRecords() as Array<Record<string, number>>;
  const here = await predict(bundle, rows);
  const direct = Array.from((served.predict(xTest) as Tensor).dataSync());
  assert.deepEqual(here.map((p) => p.value), direct);
  const r2 = r2Score(fatOf(test_), direct);
  assert.ok(r2 > 0.5, `a 40-epoch CNN explains most of the fat variance: R² ${r2}`);
  assert.deepEqual(predictInFreshProcess(join(dir, "fat"), rows).preds, JSON.parse(JSON.stringify(here)));
  assert.throws(
    () => createBundle({ model: served, features: train.select(...channels.slice(1)), name: "short" }),
    /the model takes inputs of shape \[100, 1\] \(100 values\) but the pipeline gives 99 columns/,
  );
});

test("a flat bundle without steps keeps the first bundle.json layout (formatVersion 1, no inputShape)", async () => {
  const linear = buildMLP({ inputDim: channels.length, hidden: [], task: "regression", numClasses: 1, seed: 5 });
  const flat = createBundle({ model: linear, features: train.select(...channels), name: "flat" });
  assert.deepEqual(flat.inputShape, [100]);
  await saveBundle(flat, join(dir, "flat"));
  const meta = JSON.parse(readFileSync(join(dir, "flat", "v1", "bundle.json"), "utf8"));
  assert.equal(meta.formatVersion, 1);
  assert.equal("inputShape" in meta || "hasEncoder" in meta, false);
  assert.deepEqual((await loadBundle(join(dir, "flat"))).inputShape, [100]);
  meta.formatVersion = 4;
  writeFileSync(join(dir, "flat", "v1", "bundle.json"), JSON.stringify(meta));
  await assert.rejects(loadBundle(join(dir, "flat")), /format version 4; this Sciforge reads versions 1–3/);
});

test("compressionReport scores a regression model by R² (metric: \"r2\")", async () => {
  const q = await quantize(served, { dtype: "uint8", dir: join(dir, "q8") });
  const report = await compressionReport({ original: served, variants: [{ name: "uint8", model: q.model, dir: q.dir }], x: xTest, y: fatOf(test_), metric: "r2", repeats: 2 });
  const [orig, r8] = [report.row("original")!, report.row("uint8")!];
  const expected = r2Score(fatOf(test_), Array.from((served.predict(xTest) as Tensor).dataSync()));
  assert.equal(orig.metric, "r2");
  assert.ok(Math.abs(orig.score - expected) < 1e-9, `R² ${orig.score} vs metrics.r2Score ${expected}`);
  assert.ok(Number.isNaN(orig.accuracy), "no accuracy for a regression model");
  assert.equal(r8.scoreDelta, r8.score - orig.score);
  assert.ok(Math.abs(r8.scoreDelta) < 0.05, `uint8 R² delta ${r8.scoreDelta}`);
  // Weights shrink 4×; model.json (the same in both) is a larger share of so small a model.
  assert.ok(r8.sizeRatio > 0.25 && r8.sizeRatio < 0.45, `uint8 folder ratio ${r8.sizeRatio}`);
  const text = String(mimeBundleOf(report)["text/plain"]);
  assert.match(text, /r2Delta/);
  assert.doesNotMatch(text, /accuracy/);
});

test("feedback for regression (lab values of new samples) and retrain → v2 scored by MSE on the same held-out samples", async () => {
  const labRows = lab.select(...channels).toRecords() as Array<Record<string, number>>;
  const ids = feedback.record(bundle, labRows.map((row, i) => ({ row, label: fatOf(lab)[i] })), { db });
  assert.equal(ids.length, lab.height);
  assert.throws(() => feedback.record(bundle, { row: labRows[0], label: "fat" }, { db }), /label must be a finite number/);
  const report = await retrain(await loadBundle(join(dir, "fat")), { with: feedback.list(bundle, { db }), train: train.select(...channels, "fat"), holdout: test_, epochs: 15, batchSize: 16, learningRate: 1e-3, seed: 5, db });
  console.log(String(mimeBundleOf(report)["text/plain"]));
  const [prev, cand] = [report.previous.metrics, report.candidate.metrics];
  for (const m of [prev, cand]) assert.ok(m.holdout_mse > 0 && Number.isFinite(m.feedback_mse), JSON.stringify(m));
  assert.equal(report.previous.score, -prev.holdout_mse);
  assert.ok(cand.feedback_mse < prev.feedback_mse, `v2 learned the lab values: ${cand.feedback_mse} vs ${prev.feedback_mse}`);
  assert.equal(report.promoted, cand.holdout_mse <= prev.holdout_mse);
  assert.equal(currentVersion(join(dir, "fat")), report.promoted ? 2 : 1);
  const v2 = await loadBundle(join(dir, "fat"), { version: 2 });
  const p = await predict(v2, test_);
  const mse = p.reduce((a, q, i) => a + ((q.value as number) - fatOf(test_)[i]) ** 2, 0) / p.length;
  assert.ok(Math.abs(mse - cand.holdout_mse) < 1e-4 * cand.holdout_mse, `v2 from disk: MSE ${mse} vs report ${cand.holdout_mse}`);
});
