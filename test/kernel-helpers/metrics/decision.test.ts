// Threshold choice by cost and per-group rates, checked against brute force and against the
// sklearn-identical precision/recall functions on each group's subset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { costThreshold, groupRates, precisionScore, recallScore, accuracyScore } from "../../../kernel-helpers/lib/metrics";
import { seededRandom } from "../../../kernel-helpers/lib/train/fit/random";

function data(n: number, seed: number) {
  const r = seededRandom(seed);
  const y = Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
  // Scores rounded to 2 digits so there are ties, which the scan must treat as one threshold.
  const s = y.map((v) => Math.round(Math.min(1, Math.max(0, 0.35 * v + 0.65 * r())) * 100) / 100);
  const g = y.map(() => ["a", "b", "c"][Math.floor(r() * 3)]);
  return { y, s, g };
}

test("costThreshold finds the cheapest cut-off, equal to a brute-force scan over every candidate", () => {
  const { y, s } = data(500, 3);
  for (const [cfp, cfn] of [[1, 5], [1, 1], [3, 1], [0, 1]]) {
    const r = costThreshold(y, s, { costFalsePositive: cfp, costFalseNegative: cfn });
    let best = { t: Infinity, cost: Infinity };
    for (const t of [Infinity, ...[...new Set(s)].sort((a, b) => b - a)]) {
      let c = 0;
      y.forEach((v, i) => {
        const pred = s[i] >= t;
        if (pred && v === 0) c += cfp;
        if (!pred && v === 1) c += cfn;
      });
      if (c / y.length < best.cost - 1e-12) best = { t, cost: c / y.length };
    }
    assert.equal(r.threshold, best.t, `costs ${cfp}/${cfn}`);
    assert.ok(Math.abs(r.cost - best.cost) < 1e-12);
    assert.equal(r.tp + r.fp + r.fn + r.tn, y.length);
    assert.equal(r.thresholds.length, new Set(s).size + 1);
  }
  // Free false positives: the highest cut-off that still catches every positive (ties go up).
  assert.equal(costThreshold(y, s, { costFalsePositive: 0, costFalseNegative: 1 }).threshold, Math.min(...s.filter((_, i) => y[i] === 1)));
  // Free false negatives: never predict positive.
  assert.equal(costThreshold(y, s, { costFalsePositive: 1, costFalseNegative: 0 }).threshold, Infinity);
});

test("costThreshold rejects negative costs and non-binary targets, naming the argument", () => {
  assert.throws(() => costThreshold([0, 1], [0.2, 0.8], { costFalsePositive: -1, costFalseNegative: 1 }), /costFalsePositive: must be a finite number ≥ 0, got -1/);
  assert.throws(() => costThreshold(["x", "y"], [0.2, 0.8], { costFalsePositive: 1, costFalseNegative: 1 }), /posLabel/);
});

test("groupRates equals precision/recall/accuracy computed on each group's subset", () => {
  const { y, s, g } = data(600, 9);
  const pred = s.map((v) => (v >= 0.5 ? 1 : 0));
  const rates = groupRates(y, pred, g);
  assert.deepEqual(rates.map((r) => r.group), ["a", "b", "c"]);
  for (const r of rates) {
    const idx = g.flatMap((v, i) => (v === r.group ? [i] : []));
    const yt = idx.map((i) => y[i]);
    const yp = idx.map((i) => pred[i]);
    assert.equal(r.n, idx.length);
    assert.ok(Math.abs(r.truePositiveRate - (recallScore(yt, yp) as number)) < 1e-12);
    assert.ok(Math.abs(r.precision - (precisionScore(yt, yp) as number)) < 1e-12);
    assert.ok(Math.abs(r.accuracy - accuracyScore(yt, yp)) < 1e-12);
    const neg = idx.filter((i) => y[i] === 0);
    assert.ok(Math.abs(r.falsePositiveRate - neg.filter((i) => pred[i] === 1).length / neg.length) < 1e-12);
    assert.ok(Math.abs(r.selectionRate - yp.filter((v) => v === 1).length / yp.length) < 1e-12);
  }
  assert.throws(() => groupRates(y, pred, g.slice(1)), /inconsistent numbers of samples: \[600, 600, 599\]/);
  assert.deepEqual(groupRates(["bad", "good"], ["bad", "bad"], [1, 1], { posLabel: "bad" })[0].selectionRate, 1);
});
