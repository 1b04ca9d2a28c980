// Cleaning steps, encoders, windows, splits, pipeline serialization, table display.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  pl, parseCsv, readCsv, SimpleImputer, impute, dropDuplicates, flagDuplicates, countDuplicates, OutlierClipper, clipOutliers,
  dropOutliers, coerce, normalizeText, parseDates, StandardScaler, MinMaxScaler, RobustScaler, OneHotEncoder, OrdinalEncoder,
  LabelEncoder, SequenceOneHot, SlidingWindow, slidingWindows, trainTestSplit, KFold, StratifiedKFold, GroupKFold, groupTrainTestSplit, Pipeline,
  SelectColumns, transformerFromJSON, table, tableBundle,
} from "../../../kernel-helpers/lib/data";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { DATA } from "../../helpers/paths";
import { join } from "node:path";

const small = () => pl.DataFrame({
  g: ["a", "a", "a", "b", "b", "c"],
  x: [1, null, 3, 10, null, null],
  s: ["u", null, "u", "v", "v", "w"],
});

test("SimpleImputer per group falls back to the overall statistic for an all-missing group", () => {
  const imp = new SimpleImputer({ strategy: "mean", columns: ["x"], by: "g", addIndicator: true });
  const out = imp.fitTransform(small());
  assert.deepEqual(out.getColumn("x").toArray(), [1, 2, 3, 10, 10, (1 + 3 + 10) / 3]);
  assert.deepEqual(out.getColumn("x_missing").toArray(), [0, 1, 0, 0, 1, 1]);
  assert.deepEqual(out.getColumn("g").toArray(), small().getColumn("g").toArray(), "row order kept");
  const back = transformerFromJSON(JSON.parse(JSON.stringify(imp.toJSON())));
  assert.ok(back.transform(small()).frameEqual(out));
  assert.deepEqual(impute(small(), { strategy: "mode", columns: ["s"] }).getColumn("s").toArray(), ["u", "u", "u", "v", "v", "w"]);
  assert.deepEqual(impute(small(), { strategy: "constant", columns: ["s"], fillValue: "?" }).getColumn("s").toArray(), ["u", "?", "u", "v", "v", "w"]);
});

test("duplicates: count, drop (first/last/none), flag", () => {
  const df = pl.DataFrame({ a: [1, 2, 1, 3, 1], b: ["x", "y", "x", "z", "q"] });
  assert.equal(countDuplicates(df), 1);
  assert.equal(countDuplicates(df, ["a"]), 2);
  assert.deepEqual(dropDuplicates(df).getColumn("b").toArray(), ["x", "y", "z", "q"]);
  assert.deepEqual(dropDuplicates(df, { subset: ["a"], keep: "last" }).getColumn("b").toArray(), ["y", "z", "q"]);
  assert.deepEqual(dropDuplicates(df, { subset: ["a"], keep: "none" }).getColumn("b").toArray(), ["y", "z"]);
  assert.deepEqual(flagDuplicates(df).getColumn("duplicate").toArray(), [false, false, true, false, false]);
  assert.deepEqual(flagDuplicates(df, { subset: ["a"], keep: "last" }).getColumn("duplicate").toArray(), [true, false, true, false, false]);
});

test("outliers: IQR and z-score bounds, clip and drop, learned on train only", () => {
  const df = pl.DataFrame({ v: [1, 2, 3, 4, 5, 6, 7, 8, 100, null] });
  // q1 = 3, q3 = 7 (linear), IQR 4 → [−3, 13]
  const iqr = new OutlierClipper({ method: "iqr" }).fit(df);
  assert.deepEqual([iqr.lower[0], iqr.upper[0]], [-3, 13]);
  assert.deepEqual(iqr.count(df), { v: 1 });
  assert.deepEqual(clipOutliers(df).getColumn("v").toArray().slice(7), [8, 13, null]);
  assert.equal(dropOutliers(df).height, 9);
  const later = pl.DataFrame({ v: [-10, 50] });
  assert.deepEqual(iqr.transform(later).getColumn("v").toArray(), [-3, 13]);
  const z = new OutlierClipper({ method: "zscore", factor: 2 }).fit(df);
  assert.ok(z.upper[0] < 100 && z.lower[0] < 1);
  assert.equal(z.filter(df).height, 9);
});

test("coerce reports what failed (column, count, rows, values); parseDates likewise", () => {
  const df = parseCsv("id,amount,when\n1, 12.5 ,2024-01-05\n2,abc,2024-13-01\n3,7,2023-02-03\n4,x1,\n", { schema: { amount: "str", when: "str" } });
  const { df: out, failures, ok } = coerce(df, { amount: "f64" });
  assert.equal(ok, false);
  assert.deepEqual(out.getColumn("amount").toArray(), [12.5, null, 7, null]);
  // a frame straight from the CSV reader: examples carry their file line and column
  assert.deepEqual(failures, [{
    column: "amount", from: "String", to: "f64", failed: 2, file: "<csv text>",
    examples: [{ row: 1, value: "abc", line: 3, column: 3 }, { row: 3, value: "x1", line: 5, column: 3 }],
  }]);
  assert.throws(() => coerce(df, { amount: "f64" }, { strict: true }), /2 value\(s\) of column "amount" do not convert to f64, e\.g\. <csv text>:3:3: "abc"/);
  // any other frame: rows
  const built = pl.DataFrame({ amount: [" 12.5 ", "abc"] });
  assert.deepEqual(coerce(built, { amount: "f64" }).failures[0].examples, [{ row: 1, value: "abc" }]);
  assert.throws(() => coerce(built, { amount: "f64" }, { strict: true }), /e\.g\. row 1: "abc"/);
  const d = parseDates(df, ["when"]);
  assert.equal(String(d.df.getColumn("when").dtype), "DataType(Date)");
  assert.equal(d.df.getColumn("when").nullCount(), 2);
  assert.deepEqual(d.failures[0].examples, [{ row: 1, value: "2024-13-01", line: 3, column: 7 }]);
});

test("normalizeText merges spelling variants of a category", () => {
  const df = pl.DataFrame({ home: [" Owner", "owner ", "OWNER", "  ", "Rent   Free", null] });
  assert.deepEqual(normalizeText(df).getColumn("home").toArray(), ["owner", "owner", "owner", null, "rent free", null]);
});

test("scalers and encoders: fit on train only, transform later data, JSON round trip", () => {
  const train = pl.DataFrame({ a: [1, 2, 3, 4], c: ["x", "y", "x", "z"] });
  const later = pl.DataFrame({ a: [5, 0], c: ["y", "w"] });
  const steps = [new StandardScaler({ columns: ["a"] }), new MinMaxScaler({ columns: ["a"], featureRange: [-1, 1] }), new RobustScaler({ columns: ["a"] })];
  for (const s of steps) {
    s.fit(train);
    const back = transformerFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    assert.ok(back.transform(later).frameEqual(s.transform(later)), s.kind);
  }
  assert.deepEqual(new MinMaxScaler({ columns: ["a"], featureRange: [-1, 1] }).fit(train).transform(later).getColumn("a").toArray(), [1 + 2 / 3, -1 - 2 / 3]);
  const oh = new OneHotEncoder({ columns: ["c"] }).fit(train);
  assert.throws(() => oh.transform(later), /"c" has categories not seen in training: "w"/);
  const ohIgnore = new OneHotEncoder({ columns: ["c"], handleUnknown: "ignore" }).fit(train);
  assert.deepEqual(ohIgnore.transform(later).rows(), [[5, 0, 1, 0], [0, 0, 0, 0]]);
  assert.deepEqual(new OneHotEncoder({ columns: ["c"], drop: "first" }).fit(train).featureNames(), ["c_y", "c_z"]);
  const ord = new OrdinalEncoder({ columns: ["c"], unknownValue: -1 }).fit(train);
  assert.deepEqual(ord.transform(later).getColumn("c").toArray(), [1, -1]);
  assert.deepEqual(transformerFromJSON(ord.toJSON()).transform(later).getColumn("c").toArray(), [1, -1]);
  const le = new LabelEncoder().fit(["b", "a", "b"]);
  assert.deepEqual(Array.from(le.encode(["a", "b"])), [0, 1]);
  assert.deepEqual(le.decode([1, 0]), ["b", "a"]);
  assert.throws(() => le.encode(["c"]), /label "c" \(row 0\) was not seen/);
  assert.throws(() => new StandardScaler().transform(train), /call fit\(\) on training data/);
});

test("SequenceOneHot on real splice-junction DNA; unknown letters are zero rows", () => {
  const df = readCsv(join(DATA, "genomics", "splice.csv"));
  const enc = new SequenceOneHot({ alphabet: "dna" });
  const { data, shape } = enc.fitTransform(df, "sequence");
  assert.deepEqual(shape, [df.height, 60, 4]);
  const first = df.getColumn("sequence").get(0) as string;
  for (let p = 0; p < 60; p++) {
    const row = Array.from(data.subarray(p * 4, p * 4 + 4));
    assert.deepEqual(row, [0, 1, 2, 3].map((k) => ("ACGT"[k] === first[p] ? 1 : 0)), `position ${p}`);
  }
  const odd = enc.transform(["ACNT"]);
  assert.deepEqual(Array.from(odd.data.subarray(0, 16)), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const back = SequenceOneHot.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
  assert.deepEqual(back.transform(["ACGT"]).shape, [1, 60, 4]);
  const prot = new SequenceOneHot({ alphabet: "protein", length: 3 }).fit([]);
  assert.deepEqual(prot.transform(["MKW"]).shape, [1, 3, 20]);
});

test("sliding windows over 1-D and multichannel signals", () => {
  const sig = Float32Array.from({ length: 10 }, (_, i) => i);
  const w = slidingWindows(sig, { size: 4, step: 3 });
  assert.deepEqual(w.shape, [3, 4, 1]);
  assert.deepEqual(Array.from(w.data), [0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(w.starts), [0, 3, 6]);
  const padded = new SlidingWindow({ size: 4, step: 4, pad: true, padValue: -1 }).transform(sig);
  assert.deepEqual(Array.from(padded.data.subarray(8)), [8, 9, -1, -1]);
  const two = slidingWindows([1, 10, 2, 20, 3, 30], { size: 2, step: 1 }, 2);
  assert.deepEqual(two.shape, [2, 2, 2]);
  assert.deepEqual(Array.from(two.data), [1, 10, 2, 20, 2, 20, 3, 30]);
  assert.deepEqual(SlidingWindow.fromJSON(JSON.parse(JSON.stringify(new SlidingWindow({ size: 4 }).toJSON()))).options, { size: 4 });
});

test("splits are seeded and reproducible; folds partition the rows; groups never straddle", () => {
  const df = pl.DataFrame({ i: Array.from({ length: 50 }, (_, i) => i), y: Array.from({ length: 50 }, (_, i) => (i < 10 ? "rare" : "common")) });
  const a = trainTestSplit(df, { seed: 7 });
  const b = trainTestSplit(df, { seed: 7 });
  const c = trainTestSplit(df, { seed: 8 });
  assert.deepEqual(a.testIndex, b.testIndex);
  assert.notDeepEqual(a.testIndex, c.testIndex);
  assert.equal(a.test.height, 13);
  assert.deepEqual(a.test.getColumn("i").toArray(), Array.from(a.testIndex));
  const st = trainTestSplit(df, { testSize: 0.2, stratify: "y", seed: 1 });
  assert.equal(st.test.filter(pl.col("y").eq(pl.lit("rare"))).height, 2);
  const k1 = new KFold(4, { shuffle: true, seed: 3 }).split(df);
  const k2 = new KFold(4, { shuffle: true, seed: 3 }).split(df);
  assert.deepEqual(k1, k2);
  assert.deepEqual(k1.flatMap((f) => Array.from(f.test)).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  const sk = new StratifiedKFold(5, { shuffle: true, seed: 3 }).split("y", df);
  for (const f of sk) assert.equal(Array.from(f.test).filter((i) => i < 10).length, 2);
  const groups = Array.from({ length: 50 }, (_, i) => `p${i % 9}`);
  for (const f of new GroupKFold(3).split(groups)) {
    const testGroups = new Set(Array.from(f.test, (i) => groups[i]));
    assert.ok(Array.from(f.train).every((i) => !testGroups.has(groups[i])));
  }
  const gs = groupTrainTestSplit(df, { groups, testSize: 3, seed: 5 });
  assert.equal(gs.testGroups.length, 3);
  assert.ok(Array.from(gs.testIndex).every((i) => gs.testGroups.includes(groups[i])));
  assert.ok(Array.from(gs.trainIndex).every((i) => !gs.testGroups.includes(groups[i])));
  assert.equal(gs.train.height + gs.test.height, 50);
  assert.deepEqual(groupTrainTestSplit(df, { groups, testSize: 3, seed: 5 }).testIndex, gs.testIndex);
});

test("Pipeline: fit/transform, toJSON/fromJSON, unknown kinds rejected", () => {
  const train = pl.DataFrame({ id: [1, 2, 3, 4], x: [1, null, 3, 8], c: ["a", "b", null, "a"] });
  const p = new Pipeline([new SelectColumns({ drop: ["id"] }), new SimpleImputer({ strategy: "median", columns: ["x"] }), new SimpleImputer({ strategy: "mode", columns: ["c"] }), new OneHotEncoder(), new StandardScaler({ columns: ["x"] })]);
  const out = p.fitTransform(train);
  assert.deepEqual(out.columns, ["x", "c_a", "c_b"]);
  const json = JSON.stringify(p);
  const q = Pipeline.fromJSON(json);
  const later = pl.DataFrame({ id: [9], x: [null], c: ["b"] });
  assert.ok(q.transform(later).frameEqual(p.transform(later)));
  assert.match(String(mimeBundleOf(q)["text/plain"]), /^Pipeline\(5 steps, fitted on 4 rows\)\n1\. SelectColumns\(exclude=\["id"\], fitted\)\n2\. SimpleImputer\(strategy="median", columns=\["x"\], fitted on 4 rows\)/);
  assert.throws(() => Pipeline.fromJSON({ kind: "Pipeline", steps: [{ kind: "Nope" }] }), /unknown step kind "Nope"/);
});

test("table(df) displays as an HTML table with dtypes and a text fallback", () => {
  const df = pl.DataFrame({ n: Array.from({ length: 30 }, (_, i) => i), s: Array.from({ length: 30 }, (_, i) => (i === 1 ? null : `<v${i}>`)) });
  const b = mimeBundleOf(table(df, { maxRows: 6 }));
  const html = String(b["text/html"]);
  assert.match(html, /<table>/);
  assert.match(html, /<th title="Float64">n<br><small>Float64<\/small><\/th>/);
  assert.match(html, /&lt;v0&gt;/);
  assert.equal((html.match(/<tr><th>\d+<\/th>/g) ?? []).length, 6);
  assert.match(html, /30 rows × 2 columns/);
  assert.match(String(b["text/plain"]), /^n \(Float64\)\s+s \(String\)\n/);
  assert.deepEqual(Object.keys(tableBundle(df)).sort(), ["text/html", "text/plain"]);
});

test("the SQL projection shortcut gives bit-identical results to the expression form", async () => {
  const { affineBySql, sqlNumber, withSqlColumns } = await import("../../../kernel-helpers/lib/data/sql-columns");
  const n = 5000;
  const df = pl.DataFrame({
    'we"ird name': Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3),
    i: Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : i)),
    s: Array.from({ length: n }, (_, i) => `r${i % 3}`),
  }).withColumns(pl.col("i").cast(pl.Int64));
  const sub = [0.1 + 0.2, -7.25e-9];
  const div = [3.3e-7, 1234.5678];
  const viaSql = affineBySql(df, ['we"ird name', "i"], sub, div);
  assert.ok(viaSql, "Polars SQL ran the projection");
  const viaExpr = df.withColumns(pl.col('we"ird name').sub(sub[0]).div(div[0]), pl.col("i").cast(pl.Float64).sub(sub[1]).div(div[1]));
  assert.ok(viaSql.frameEqual(viaExpr));
  assert.deepEqual(viaSql.columns, df.columns);
  assert.equal(String(viaSql.getColumn("s").dtype), "DataType(String)");
  for (const v of [0.1, -3, 1e-7, 123.456e-30, 1e21]) assert.equal(Number(sqlNumber(v)!.replace(/[()]/g, "")), v);
  assert.equal(sqlNumber(5e-324), undefined);
  assert.equal(withSqlColumns(df, new Map([["i", "NOT A FUNCTION(("]])), undefined, "a refused query falls back");
  // the public steps agree with their expression fallbacks
  const imp = new SimpleImputer({ strategy: "mean", columns: ["i"] }).fit(df);
  assert.ok(imp.transform(df).frameEqual(df.withColumns(pl.col("i").cast(pl.Float64).fillNull(pl.lit(imp.fill[0] as number)))));
  const cats = pl.DataFrame({ n: [1, 2, 2, null], b: [true, false, null, true], c: ["a'b", "x", "a'b", null] })
    .withColumns(pl.col("n").cast(pl.Int64), pl.col("c").cast(pl.Categorical));
  const oh = new OneHotEncoder({ columns: ["n", "b", "c"] }).fit(cats);
  const ohOut = oh.transform(cats);
  assert.ok(ohOut.frameEqual((oh as unknown as { transformByExpr(d: typeof cats): typeof cats }).transformByExpr(cats)));
  assert.deepEqual(ohOut.row(2), [0, 1, 0, 0, 0, 1, 1, 0, 0]);
  const mm = new MinMaxScaler({ columns: ["i"] }).fit(df);
  assert.ok(mm.transform(df).frameEqual(df.withColumns(pl.col("i").cast(pl.Float64).mul(mm.scale[0]).add(mm.offset[0]))));
});
