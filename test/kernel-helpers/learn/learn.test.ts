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
import { KFold } from "../../../kernel-helpers/lib/data/split/kfold";

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

test("crossValidate standardize: features (and a regression target) scaled on each fold's training rows only, as make_pipeline(StandardScaler(), TransformedTargetRegressor(Ridge, StandardScaler())); a KFold splitter splits regression rows", async () => {
  // 60 rows, features on very different scales and one constant column; y depends on all of them.
  let s = 7;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows = Array.from({ length: 60 }, () => {
    const [a, b, c] = [rand() * 100, rand() * 0.01, rand()];
    return { a, b, c, k: 3, y: 0.05 * a + 400 * b - 2 * c + 10 + rand() };
  });
  const data = await toXY(pl.DataFrame(rows), { target: "y", task: "regression" });
  const splitter = new KFold(4, { shuffle: true, seed: 3 });
  const folds = splitter.split(data.rows);
  const seen: Array<{ xMean: number[]; xStd: number[]; yMean: number; yStd: number }> = [];
  // Ridge (alpha 1) on what the fold gives: the data are centred, so no intercept is needed.
  const ridge = () => {
    let w: number[] = [];
    return {
      trainOn(x: Tensor, y: Tensor) {
        const X = x.arraySync() as number[][];
        const Y = y.arraySync() as number[];
        const d = X[0].length;
        const col = (j: number) => X.map((r) => r[j]);
        const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
        const std = (v: number[]) => Math.sqrt(v.reduce((p, q) => p + (q - mean(v)) ** 2, 0) / v.length);
        seen.push({ xMean: Array.from({ length: d }, (_, j) => mean(col(j))), xStd: Array.from({ length: d }, (_, j) => std(col(j))), yMean: mean(Y), yStd: std(Y) });
        // (XᵀX + I) w = Xᵀy by Gauss-Jordan
        const A = Array.from({ length: d }, (_, i) => [...Array.from({ length: d }, (_, j) => X.reduce((p, r) => p + r[i] * r[j], 0) + (i === j ? 1 : 0)), X.reduce((p, r, k) => p + r[i] * Y[k], 0)]);
        for (let i = 0; i < d; i++) {
          const piv = A[i][i];
          for (let j = i; j <= d; j++) A[i][j] /= piv;
          for (let r = 0; r < d; r++) if (r !== i) for (let j = d; j >= i; j--) A[r][j] -= A[r][i] * A[i][j];
        }
        w = A.map((r) => r[d]);
      },
      predict: (x: Tensor) => (x.arraySync() as number[][]).map((r) => [r.reduce((p, v, j) => p + v * w[j], 0)]),
    };
  };
  const cv = await crossValidate(() => ridge() as unknown as CrossValModel, data, {
    cv: splitter,
    scoring: ["r2", "neg_mean_absolute_error"],
    standardize: { features: true, target: true },
    train: (m, x, y) => (m as unknown as ReturnType<typeof ridge>).trainOn(x, y),
  });
  assert.equal(seen.length, 4);
  for (const f of seen) {
    f.xMean.forEach((m) => assert.ok(Math.abs(m) < 1e-4, `fold training features are centred: ${f.xMean}`));
    assert.deepEqual(f.xStd.map((v) => Math.round(v * 1e3) / 1e3), [1, 1, 1, 0], "unit variance; a constant column stays 0 (scaled by 1)");
    assert.ok(Math.abs(f.yMean) < 1e-5 && Math.abs(f.yStd - 1) < 1e-5, `standardized target ${f.yMean} ± ${f.yStd}`);
  }
  const py = spawnSync(PY, ["-c", `
import json, sys, numpy as np
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
d = json.load(sys.stdin)
folds = [(np.array(f["train"]), np.array(f["test"])) for f in d["folds"]]
model = make_pipeline(StandardScaler(), TransformedTargetRegressor(Ridge(alpha=1.0), transformer=StandardScaler()))
r = cross_validate(model, np.array(d["x"]), np.array(d["y"]), cv=folds, scoring=["r2", "neg_mean_absolute_error"])
print(json.dumps({k: v.tolist() for k, v in r.items() if k.startswith("test_")}))
`], { input: JSON.stringify({ x: rows.map((r) => [r.a, r.b, r.c, r.k]), y: rows.map((r) => r.y), folds: folds.map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) })) }), encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  const sk = JSON.parse(py.stdout) as Record<string, number[]>;
  for (const [k, v] of Object.entries(sk)) v.forEach((x, f) => assert.ok(Math.abs(cv.scores[k][f] - x) < 1e-4, `${k} fold ${f}: ${cv.scores[k][f]} vs sklearn ${x}`));
  // Without standardize the same folds give a different model (ridge is not scale-invariant).
  const raw = await crossValScore(() => ridge() as unknown as CrossValModel, data, { cv: splitter, scoring: "r2", train: (m, x, y) => (m as unknown as ReturnType<typeof ridge>).trainOn(x, y) });
  assert.ok(raw.some((x, f) => Math.abs(x - sk.test_r2[f]) > 1e-3), "standardizing changes a ridge fit");
  await assert.rejects(crossValidate(() => ridge() as unknown as CrossValModel, await toXY(irisFrame(), { target: "target" }), { standardize: { target: true }, train: () => undefined }), /standardize.target is for a regression target/);
  data.dispose();
});
