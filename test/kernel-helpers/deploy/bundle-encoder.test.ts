// Bundles that carry an encoder: a 1D CNN on real splice-junction DNA takes one-hot windows
// [n, 60, 4] made by a fitted SequenceOneHot. Round trip in a fresh process, bad rows refused with
// the row and column named, the HTTP service on sequences, feedback and retrain.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import type { DataFrame } from "../../../kernel-helpers/lib/data/polars";
import { readCsv } from "../../../kernel-helpers/lib/data/load/csv";
import { dropDuplicates } from "../../../kernel-helpers/lib/data/clean/duplicates";
import { trainTestSplit } from "../../../kernel-helpers/lib/data/split/train-test-split";
import { LabelEncoder } from "../../../kernel-helpers/lib/data/features/label-encoder";
import { SequenceOneHot } from "../../../kernel-helpers/lib/data/features/sequence-one-hot";
import { createBundle, describeBundle, type Bundle } from "../../../kernel-helpers/lib/deploy/bundle/bundle";
import { saveBundle, loadBundle, bundleVersions } from "../../../kernel-helpers/lib/deploy/bundle/files";
import { predict } from "../../../kernel-helpers/lib/deploy/bundle/predict";
import { InputError } from "../../../kernel-helpers/lib/deploy/bundle/schema";
import { serve } from "../../../kernel-helpers/lib/deploy/serve/server";
import { feedback } from "../../../kernel-helpers/lib/deploy/feedback/api";
import { retrain } from "../../../kernel-helpers/lib/deploy/feedback/retrain";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildCNN1D } from "../../../kernel-helpers/lib/train/models/cnn1d";
import { fit } from "../../../kernel-helpers/lib/train/fit/fit";
import { tfjs } from "../../../kernel-helpers/lib/train/tf";
import { DATA } from "../../helpers/paths";
import { deploySandbox, predictInFreshProcess } from "../../helpers/deploy";

const { dir, db } = deploySandbox("sciforge-bundle-encoder-test-");

let train: DataFrame;
let valid: DataFrame;
let test_: DataFrame;
let classes: string[];
let encoder: SequenceOneHot;
let model: LayersModel;
let bundle: Bundle;
const seqsOf = (df: DataFrame) => df.getColumn("sequence").toArray() as string[];
const rowsOf = (df: DataFrame) => seqsOf(df).map((sequence) => ({ sequence }));

before(async () => {
  await useBackend("wasm", { display: false });
  const tf = tfjs();
  const data = dropDuplicates(dropDuplicates(readCsv(join(DATA, "genomics", "splice.csv"))), { subset: ["sequence"], keep: "none" });
  const split = trainTestSplit(data, { testSize: 0.2, stratify: "class", seed: 3 });
  const inner = trainTestSplit(split.train, { testSize: 0.1, stratify: "class", seed: 3 });
  [train, valid, test_] = [inner.train, inner.test, split.test];
  const labels = new LabelEncoder({ column: "class" }).fit(train);
  classes = labels.classes.map(String);
  encoder = new SequenceOneHot({ column: "sequence", alphabet: "dna", unknown: "error", wrongLength: "error" }).fit(train);
  const x = encoder.transform(train);
  model = buildCNN1D({ inputShape: [60, 4], numClasses: 3, filters: [8], kernelSize: 7, globalPool: "flatten", dense: [16], seed: 3, name: "splice_cnn" });
  await fit(model, tf.tensor3d(x.data, x.shape), tf.tensor1d(Array.from(labels.encode(train.getColumn("class")))), { epochs: 3, batchSize: 64, seed: 3, learningRate: 3e-3, progress: false });
  bundle = createBundle({ model, encoder, features: train, target: "class", labels: classes, name: "splice", metadata: { data: "splice.csv" } });
  await saveBundle(bundle, join(dir, "splice"));
});

test("a sequence bundle: encoder.json saved; predictions equal the model on one-hot input and, bit for bit, a fresh process's", async () => {
  const tf = tfjs();
  assert.deepEqual(bundle.schema.features, [{ name: "sequence", type: "string" }]);
  assert.deepEqual(bundle.inputColumns, ["sequence"]);
  assert.deepEqual(bundle.inputShape, [60, 4]);
  assert.match(String(mimeBundleOf(describeBundle(bundle))["text/plain"]), /1 feature → SequenceOneHot → model input \[60, 4\], classes ei, ie, n/);
  assert.deepEqual(readdirSync(join(dir, "splice", "v1")).sort(), ["bundle.json", "encoder.json", "model"]);
  const meta = JSON.parse(readFileSync(join(dir, "splice", "v1", "bundle.json"), "utf8"));
  assert.equal(meta.formatVersion, 3);
  assert.deepEqual(meta.inputShape, [60, 4]);

  const rows = rowsOf(test_);
  const here = await predict(bundle, rows);
  const x = encoder.transform(test_, "sequence");
  const direct = (model.predict(tf.tensor3d(x.data, x.shape)) as Tensor).arraySync() as number[][];
  assert.deepEqual(here.map((p) => p.probabilities), direct, "the bundle feeds the model exactly the one-hot block");
  assert.deepEqual(await predict(bundle, test_), here, "a frame (with the target column) predicts the same");
  const accuracy = here.filter((p, i) => p.label === test_.getColumn("class").get(i)).length / rows.length;
  assert.ok(accuracy > 0.6, `a 3-epoch CNN is well above chance: ${accuracy}`);

  const there = predictInFreshProcess(join(dir, "splice"), rows);
  assert.equal(there.version, 1);
  assert.deepEqual(there.preds, JSON.parse(JSON.stringify(here)));

  const loaded = await loadBundle(join(dir, "splice"));
  assert.deepEqual(loaded.encoder?.columns, ["sequence"]);
  assert.deepEqual(loaded.inputShape, [60, 4]);
  assert.equal(loaded.metadata.data, "splice.csv");
});

test("bad sequences are refused with an InputError naming the row and column; feedback refuses them too", async () => {
  const good = seqsOf(test_)[0];
  const rejects = async (rows: unknown, pattern: RegExp) =>
    assert.rejects(predict(bundle, rows), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.status, 400);
      assert.match(e.message, pattern);
      return true;
    });
  await rejects([{ sequence: good }, { sequence: good.slice(0, 20) + "X" + good.slice(21) }], /^invalid input: row 1, column "sequence": letter "X" at position 21 is not in the alphabet "ACGT"$/);
  await rejects([{ sequence: good + "A" }], /row 0, column "sequence": 61 letters, expected 60/);
  await rejects([{ sequence: 42 }], /row 0: feature "sequence" must be a string, got 42/);
  await rejects([{ seq: good }], /unknown feature\(s\) "seq"/);
  const many = Array.from({ length: 12 }, () => ({ sequence: "ACGT" }));
  await assert.rejects(predict(bundle, many), (e: unknown) => e instanceof InputError && e.details.length === 10 && /\(and 2 more\)/.test(e.message));
  assert.equal((await predict(bundle, [{ sequence: good.toLowerCase() }]))[0].label, (await predict(bundle, [{ sequence: good }]))[0].label, "lower case is accepted");
  assert.throws(() => feedback.record(bundle, { row: { sequence: good.slice(1) }, label: "ei" }, { db }), /feedback 0: invalid input: column "sequence": 59 letters, expected 60/);
});

test("createBundle checks the encoder against the model and the features", () => {
  assert.throws(() => createBundle({ model, encoder: new SequenceOneHot(), features: train, target: "class" }), /encoder is not fitted/);
  const short = new SequenceOneHot({ length: 59, column: "sequence" }).fit(train);
  assert.throws(() => createBundle({ model, encoder: short, features: train, target: "class" }), /the model takes inputs of shape \[60, 4\] but the SequenceOneHot encoder gives \[59, 4\]/);
  assert.throws(() => createBundle({ model, encoder, features: train.rename({ sequence: "dna" }), target: "class" }), /encoder reads column\(s\) "sequence", not in the features \(dna\)/);
  assert.throws(() => createBundle({ model, encoder: new SequenceOneHot({ length: 60 }).fit(seqsOf(train)), features: train, target: "class" }), /does not know which column it reads/);
});

test("the predict service takes sequences: POST /predict equals offline predict; bad letters → 400 naming row and column; feedback and retrain → v2", async () => {
  const svc = await serve(bundle, { port: 0, db });
  const post = async (path: string, body: unknown) => {
    const r = await fetch(svc.url + path, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${svc.token}` }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  };
  try {
    const schema = (await (await fetch(`${svc.url}/schema`)).json()) as Record<string, any>;
    assert.deepEqual(schema.inputShape, [60, 4]);
    assert.equal(schema.encoder.kind, "SequenceOneHot");
    assert.equal(schema.encoder.options.alphabet, "dna");
    assert.equal(schema.encoder.state.length, 60);
    // A lab sends the validation sequences; the true classes of the wrong ones come back as feedback.
    const rows = rowsOf(valid);
    const answer = await post("/predict", { rows });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.predictions, JSON.parse(JSON.stringify(await predict(bundle, rows))));
    const truth = valid.getColumn("class").toArray() as string[];
    const wrong = truth.flatMap((t, i) => (answer.body.predictions[i].label !== t ? [i] : []));
    assert.ok(wrong.length > 0, "the 3-epoch model makes mistakes to correct");
    const sent = await post("/feedback", { items: wrong.map((i) => ({ predictionId: answer.body.ids[i], label: truth[i] })) });
    assert.equal(sent.status, 201);
    const bad = await post("/predict", { rows: [rows[0], { sequence: rows[1].sequence.replace(/^./, "N") }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /row 1, column "sequence": letter "N" at position 1 is not in the alphabet "ACGT"/);
    assert.equal((await post("/predict", { rows: [rows[0]] })).status, 200, "the service stays up");
  } finally {
    await svc.close();
  }
  const corrections = feedback.list(bundle, { db });
  assert.ok(corrections.length > 0 && typeof corrections[0].input.sequence === "string");
  const report = await retrain(await loadBundle(join(dir, "splice")), { with: corrections, train, holdout: test_, epochs: 2, learningRate: 1e-3, seed: 3, feedbackWeight: 3, db });
  assert.equal(report.candidate.version, 2);
  assert.deepEqual(bundleVersions(join(dir, "splice")), [1, 2]);
  for (const v of [report.previous, report.candidate]) assert.ok(v.metrics.holdout_accuracy > 0.5 && v.metrics.holdout_accuracy <= 1, JSON.stringify(v));
  assert.equal(report.promoted, report.candidate.score >= report.previous.score);
  const v2 = await loadBundle(join(dir, "splice"), { version: 2 });
  assert.deepEqual(v2.inputShape, [60, 4]);
  const again = await predict(v2, rowsOf(test_));
  const acc = again.filter((p, i) => p.label === test_.getColumn("class").get(i)).length / again.length;
  assert.equal(acc, report.candidate.metrics.holdout_accuracy, "v2 from disk scores what the report says");
});
