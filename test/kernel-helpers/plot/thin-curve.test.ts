import { test } from "node:test";
import assert from "node:assert/strict";
import { thinCurveIndices } from "../../../kernel-helpers/lib/plot/thin-curve";
import { rocCurve, precisionRecallCurve, rocAucScore, evaluate, MIME } from "../../../kernel-helpers/lib";
import { seededRandom } from "../../../kernel-helpers/lib/train/fit/random";

function scores(n: number, seed: number) {
  const r = seededRandom(seed);
  const y = Array.from({ length: n }, () => (r() < 0.2 ? 1 : 0));
  const s = y.map((v) => 0.3 * v + 0.7 * r());
  return { y, s };
}

test("a thinned ROC / PR curve keeps both ends and stays within 1/maxPoints of every dropped point", () => {
  const { y, s } = scores(40_000, 1);
  const roc = rocCurve(y, s, { dropIntermediate: false });
  const pr = precisionRecallCurve(y, s);
  for (const [x, v] of [[roc.fpr, roc.tpr], [pr.recall, pr.precision]] as const) {
    const keep = thinCurveIndices(x, v, 500);
    assert.ok(x.length > 20_000, `full curve ${x.length}`);
    assert.ok(keep.length <= 2000 && keep.length >= 200, `kept ${keep.length} of ${x.length}`);
    assert.equal(keep[0], 0);
    assert.equal(keep.at(-1), x.length - 1);
    const range = (a: ArrayLike<number>) => Math.max(...Array.from(a)) - Math.min(...Array.from(a));
    const dx = range(x) / 500;
    const dy = range(v) / 500;
    let k = 0;
    for (let i = 0; i < x.length; i++) {
      while (k + 1 < keep.length && keep[k + 1] <= i) k++;
      const j = keep[k];
      assert.ok(Math.abs(x[i] - x[j]) <= dx + 1e-12 && Math.abs(v[i] - v[j]) <= dy + 1e-12, `point ${i} is far from kept point ${j}`);
    }
  }
  assert.deepEqual(thinCurveIndices([0, 0.5, 1], [0, 0.5, 1], 500), [0, 1, 2], "short curves are untouched");
});

test("evaluate on a large test set stores thinned curves but the exact AUC", async () => {
  const { y, s } = scores(30_000, 2);
  const ev = await evaluate(y, s.map((v) => [1 - v, v]), { static: false });
  const roc = ev.report.classification!.roc![0];
  assert.ok(roc.fpr.length < 2500, `roc points ${roc.fpr.length}`);
  assert.ok(Math.abs(roc.auc - (rocAucScore(y, s) as number)) < 1e-12);
  const bytes = JSON.stringify(ev.bundle[MIME.metricsReport]).length + JSON.stringify(ev.bundle[MIME.plotly] ?? "").length;
  assert.ok(bytes < 300_000, `report payload ${bytes} bytes`);
});
