// A bundle saves its pipeline and encoder as steps and restores them through stepFromJSON: fit an
// imputer + one-hot encoder + scaler pipeline and a sequence encoder on real splice data, save to a
// real temp folder, load, and get identical transforms, model inputs and predictions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pl, readCsv, Pipeline, SimpleImputer, OneHotEncoder, StandardScaler, SequenceOneHot, stepFromJSON } from "../../../kernel-helpers/lib/data";
import { createBundle } from "../../../kernel-helpers/lib/deploy/bundle/bundle";
import { saveBundle, loadBundle } from "../../../kernel-helpers/lib/deploy/bundle/files";
import { bundleInputs, predict } from "../../../kernel-helpers/lib/deploy/bundle/predict";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { buildCNN1D } from "../../../kernel-helpers/lib/train/models/cnn1d";
import { DATA } from "../../helpers/paths";

test("a bundle with a fitted pipeline (imputer, one-hot, scaler) and a sequence encoder round-trips through a folder with identical transforms", async (t) => {
  await useBackend("wasm", { display: false });
  const dir = mkdtempSync(join(tmpdir(), "sciforge-bundle-steps-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const raw = readCsv(join(DATA, "genomics", "splice.csv")).head(400);
  const gc = (raw.getColumn("sequence").toArray() as string[]).map((s) => [...s].filter((c) => c === "G" || c === "C").length / s.length);
  const data = raw.withColumns(pl.Series("gc", gc), pl.Series("site", gc.map((_, i) => (i % 6 === 0 ? null : ["lab1", "lab2"][i % 2]))));
  const [train, later] = [data.head(300), data.tail(100)];
  const pipeline = new Pipeline([new SimpleImputer({ strategy: "mode", columns: ["site"] }), new OneHotEncoder({ columns: ["site"] }), new StandardScaler({ columns: ["gc"] })]).fit(train);
  const encoder = new SequenceOneHot({ column: "sequence", alphabet: "dna", unknown: "error", wrongLength: "error" }).fit(train);
  const model = buildCNN1D({ inputShape: [60, 4], numClasses: 3, filters: [4], kernelSize: 5, globalPool: "flatten", dense: [8], seed: 2, name: "splice_steps" });
  const bundle = createBundle({ model, pipeline, encoder, features: train, target: "class", labels: ["ei", "ie", "n"], name: "splice-steps" });
  await saveBundle(bundle, join(dir, "splice"));

  const meta = JSON.parse(readFileSync(join(dir, "splice", "v1", "bundle.json"), "utf8"));
  assert.equal(meta.formatVersion, 3);
  const savedPipeline = JSON.parse(readFileSync(join(dir, "splice", "v1", "pipeline.json"), "utf8"));
  assert.equal(savedPipeline.kind, "Pipeline");
  assert.deepEqual(savedPipeline.options.steps.map((s: { kind: string; version: number }) => [s.kind, s.version]), [["SimpleImputer", 1], ["OneHotEncoder", 1], ["StandardScaler", 1]]);
  assert.deepEqual(savedPipeline.options.steps[2].state.columns, ["gc"]);
  const savedEncoder = JSON.parse(readFileSync(join(dir, "splice", "v1", "encoder.json"), "utf8"));
  assert.deepEqual({ kind: savedEncoder.kind, options: savedEncoder.options, state: savedEncoder.state }, { kind: "SequenceOneHot", options: encoder.options, state: { length: 60, column: "sequence", rows: 300 } });

  const loaded = await loadBundle(join(dir, "splice"));
  assert.ok(loaded.pipeline instanceof Pipeline);
  assert.ok(loaded.encoder instanceof SequenceOneHot);
  assert.deepEqual(loaded.pipeline.steps.map((s) => s.kind), ["SimpleImputer", "OneHotEncoder", "StandardScaler"]);
  const features = later.drop("class");
  assert.ok(loaded.pipeline.transform(features).frameEqual(pipeline.transform(features), true));
  assert.deepEqual(loaded.encoder.transform(later).data, encoder.transform(later).data);
  const rows = features.toRecords();
  rows[0].site = null; // the imputer fills it, in both
  assert.deepEqual(bundleInputs(loaded, rows), bundleInputs(bundle, rows));
  assert.deepEqual(await predict(loaded, rows), await predict(bundle, rows));
  // each saved file is a step the registry restores on its own
  assert.ok(stepFromJSON(readFileSync(join(dir, "splice", "v1", "pipeline.json"), "utf8")) instanceof Pipeline);
  assert.ok(stepFromJSON(savedEncoder) instanceof SequenceOneHot);
  // a pipeline.json that holds another kind of step is refused by name
  writeFileSync(join(dir, "splice", "v1", "pipeline.json"), JSON.stringify(new StandardScaler().toJSON()));
  await assert.rejects(loadBundle(join(dir, "splice")), /pipeline\.json holds a StandardScaler, not a Pipeline/);
});
