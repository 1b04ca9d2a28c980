import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBundle } from "../../../kernel-helpers/lib/deploy/bundle/bundle";
import { saveBundle, loadBundle, bundleVersions, currentVersion } from "../../../kernel-helpers/lib/deploy/bundle/files";
import { predict } from "../../../kernel-helpers/lib/deploy/bundle/predict";
import { InputError } from "../../../kernel-helpers/lib/deploy/bundle/schema";
import { trainOn } from "../../fixtures/deploy/models";
import { predictInFreshProcess } from "../../helpers/deploy";

const dir = mkdtempSync(join(tmpdir(), "sciforge-bundle-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("bundle round trip: save → load in a fresh process → predict gives identical outputs", async () => {
  const t = await trainOn("breast_cancer.csv", { hidden: [16], epochs: 5, seed: 9 });
  const b = createBundle({ model: t.model, pipeline: t.pipeline, features: t.train, target: "target", labels: t.classes, name: "cancer", metrics: { accuracy: 0.95 }, metadata: { dataset: "breast_cancer.csv" } });
  assert.equal(b.task, "classification");
  assert.equal(b.schema.features.length, 30);
  assert.ok(!b.schema.features.some((f) => f.name === "target"));
  await saveBundle(b, join(dir, "cancer"));
  assert.equal(b.version, 1);
  const files = readdirSync(join(dir, "cancer"));
  assert.deepEqual(files.sort(), ["current.json", "v1"], "no temp folder left behind");
  assert.deepEqual(readdirSync(join(dir, "cancer", "v1")).sort(), ["bundle.json", "model", "pipeline.json"]);

  const rows = (t.test.toRecords() as Array<Record<string, number>>).map(({ target: _t, ...f }) => f);
  const here = await predict(b, rows);
  const there = predictInFreshProcess(join(dir, "cancer"), rows);
  assert.equal(there.version, 1);
  assert.equal(there.preds.length, rows.length);
  // Bit-identical: JSON carries every float64 digit, and the probabilities are float32 values.
  assert.deepEqual(there.preds, JSON.parse(JSON.stringify(here)));
  // In-process reload agrees too, and keeps metadata/metrics/labels.
  const again = await loadBundle(join(dir, "cancer"));
  assert.deepEqual(again.labels, ["malignant", "benign"]);
  assert.deepEqual(again.metrics, { accuracy: 0.95 });
  assert.equal(again.metadata.dataset, "breast_cancer.csv");
  assert.deepEqual(await predict(again, rows.slice(0, 5)), here.slice(0, 5));
});

test("versions: a second save is v2 and becomes current; an explicit version never overwrites; bad rows are refused", async () => {
  const t = await trainOn("iris.csv", { hidden: [8], epochs: 2 });
  const b = createBundle({ model: t.model, pipeline: t.pipeline, features: t.train.drop("target"), labels: t.classes, name: "iris" });
  const r = join(dir, "iris");
  await saveBundle(b, r);
  await saveBundle(b, r, { promote: false });
  assert.deepEqual(bundleVersions(r), [1, 2]);
  assert.equal(currentVersion(r), 1);
  assert.equal((await loadBundle(r)).version, 1);
  assert.equal((await loadBundle(r, { version: 2 })).version, 2);
  assert.equal((await loadBundle(join(r, "v2"))).root, r);
  await assert.rejects(saveBundle(b, r, { version: 1 }), /cannot create/);
  assert.ok(existsSync(join(r, "v1", "bundle.json")));
  assert.equal(JSON.parse(readFileSync(join(r, "v1", "bundle.json"), "utf8")).version, 1);
  await assert.rejects(predict(b, [{ sepal_length: 1 }]), (e: unknown) => e instanceof InputError && /missing feature "sepal_width"/.test(e.message));
  await assert.rejects(loadBundle(join(dir, "nothing")), /neither a bundle folder/);
});

test("missing values are accepted exactly for the features the pipeline's imputers fill", async () => {
  const { Pipeline } = await import("../../../kernel-helpers/lib/data/pipeline/pipeline");
  const { SimpleImputer } = await import("../../../kernel-helpers/lib/data/clean/impute");
  const { StandardScaler } = await import("../../../kernel-helpers/lib/data/features/standard-scaler");
  const { pl } = await import("../../../kernel-helpers/lib/data/polars");
  const { validateRows, fillableFeatures, rowsToFrame } = await import("../../../kernel-helpers/lib/deploy/bundle/schema");
  const train = pl.DataFrame({ income: [100, null, 300, 250], age: [30, 40, 50, 60], home: ["rent", "owner", null, "owner"] });
  const prep = new Pipeline([new SimpleImputer({ strategy: "median", columns: ["income"] }), new SimpleImputer({ strategy: "mode", columns: ["home"] }), new StandardScaler({ columns: ["income", "age"] })]);
  prep.fitTransform(train);
  const fill = fillableFeatures(prep);
  assert.deepEqual([...fill].sort(), ["home", "income"]);
  const schema = { features: [{ name: "income", type: "number" as const }, { name: "age", type: "number" as const }, { name: "home", type: "string" as const }] };
  const rows = validateRows([{ income: null, age: 35, home: "rent" }, { age: 45 }], schema, { allowMissing: fill });
  assert.deepEqual(rows, [{ income: null, age: 35, home: "rent" }, { income: null, age: 45, home: null }]);
  const out = prep.transform(rowsToFrame(rows, schema));
  assert.equal(out.getColumn("income").nullCount(), 0, "the imputer filled income");
  assert.deepEqual(out.getColumn("home").toArray(), ["rent", "owner"]);
  assert.throws(() => validateRows([{ income: 1, age: null, home: "rent" }], schema, { allowMissing: fill }), /row 0: missing feature "age"/);
  assert.throws(() => validateRows([{ income: null, age: 1, home: "rent" }], schema), /row 0: missing feature "income"/);
});

test("a row of the wrong length names the expected count and, for many features, only the ends of the list", async () => {
  const { validateRows } = await import("../../../kernel-helpers/lib/deploy/bundle/schema");
  const schema = { features: Array.from({ length: 784 }, (_, i) => ({ name: `px${i}`, type: "number" as const })) };
  assert.throws(() => validateRows([[1, 2, 3]], schema), (e: Error) => e.message === "invalid input: row 0: 3 values, expected 784 (px0, px1, px2, px3, …, px782, px783)");
  const small = { features: [{ name: "a", type: "number" as const }, { name: "b", type: "number" as const }] };
  assert.throws(() => validateRows([[1]], small), /row 0: 1 values, expected 2 \(a, b\)/);
});
