// The step contract: every fitted step has a stable kind, takes its columns in the options, fits in
// place, saves { kind, version, options, state }, comes back through the one registry with
// identical transforms, reads the flat layout older versions saved, and displays as a summary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  pl, readCsv, StandardScaler, MinMaxScaler, RobustScaler, OneHotEncoder, OrdinalEncoder, LabelEncoder, SimpleImputer, OutlierClipper, KmerCounts,
  SequenceOneHot, SlidingWindow, SelectColumns, Pipeline, stepFromJSON, stepKinds, registerStep, BaseStep, type Step, type StepJSON,
} from "../../../kernel-helpers/lib/data";
import type { DataFrame } from "../../../kernel-helpers/lib/data/polars";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { DATA } from "../../helpers/paths";

const splice = readCsv(join(DATA, "genomics", "splice.csv")).head(300);
// A real sequence column beside numeric and categorical ones (GC share, a category with a gap).
const gc = (splice.getColumn("sequence").toArray() as string[]).map((s) => [...s].filter((c) => c === "G" || c === "C").length / s.length);
const frame = splice.withColumns(pl.Series("gc", gc), pl.Series("len", gc.map((_, i) => (i % 7 === 0 ? null : 50 + (i % 11)))), pl.Series("site", gc.map((_, i) => (i % 5 === 0 ? null : ["a", "b", "c"][i % 3]))));
const [train, later] = [frame.head(240), frame.tail(60)];

const same = (a: unknown, b: unknown) => {
  if (a && typeof (a as DataFrame).frameEqual === "function") return assert.ok((a as DataFrame).frameEqual(b as DataFrame, true));
  const pick = (v: unknown) => ("data" in (v as object) ? { data: Array.from((v as { data: Float32Array }).data), shape: (v as { shape: number[] }).shape } : v);
  assert.deepEqual(pick(a), pick(b));
};

const tableSteps = (): [Step, DataFrame][] => [
  [new StandardScaler({ columns: ["gc", "len"] }), train],
  [new MinMaxScaler({ exclude: ["len"] }), train],
  [new RobustScaler({ columns: ["gc"] }), train],
  [new OneHotEncoder({ columns: ["class"] }), train],
  [new OrdinalEncoder({ exclude: ["sequence", "site"] }), train],
  [new LabelEncoder({ column: "class" }), train],
  [new SimpleImputer({ strategy: "median", columns: ["len"] }), train],
  [new OutlierClipper({ columns: ["gc"], method: "zscore" }), train],
  [new KmerCounts({ column: "sequence", k: 2, alphabet: "dna" }), train],
  [new SelectColumns({ exclude: ["sequence"] }), train],
];

test("every step saves { kind, version, options, state } and stepFromJSON restores it with identical transforms", () => {
  const steps: [Step<never, unknown>, unknown, unknown][] = [
    ...tableSteps().map(([s, df]): [Step<never, unknown>, unknown, unknown] => [s, df, later]),
    [new SequenceOneHot({ column: "sequence", alphabet: "dna" }), train, later],
    [new SlidingWindow({ size: 8, step: 4, columns: ["gc", "len"] }), train.fillNull("zero"), later.fillNull("zero")],
    [new Pipeline([new SimpleImputer({ strategy: "mode", columns: ["site"] }), new OneHotEncoder({ columns: ["site"] }), new StandardScaler({ columns: ["gc"] })]), train, later],
  ];
  const kinds = new Set<string>();
  for (const [step, fitOn, apply] of steps) {
    const s = step as unknown as Step<unknown, unknown>;
    const fitted = s.fit(fitOn);
    assert.equal(fitted, s, `${s.kind}: fit returns the step itself`);
    assert.ok(s.fitted);
    const json = s.toJSON();
    assert.deepEqual(Object.keys(json).sort(), ["kind", "options", "state", "version"], s.kind);
    assert.equal(json.version, 1);
    assert.equal(json.kind, s.kind);
    assert.notEqual(json.state, null, s.kind);
    const back = stepFromJSON<Step<unknown, unknown>>(JSON.stringify(json));
    assert.equal(back.constructor, s.constructor, s.kind);
    assert.ok(back.fitted, s.kind);
    assert.deepEqual(back.toJSON(), JSON.parse(JSON.stringify(json)), `${s.kind}: saves the same JSON again`);
    same(back.transform(apply), s.transform(apply));
    kinds.add(s.kind);
  }
  assert.deepEqual([...kinds].sort(), stepKinds().sort(), "every registered kind is covered");
});

test("an unfitted step saves state null and comes back unfitted; unknown kinds and newer layouts are refused", () => {
  const json = new StandardScaler({ columns: ["gc"] }).toJSON();
  assert.equal(json.state, null);
  const back = stepFromJSON(json);
  assert.equal(back.fitted, false);
  assert.throws(() => back.transform(train), /call fit\(\) on training data before transform\(\)/);
  assert.throws(() => stepFromJSON({ kind: "Nope", options: {}, state: null }), /unknown step kind "Nope" \(known: StandardScaler/);
  assert.throws(() => stepFromJSON({ ...json, version: 2 }), /layout version 2; this Sciforge reads up to 1/);
  assert.throws(() => StandardScaler.fromJSON(new MinMaxScaler().toJSON()), /StandardScaler.fromJSON: expected kind "StandardScaler", got "MinMaxScaler"/);
  assert.throws(() => KmerCounts.fromJSON({ kind: "StandardScaler" }), /expected kind "KmerCounts"/);
});

test("the flat JSON older versions saved still restores (scaler, label encoder, sequence encoder, pipeline)", () => {
  const scaler = new StandardScaler({ columns: ["gc"] }).fit(train);
  const labels = new LabelEncoder({ column: "class" }).fit(train);
  const seq = new SequenceOneHot({ alphabet: "dna", column: "sequence" }).fit(train);
  const oldScaler = { kind: "StandardScaler", options: { columns: ["gc"] }, columns: ["gc"], mean: scaler.mean, scale: scaler.scale, fitted: true };
  const oldLabels = { kind: "LabelEncoder", column: "class", classes: labels.classes, fitted: true };
  const oldSeq = { kind: "SequenceOneHot", options: { alphabet: "dna", column: "sequence" }, alphabet: "ACGT", length: seq.length, column: "sequence", fitted: true };
  same(stepFromJSON(oldScaler).transform(later), scaler.transform(later));
  same(stepFromJSON(oldLabels).transform(later), labels.transform(later));
  same(stepFromJSON<SequenceOneHot>(oldSeq).transform(later), seq.transform(later));
  const p = Pipeline.fromJSON({ kind: "Pipeline", steps: [{ kind: "SelectColumns", spec: { drop: ["sequence", "site", "len"] } }, oldScaler] });
  assert.deepEqual(p.transform(later).columns, ["class", "gc"]);
  same(p.transform(later).select("gc"), scaler.transform(later).select("gc"));
});

test("columns always come from the options: LabelEncoder, SequenceOneHot, SlidingWindow on a frame", () => {
  const labels = new LabelEncoder({ column: "class" }).fit(train);
  assert.deepEqual(labels.classes, ["ei", "ie", "n"]);
  assert.deepEqual(labels.transform(later).getColumn("class").toArray(), Array.from(labels.encode(later.getColumn("class"))));
  // deprecated positional forms still work and mean the same
  assert.deepEqual(new LabelEncoder("class").fit(train).toJSON(), labels.toJSON());
  const seq = new SequenceOneHot({ column: "sequence" }).fit(train);
  assert.deepEqual(seq.columns, ["sequence"]);
  assert.deepEqual(seq.transform(later).data, new SequenceOneHot().fit(train, "sequence").transform(later, "sequence").data);
  // a frame's rows are samples, its columns the channels: the same windows as the interleaved array
  const sig = pl.DataFrame({ a: [1, 2, 3, 4, 5, 6, 7], b: [10, 20, 30, 40, 50, 60, 70], label: ["x", "x", "x", "y", "y", "y", "y"] });
  const fromFrame = new SlidingWindow({ size: 3, step: 2, columns: ["a", "b"] }).fitTransform(sig);
  const fromArray = new SlidingWindow({ size: 3, step: 2, channels: 2 }).transform([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70]);
  assert.deepEqual(fromFrame.shape, [3, 3, 2]);
  assert.deepEqual(fromFrame, fromArray);
  assert.deepEqual(new SlidingWindow({ size: 3, step: 2 }).transform(sig.select("a", "b")), fromArray, "default: every numeric column");
  assert.throws(() => new SlidingWindow({ size: 3, columns: ["nope"] }).fit(sig), /column\(s\) "nope" not in the frame/);
});

test("a fitted step shows as a summary line and a table of what it learned", () => {
  const big = pl.DataFrame({ age: Array.from({ length: 1000 }, (_, i) => 20 + (i % 50)), income: Array.from({ length: 1000 }, (_, i) => 1000 + i), y: Array.from({ length: 1000 }, (_, i) => i % 2) });
  const scaler = new StandardScaler({ exclude: ["y"] });
  assert.equal(mimeBundleOf(scaler)["text/plain"], 'StandardScaler(exclude=["y"], not fitted)');
  scaler.fit(big);
  const b = mimeBundleOf(scaler);
  const text = String(b["text/plain"]);
  assert.match(text, /^StandardScaler\(columns=\["age", "income"\], exclude=\["y"\], fitted on 1,000 rows\)\n/);
  assert.match(text, /column\tmean\tscale\n {2}age\t44\.5\t14\.43/);
  const html = String(b["text/html"]);
  assert.match(html, /<b>StandardScaler<\/b>/);
  assert.match(html, /<th>column<\/th><th>mean<\/th><th>scale<\/th>/);
  assert.match(html, /<td>income<\/td><td>1500<\/td><td>288\.7<\/td>/);
  // restored steps keep the row count; other kinds show their own state
  assert.match(String(mimeBundleOf(stepFromJSON(scaler.toJSON()))["text/plain"]), /fitted on 1,000 rows/);
  assert.match(String(mimeBundleOf(new LabelEncoder({ column: "class" }).fit(train))["text/plain"]), /^LabelEncoder\(column="class", fitted on 240 rows\)\n {2}code\tclass\n {2}0\t/);
  assert.match(String(mimeBundleOf(new KmerCounts({ column: "sequence", k: 2, alphabet: "dna" }).fit(train))["text/plain"]), /16 2-mers\tAA, AC, AG, AT, CA, CC, …, TT/);
  assert.match(String(mimeBundleOf(new SequenceOneHot({ column: "sequence" }).fit(train))["text/plain"]), /SequenceOneHot\(column="sequence", alphabet="ACGT", length=60, fitted on 240 rows\)/);
  assert.match(String(mimeBundleOf(new SlidingWindow({ size: 4 }))["text/plain"]), /^SlidingWindow\(size=4, step=4, fitted\)$/);
  const p = new Pipeline([new SimpleImputer({ strategy: "median", columns: ["len"] }), new StandardScaler({ columns: ["len", "gc"] })]).fit(train);
  assert.match(String(mimeBundleOf(p)["text/plain"]), /^Pipeline\(2 steps, fitted on 240 rows\)\n1\. SimpleImputer\(strategy="median", columns=\["len"\], fitted on 240 rows\)\n2\. StandardScaler/);
  assert.match(String(mimeBundleOf(p)["text/html"]), /<ol><li><div><b>SimpleImputer<\/b>.*<table>/);
});

test("registerStep: a custom step restores through the same registry", () => {
  class Doubler extends BaseStep<{ column: string }, { n: number }> {
    static override readonly kind = "Doubler";
    n = 0;
    fit(df: DataFrame): this {
      this.n = df.height;
      this.markFitted(df.height);
      return this;
    }
    transform(df: DataFrame): DataFrame {
      return df.withColumns(pl.col(this.options.column).mul(2));
    }
    protected getState() {
      return { n: this.n };
    }
    protected setState(s: { n: number }) {
      this.n = s.n;
    }
    protected summary() {
      return { params: { column: this.options.column } };
    }
  }
  registerStep("Doubler", (j: StepJSON) => Doubler.fromJSON(j));
  const p = new Pipeline([new Doubler({ column: "gc" })]).fit(train);
  const back = stepFromJSON<Pipeline>(JSON.stringify(p));
  assert.ok(back.steps[0] instanceof Doubler);
  assert.equal((back.steps[0] as Doubler).n, 240);
  same(back.transform(later), p.transform(later));
});
