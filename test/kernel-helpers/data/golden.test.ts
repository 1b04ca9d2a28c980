// Golden comparisons against scikit-learn 1.2 / pandas 1.5 on credit_data.csv
// (values made by test/fixtures/data/make_data_golden.py with /usr/bin/python3).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  readCsv, profile, SimpleImputer, StandardScaler, MinMaxScaler, RobustScaler, OneHotEncoder,
  trainTestSplit, KFold, StratifiedKFold, GroupKFold, pl,
} from "../../../kernel-helpers/lib/data";
import { CREDIT, GOLDEN_PATH, assertClose, assertAllClose } from "./helpers";

const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8"));
const df = readCsv(CREDIT);

function columnSums(out: ReturnType<typeof readCsv>, cols: string[]): number[] {
  const r = out.select(...cols.map((c) => pl.col(c).cast(pl.Float64).sum().alias(c))).toRecords()[0] as Record<string, number>;
  return cols.map((c) => r[c]);
}
function headRows(out: ReturnType<typeof readCsv>, cols: string[], n: number): number[][] {
  return (out.head(n).select(...cols.map((c) => pl.col(c).cast(pl.Float64))).rows() as number[][]);
}

test("profile matches pandas: missing, distinct, describe, duplicates, class counts", () => {
  const g = golden.profile;
  const p = profile(df, { target: "Status" }).payload;
  assert.equal(p.rows, g.rows);
  assert.equal(p.duplicateRows, g.duplicates);
  for (const c of p.columnProfiles) {
    assert.equal(c.missing, g.missing[c.name], `missing ${c.name}`);
    assert.equal(c.distinct, g.distinct[c.name], `distinct ${c.name}`);
    const d = g.describe[c.name];
    if (!d) continue;
    assert.equal(c.count, d.count, `count ${c.name}`);
    assertClose(c.mean!, d.mean, `mean ${c.name}`);
    assertClose(c.std!, d.std, `std ${c.name}`, 1e-9);
    assertClose(c.min as number, d.min, `min ${c.name}`);
    assertClose(c.max as number, d.max, `max ${c.name}`);
    assertClose(c.q25!, d["25%"], `q25 ${c.name}`);
    assertClose(c.median!, d["50%"], `median ${c.name}`);
    assertClose(c.q75!, d["75%"], `q75 ${c.name}`);
  }
  const counts = Object.fromEntries(p.target!.classes.map((k) => [k.value, k.count]));
  assert.deepEqual(counts, g.status_counts);
});

test("SimpleImputer mean/median/most_frequent/constant matches sklearn", () => {
  for (const [strategy, ours] of [["mean", "mean"], ["median", "median"], ["most_frequent", "mode"], ["constant", "constant"]] as const) {
    const g = golden.imputer[strategy];
    const imp = new SimpleImputer({ strategy: ours, columns: g.columns, fillValue: -1 });
    const out = imp.fitTransform(df);
    assertAllClose(imp.fill as number[], g.statistics, `${strategy} statistics`);
    assertAllClose(columnSums(out, g.columns), g.sums, `${strategy} sums`, 1e-12);
    assert.equal(out.select(...g.columns.map((c: string) => pl.col(c))).nullCount().row(0).reduce((a: number, b: number) => a + b, 0), 0);
  }
  const g = golden.imputer.most_frequent_categorical;
  const imp = new SimpleImputer({ strategy: "mode", columns: g.columns }).fit(df);
  assert.deepEqual(imp.fill, g.statistics);
});

test("StandardScaler / MinMaxScaler / RobustScaler match sklearn on the mean-imputed matrix", () => {
  const cols: string[] = golden.standard_scaler.columns;
  const X = new SimpleImputer({ strategy: "mean", columns: cols }).fitTransform(df);
  const ss = new StandardScaler({ columns: cols });
  let out = ss.fitTransform(X);
  assertAllClose(ss.mean, golden.standard_scaler.mean, "standard mean");
  assertAllClose(ss.scale, golden.standard_scaler.scale, "standard scale", 1e-9);
  headRows(out, cols, 8).forEach((r, i) => assertAllClose(r, golden.standard_scaler.head[i], `standard row ${i}`, 1e-9));
  // sums of standardized columns are ~0: compare absolutely
  columnSums(out, cols).forEach((s, j) => assert.ok(Math.abs(s - golden.standard_scaler.sums[j]) < 1e-8, `standard sum ${cols[j]}`));

  const mm = new MinMaxScaler({ columns: cols });
  out = mm.fitTransform(X);
  assertAllClose(mm.dataMin, golden.minmax_scaler.data_min, "minmax min");
  assertAllClose(mm.dataMax, golden.minmax_scaler.data_max, "minmax max");
  headRows(out, cols, 8).forEach((r, i) => assertAllClose(r, golden.minmax_scaler.head[i], `minmax row ${i}`, 1e-12));
  assertAllClose(columnSums(out, cols), golden.minmax_scaler.sums, "minmax sums", 1e-10);

  const rs = new RobustScaler({ columns: cols });
  out = rs.fitTransform(X);
  assertAllClose(rs.center, golden.robust_scaler.center, "robust center");
  assertAllClose(rs.scale, golden.robust_scaler.scale, "robust scale");
  headRows(out, cols, 8).forEach((r, i) => assertAllClose(r, golden.robust_scaler.head[i], `robust row ${i}`, 1e-12));
});

test("OneHotEncoder matches sklearn (sorted categories, missing as its own last category)", () => {
  const g = golden.one_hot;
  const enc = new OneHotEncoder({ columns: g.columns });
  const out = enc.fitTransform(df);
  assert.deepEqual(enc.categories, g.categories);
  const names = enc.featureNames();
  assert.deepEqual(names, g.feature_names.map((n: string) => n.replace(/_nan$/, "_null")));
  headRows(out, names, 8).forEach((r, i) => assert.deepEqual(r, g.head[i], `one-hot row ${i}`));
  assert.deepEqual(columnSums(out, names), g.sums);
});

test("stratified trainTestSplit gives sklearn's class counts", () => {
  const g = golden.stratified_split;
  const { train, test: te } = trainTestSplit(df, { testSize: g.test_size, stratify: "Status", seed: 0 });
  assert.equal(train.height, g.n_train);
  assert.equal(te.height, g.n_test);
  const counts = (d: typeof df) => Object.fromEntries((d.getColumn("Status").valueCounts().toRecords() as { Status: string; count: number }[]).map((r) => [r.Status, Number(r.count)]));
  assert.deepEqual(counts(train), g.train_counts);
  assert.deepEqual(counts(te), g.test_counts);
});

test("KFold(shuffle=false) folds equal sklearn's index for index", () => {
  const g = golden.kfold;
  const folds = new KFold(g.n_splits).split(g.n);
  assert.deepEqual(folds.map((f) => Array.from(f.test)), g.test);
  for (const f of folds) assert.equal(f.train.length + f.test.length, g.n);
});

test("StratifiedKFold(shuffle=false) folds equal sklearn's index for index", () => {
  const g = golden.stratified_kfold;
  const folds = new StratifiedKFold(g.n_splits).split(g.y);
  assert.deepEqual(folds.map((f) => Array.from(f.test)), g.test);
  const full = new StratifiedKFold(5).split("Status", df);
  const y = df.getColumn("Status").toArray() as string[];
  full.forEach((f, i) => {
    const e = golden.stratified_kfold_full[i];
    assert.equal(f.test.length, e.size);
    assert.equal(f.test.reduce((a, b) => a + b, 0), e.index_sum);
    assert.equal(f.test[0], e.first);
    assert.equal(f.test[f.test.length - 1], e.last);
    const counts: Record<string, number> = {};
    for (const k of f.test) counts[y[k]] = (counts[y[k]] ?? 0) + 1;
    assert.deepEqual(counts, e.counts);
  });
});

test("GroupKFold folds equal sklearn's (groups of distinct sizes)", () => {
  const g = golden.group_kfold;
  const folds = new GroupKFold(g.n_splits).split(g.groups);
  assert.deepEqual(folds.map((f) => Array.from(f.test)), g.test);
});
