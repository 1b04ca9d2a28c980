// KmerCounts: golden counts from scikit-learn's CountVectorizer on real splice sequences
// (test/fixtures/data/make_kmer_golden.py), the alphabet filter, JSON round trip, bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pl, readCsv, KmerCounts, Pipeline, StandardScaler, transformerFromJSON } from "../../../kernel-helpers/lib/data";
import { ROOT } from "./helpers";

interface GoldenCase {
  k: number;
  fit: [number, number];
  transform: [number, number];
  vocabulary: string[];
  counts: number[][];
}
const golden: { cases: GoldenCase[] } = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "data", "kmer_golden.json"), "utf8"));
const splice = readCsv(join(ROOT, "notebooks", "data", "genomics", "splice.csv"));

test("KmerCounts equals CountVectorizer(analyzer='char', ngram_range=(k, k)) on real splice sequences", () => {
  assert.equal(golden.cases.length, 3);
  for (const g of golden.cases) {
    const rows = (r: [number, number]) => splice.slice(r[0], r[1] - r[0]);
    const kmers = new KmerCounts({ column: "sequence", k: g.k }).fit(rows(g.fit));
    assert.deepEqual(kmers.vocabulary, g.vocabulary, `vocabulary k=${g.k}`);
    const out = kmers.transform(rows(g.transform));
    assert.deepEqual(out.columns, ["class", ...g.vocabulary], "the sequence column is replaced by the counts");
    const got = out.select(...g.vocabulary).rows() as number[][];
    assert.deepEqual(got, g.counts, `counts k=${g.k}`);
    const { data, shape } = kmers.counts(rows(g.transform));
    assert.deepEqual(shape, [g.counts.length, g.vocabulary.length]);
    assert.deepEqual(Array.from(data), g.counts.flat());
  }
  // Every 60-nt sequence has 58 overlapping 3-mers.
  const all = new KmerCounts({ column: "sequence", k: 3 }).fit(splice);
  assert.equal(all.vocabulary.length, 64);
  const c = all.counts(splice.head(50));
  for (let i = 0; i < 50; i++) assert.equal(c.data.slice(i * 64, i * 64 + 64).reduce((a, b) => a + b, 0), 58);
});

test("KmerCounts skips k-mers over letters outside the alphabet, upper-cases, keeps other columns", () => {
  const df = pl.DataFrame({ id: [1, 2], seq: ["acgNtt", "ACGT"] });
  const t = new KmerCounts({ column: "seq", k: 2, alphabet: "dna", prefix: "k_", keepOriginal: true });
  const out = t.fitTransform(df);
  assert.deepEqual(t.vocabulary, ["AC", "CG", "GT", "TT"], "AN/GN/NT never counted");
  assert.deepEqual(out.columns, ["id", "seq", "k_AC", "k_CG", "k_GT", "k_TT"]);
  assert.deepEqual(out.select("k_AC", "k_CG", "k_GT", "k_TT").rows(), [[1, 1, 0, 1], [1, 1, 1, 0]]);
  const noFilter = new KmerCounts({ column: "seq", k: 2 }).fit(df);
  assert.deepEqual(noFilter.vocabulary, ["AC", "CG", "GN", "GT", "NT", "TT"]);
  const caseKept = new KmerCounts({ column: "seq", k: 1, ignoreCase: false }).fit(df);
  assert.deepEqual(caseKept.vocabulary, ["A", "C", "G", "N", "T", "a", "c", "g", "t"]);
  // Short sequences give no k-mer: all-zero rows, not an error.
  assert.deepEqual(t.transform(pl.DataFrame({ id: [3], seq: ["A"] })).select("k_AC", "k_TT").rows(), [[0, 0]]);
});

test("KmerCounts round-trips through JSON and a Pipeline", () => {
  const train = splice.head(300);
  const test = splice.slice(300, 20);
  const prep = new Pipeline([new KmerCounts({ column: "sequence", k: 3, alphabet: "dna" }), new StandardScaler({ exclude: ["class"] })]);
  const a = prep.fitTransform(train);
  assert.equal(a.width, 65);
  const back = Pipeline.fromJSON(JSON.stringify(prep.toJSON()));
  assert.ok(back.transform(test).frameEqual(prep.transform(test)));
  const step = transformerFromJSON(JSON.parse(JSON.stringify(prep.steps[0].toJSON())));
  assert.ok(step instanceof KmerCounts);
  assert.deepEqual(step.vocabulary, (prep.steps[0] as KmerCounts).vocabulary);
});

test("KmerCounts rejects bad input with messages that name the problem", () => {
  assert.throws(() => new KmerCounts({ column: "sequence", k: 0 }), /k must be a positive integer, got 0/);
  assert.throws(() => new KmerCounts({} as never), /give the sequence column/);
  assert.throws(() => new KmerCounts({ column: "seq" }).fit(splice), /column\(s\) "seq" not in the frame/);
  assert.throws(() => new KmerCounts({ column: "sequence" }).transform(splice), /call fit\(\) on training data before transform\(\)/);
  assert.throws(() => new KmerCounts({ column: "s" }).fit(pl.DataFrame({ s: ["ACGT", null] })), /row 1 of column "s" is missing/);
  assert.throws(() => new KmerCounts({ column: "s" }).fit(pl.DataFrame({ s: [1, 2] })), /must hold text, row 0 is number/);
  assert.throws(() => new KmerCounts({ column: "s", k: 5 }).fit(pl.DataFrame({ s: ["ACGT"] })), /no 5-mer in the training sequences/);
  assert.throws(() => new KmerCounts({ column: "s", k: 1 }).fit(pl.DataFrame({ s: ["AB"], A: [1] })), /output column "A" already exists in the frame; set a prefix/);
  assert.throws(() => KmerCounts.fromJSON({ kind: "StandardScaler" }), /expected kind "KmerCounts"/);
});
