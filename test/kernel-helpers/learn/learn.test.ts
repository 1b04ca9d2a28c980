// The data-to-model layer on real data: toXY keeps the target out of the features and codes the
// classes once; predictProba / predictClasses read any model; crossValidate's folds and scores
// equal scikit-learn's cross_validate (same estimator on both sides: a nearest-centroid classifier)
// and it trains real tfjs models per fold.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Tensor } from "@tensorflow/tfjs";
import { readCsv } from "../../../kernel-helpers/lib/data/load/csv";
import { trainTestSplit } from "../../../kernel-helpers/lib/data/split/train-test-split";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { toXY, predictProba, predictClasses, crossValidate, crossValScore, type CrossValModel } from "../../../kernel-helpers/lib/learn";
import { buildMLP } from "../../../kernel-helpers/lib/train/models/mlp";
import { DATA, PY } from "../../helpers/paths";
import { IRIS_FEATURES, loadSklearnCsv } from "../../fixtures/deploy/data";
import { pl } from "../../../kernel-helpers/lib/data/polars";

const CREDIT = join(DATA, "credit_data.csv");

/** Iris (scikit-learn's CSV), the target as class names. */
function irisFrame() {
  const { frame, classes } = loadSklearnCsv("iris.csv", IRIS_FEATURES);
  return frame.withColumns(pl.Series("target", (frame.getColumn("target").toArray() as number[]).map((k) => classes[k])));
}

/** The credit data's numeric columns and its target, rows with missing values dropped. */
function creditNumeric() {
  const raw = readCsv(CREDIT).dropNulls();
  return raw.select(...raw.columns.filter((c) => c === "Status" || typeof raw.getColumn(c).toArray()[0] === "number"));
}

test("toXY: the target never among the features, classes learned once and reused, errors name the column and row", async () => {
  const raw = creditNumeric();
  const { train, test: held } = trainTestSplit(raw, { testSize: 0.25, stratify: "Status", seed: 3 });
  const tr = await toXY(train, { target: "Status" });
  assert.deepEqual(tr.features, raw.columns.filter((c) => c !== "Status"));
  assert.deepEqual(tr.classes, ["bad", "good"]);
  assert.deepEqual(tr.x.shape, [train.height, tr.features.length]);
  assert.equal(tr.y.shape[0], train.height);
  const statuses = train.getColumn("Status").toArray() as string[];
  assert.deepEqual(tr.labels.slice(0, 20), statuses.slice(0, 20).map((s) => (s === "bad" ? 0 : 1)));
  const counts = tr.classCounts();
  assert.equal(counts[0] + counts[1], train.height);
  assert.ok(Math.abs(tr.balancedClassWeight()[0] - train.height / (2 * counts[0])) < 1e-12);
  // a test set with one class only still gets the training codes
  const onlyGood = held.filter(pl.col("Status").eq(pl.lit("good")));
  const te = await toXY(onlyGood, { target: "Status", classes: tr.classes });
  assert.ok(te.labels.every((l) => l === 1));
  assert.match(String(mimeBundleOf(tr)["text/plain"]), /^XY\(\d+ rows × \d+ features, target "Status": 2 classes \["bad", "good"\]/);
  await assert.rejects(toXY(train, { target: "status" }), /no target column "status"/);
  await assert.rejects(toXY(held, { target: "Status", classes: ["good"] }), /target "Status".*label "bad" \(row \d+\) was not seen/);
  await assert.rejects(toXY(train, { target: "Status", features: ["Age", "Status"] }), /the target "Status" is listed among the features/);
  tr.dispose();
  te.dispose();
});

test("predictProba / predictClasses: softmax and sigmoid models, a column, labels", async () => {
  const data = await toXY(irisFrame(), { target: "target" });
  const model = buildMLP({ inputDim: 4, hidden: [8], numClasses: 3, seed: 1 });
  const p = predictProba(model, data);
  assert.equal(p.length, 150);
  assert.ok(p.every((r) => r.length === 3 && Math.abs(r[0] + r[1] + r[2] - 1) < 1e-5));
  const codes = predictClasses(model, data.x);
  assert.deepEqual(codes, p.map((r) => r.indexOf(Math.max(...r))));
  assert.deepEqual(predictClasses(model, data, { classes: data.classes }), codes.map((c) => data.classes[c]));
  assert.deepEqual(predictProba(model, data, { column: 2 }), p.map((r) => r[2]));
  assert.throws(() => predictProba(model, data, { column: 3 }), /column 3 is out of range: the model gives 3 class probabilities/);
  // any object with predict(): a one-unit sigmoid output is [1 − p, p]
  const sigmoid = { predict: () => [[0.2], [0.9], [0.5]] };
  assert.deepEqual(predictProba(sigmoid, []), [[0.8, 0.2], [0.09999999999999998, 0.9], [0.5, 0.5]]);
  assert.deepEqual(predictClasses(sigmoid, []), [0, 1, 0]);
  assert.deepEqual(predictClasses(sigmoid, [], { threshold: 0.1 }), [1, 1, 1]);
  model.dispose();
  data.dispose();
});

/** A nearest-centroid classifier: sklearn.neighbors.NearestCentroid on the other side. */
function nearestCentroid() {
  let centroids: number[][] = [];
  return {
    trainOn(x: Tensor, y: Tensor) {
      const X = x.arraySync() as number[][];
      const Y = y.arraySync() as number[];
      const k = Math.max(...Y) + 1;
      const sums = Array.from({ length: k }, () => new Array<number>(X[0].length).fill(0));
      const n = new Array<number>(k).fill(0);
      X.forEach((r, i) => {
        n[Y[i]]++;
        r.forEach((v, j) => (sums[Y[i]][j] += v));
      });
      centroids = sums.map((s, c) => s.map((v) => v / n[c]));
    },
    predict(x: Tensor) {
      const X = x.arraySync() as number[][];
      return X.map((r) => {
        const d = centroids.map((c) => c.reduce((s, v, j) => s + (v - r[j]) ** 2, 0));
        return centroids.map((_, c) => (c === d.indexOf(Math.min(...d)) ? 1 : 0));
      });
    },
  };
}

test("crossValidate equals scikit-learn's cross_validate: same stratified folds, same scores", async () => {
  const data = await toXY(creditNumeric(), { target: "Status" });
  const scoring = ["accuracy", "balanced_accuracy", "f1", "f1_macro", "precision_weighted", "recall_macro"] as const;
  const cv = await crossValidate(() => nearestCentroid() as unknown as CrossValModel, data, {
    cv: 5,
    scoring,
    train: (m, x, y) => (m as unknown as ReturnType<typeof nearestCentroid>).trainOn(x, y),
  });
  const py = spawnSync(PY, ["-c", `
import json, sys, numpy as np
from sklearn.model_selection import cross_validate
from sklearn.neighbors import NearestCentroid
d = json.load(sys.stdin)
r = cross_validate(NearestCentroid(), np.array(d["x"]), np.array(d["y"]), cv=5, scoring=d["scoring"])
print(json.dumps({k: v.tolist() for k, v in r.items() if k.startswith("test_")}))
`], { input: JSON.stringify({ x: data.x.arraySync(), y: data.labels, scoring }), encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  const sk = JSON.parse(py.stdout) as Record<string, number[]>;
  assert.deepEqual(Object.keys(cv.scores).sort(), Object.keys(sk).sort());
  for (const [k, v] of Object.entries(sk)) v.forEach((s, f) => assert.ok(Math.abs(cv.scores[k][f] - s) < 1e-12, `${k} fold ${f}: ${cv.scores[k][f]} vs sklearn ${s}`));
  assert.equal(cv.folds, 5);
  const text = String(mimeBundleOf(cv)["text/plain"]);
  assert.match(text, /Cross-validation, 5 folds/);
  assert.match(text, /mean ± std/);
  assert.ok(Math.abs(cv.mean("accuracy") - sk.test_accuracy.reduce((a, b) => a + b) / 5) < 1e-12);
  await assert.rejects(crossValidate(() => nearestCentroid() as unknown as CrossValModel, data, { scoring: "f1" as never, cv: 3 }), /not a tfjs LayersModel: pass options.train/);
  await assert.rejects(crossValidate(() => nearestCentroid() as unknown as CrossValModel, data, { scoring: "f2" as never }), /unknown scoring "f2"/);
  data.dispose();
});

test("crossValScore trains a fresh tfjs model per fold and scores held-out rows", async () => {
  const data = await toXY(irisFrame(), { target: "target" });
  let built = 0;
  const scores = await crossValScore(
    () => {
      built++;
      return buildMLP({ inputDim: 4, hidden: [16], numClasses: 3, seed: 2 });
    },
    data,
    { cv: 3, scoring: "roc_auc_ovr", fit: { epochs: 60, batchSize: 16, seed: 2, learningRate: 0.02 } },
  );
  assert.equal(built, 3);
  assert.equal(scores.length, 3);
  assert.ok(scores.every((s) => s > 0.9), `held-out ROC AUC per fold ${scores.join(", ")}`);
  await assert.rejects(crossValScore(() => buildMLP({ inputDim: 4, numClasses: 3 }), data, { scoring: "roc_auc", cv: 2, fit: { epochs: 1 } }), /"roc_auc" is for binary targets .* 3 classes/);
  data.dispose();
});
