// credit_data.csv (real missing values): profile, clean, encode, scale → a model-ready matrix and tensor.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  readCsv, profile, trainTestSplit, Pipeline, SimpleImputer, OneHotEncoder, StandardScaler, LabelEncoder,
  toMatrix, toTensor, tensorBatches, pl,
} from "../../../kernel-helpers/lib/data";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { CREDIT, GOLDEN_PATH } from "./helpers";

const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8"));
const tfLoaded = () => Object.keys(require.cache).some((k) => k.includes("@tensorflow"));

test("credit_data profiles with pandas' missing counts, and displays as profile JSON + HTML + text", () => {
  const df = readCsv(CREDIT);
  assert.deepEqual(df.shape, { height: 4454, width: 14 });
  const p = profile(df, { target: "Status" });
  const missing = Object.fromEntries(p.payload.columnProfiles.map((c) => [c.name, c.missing]));
  assert.deepEqual(missing, golden.profile.missing);
  assert.equal(p.payload.missingCells, 455);
  const b = mimeBundleOf(p);
  assert.deepEqual(b["application/vnd.sciforge.data-profile+json"], p.payload);
  const html = String(b["text/html"]);
  assert.match(html, /<svg[^>]*>.*<rect/); // sparkline histograms
  assert.equal((html.match(/<svg/g) ?? []).length, 9); // one per numeric column
  assert.match(html, /Income.*381 \(8\.6%\)/);
  assert.match(String(b["text/plain"]), /Income\s+Int64\s+381 \(8\.6%\)/);
  const income = p.column("Income")!;
  assert.equal(income.histogram!.counts.reduce((a, b) => a + b, 0), 4454 - 381);
  assert.ok(income.outliers! > 0);
  assert.deepEqual(p.payload.target!.classes.map((k) => [k.value, k.count]), [["good", 3200], ["bad", 1254]]);
});

test("credit_data cleans into a model-ready matrix with no NaN; the fitted pipeline round-trips through JSON", async () => {
  assert.equal(tfLoaded(), false, "loading the data area must not load tfjs");
  const df = readCsv(CREDIT);
  const { train, test: held } = trainTestSplit(df, { testSize: 0.2, stratify: "Status", seed: 42 });
  const prep = new Pipeline([
    new SimpleImputer({ strategy: "median", exclude: ["Status"] }),
    new SimpleImputer({ strategy: "mode", columns: ["Home", "Marital", "Job"] }),
    new OneHotEncoder({ columns: ["Home", "Marital", "Records", "Job"], handleUnknown: "ignore" }),
    new StandardScaler({ exclude: ["Status"] }),
  ]);
  const trainReady = prep.fitTransform(train);
  const testReady = prep.transform(held);
  const labels = new LabelEncoder("Status").fit(train);
  const X = toMatrix(trainReady, { exclude: ["Status"] });
  assert.equal(X.shape[0], train.height);
  assert.equal(X.shape[1], 9 + 6 + 5 + 2 + 4); // numeric + one-hot columns (train had no missing left after mode imputation)
  assert.ok(X.data.every((v) => Number.isFinite(v)), "matrix has NaN/Infinity");
  // standardized numeric columns: mean ≈ 0 on train
  const j = X.columns.indexOf("Income");
  let s = 0;
  for (let i = 0; i < X.shape[0]; i++) s += X.data[i * X.shape[1] + j];
  assert.ok(Math.abs(s / X.shape[0]) < 1e-5);

  // save → JSON string → restore: identical transform of held-out data
  const restored = Pipeline.fromJSON(JSON.stringify(prep.toJSON()));
  assert.ok(restored.transform(held).frameEqual(testReady));

  const x = await toTensor(testReady, { exclude: ["Status"] });
  assert.equal(tfLoaded(), true);
  assert.deepEqual(x.shape, [held.height, X.shape[1]]);
  const y = labels.encode(held.getColumn("Status"));
  assert.equal(y.length, held.height);
  assert.deepEqual(labels.classes, ["bad", "good"]);
  x.dispose();

  // memory-aware: over the byte budget toMatrix refuses and points to tensorBatches, which streams
  assert.throws(() => toMatrix(testReady, { exclude: ["Status"], maxBytes: 1024 }), /over the 0 MiB budget; use tensorBatches/);
  const shapes: number[][] = [];
  for await (const b of tensorBatches(testReady, { exclude: ["Status"], batchSize: 400 })) {
    shapes.push(b.shape);
    b.dispose();
  }
  assert.deepEqual(shapes, [[400, 26], [400, 26], [held.height - 800, 26]]);

  // the raw frame is refused with a message naming the problem columns
  assert.throws(() => toMatrix(df.select(pl.col("Income"), pl.col("Age"))), /missing or NaN values in "Income" \(381\)/);
  assert.throws(() => toMatrix(df.select(pl.col("Home"))), /"Home".*not numeric/);
});
