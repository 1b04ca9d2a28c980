// evaluate(): task detection, the one-bundle display (metrics-report JSON + HTML + sklearn text +
// PNG), agreement with the individual metrics, tensors and models as inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import {
  type MetricsReport,
  accuracyScore,
  classificationReport,
  confusionMatrix,
  f1Score,
  logLoss,
  r2Score,
  rocAucScore,
} from "../../../kernel-helpers/lib/metrics";
import { evaluate } from "../../../kernel-helpers/lib/evaluation";

function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r = rng(7);
const yTrue = Array.from({ length: 200 }, () => Math.floor(r() * 3));
const proba = yTrue.map((y) => {
  const s = [r(), r(), r()];
  s[y] += 0.6;
  const t = s[0] + s[1] + s[2];
  return s.map((v) => v / t);
});
const yPred = proba.map((p) => p.indexOf(Math.max(...p)));

test("multiclass labels: report, confusion matrix and summary equal the individual metrics", async () => {
  const ev = await evaluate(yTrue, yPred, { static: false });
  const b = mimeBundleOf(ev);
  const payload = b[MIME.metricsReport] as MetricsReport;
  assert.equal(payload.task, "multiclass");
  assert.equal(payload.nSamples, 200);
  assert.equal(payload.summary.accuracy, accuracyScore(yTrue, yPred));
  assert.equal(payload.summary.f1Macro, f1Score(yTrue, yPred, { average: "macro" }));
  assert.deepEqual(payload.classification!.confusionMatrix, confusionMatrix(yTrue, yPred));
  assert.equal(payload.classification!.reportText, classificationReport(yTrue, yPred));
  assert.ok(String(b[MIME.text]).startsWith(classificationReport(yTrue, yPred)));
  assert.match(String(b[MIME.html]), /<table.*precision.*<\/table>/s);
  assert.equal(payload.classification!.roc, undefined, "no curves without scores");
  JSON.parse(JSON.stringify(payload)); // the payload is plain JSON
});

test("multiclass probabilities: curves, AUC and log loss; PNG fallback of the confusion matrix", async () => {
  const ev = await evaluate(yTrue, proba, { targetNames: ["a", "b", "c"] });
  const p = ev.report;
  assert.deepEqual(p.classification!.labels, ["a", "b", "c"]);
  assert.equal(p.classification!.roc!.length, 3);
  assert.ok(Math.abs(p.summary.rocAucOvrMacro - (rocAucScore(yTrue, proba, { multiClass: "ovr" }) as number)) < 1e-12);
  assert.ok(Math.abs(p.summary.logLoss - logLoss(yTrue, proba)) < 1e-12);
  assert.ok(p.summary.top2Accuracy >= p.summary.accuracy);
  assert.deepEqual(Object.keys(ev.figures).sort(), ["confusionMatrix", "pr", "roc"]);
  const b = mimeBundleOf(ev);
  assert.ok(typeof b[MIME.png] === "string" && (b[MIME.png] as string).length > 1000);
  assert.equal((String(b[MIME.html]).match(/<img /g) ?? []).length, 3);
});

test("binary scores and a duck-typed model with predict() returning a tensor", async () => {
  const y = Array.from({ length: 120 }, () => (r() < 0.3 ? 1 : 0));
  const s = y.map((v) => Math.min(1, Math.max(0, v * 0.4 + r() * 0.6)));
  let disposed = false;
  const model = {
    predict: (x: number[]) => ({ shape: [x.length, 1], dataSync: () => Float32Array.from(s), dispose: () => (disposed = true) }),
  };
  const ev = await evaluate(model, y.map((_, i) => i), y, { static: false });
  assert.ok(disposed, "prediction tensor disposed");
  assert.equal(ev.report.task, "binary");
  assert.ok(Math.abs(ev.summary.rocAuc - (rocAucScore(y, Float32Array.from(s)) as number)) < 1e-12);
  assert.equal(ev.summary.accuracy, accuracyScore(y, Array.from(Float32Array.from(s), (v) => (v > 0.5 ? 1 : 0))));
  assert.ok(ev.summary.brierScore > 0 && ev.summary.logLoss > 0);
  assert.equal(ev.report.classification!.threshold, 0.5);
});

test("one-hot targets are read as class indices", async () => {
  const oneHot = yTrue.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
  const ev = await evaluate(oneHot, proba, { static: false });
  assert.equal(ev.summary.accuracy, accuracyScore(yTrue, yPred));
  assert.match(ev.report.notes.join(" "), /one-hot/);
});

test("regression: errors, R², figures", async () => {
  const t = Array.from({ length: 150 }, () => r() * 20 - 5);
  const p = t.map((v) => v + (r() - 0.5) * 3);
  const ev = await evaluate(t, p);
  assert.equal(ev.report.task, "regression");
  assert.ok(Math.abs(ev.summary.r2 - (r2Score(t, p) as number)) < 1e-12);
  assert.ok(Math.abs(ev.summary.rmse - Math.sqrt(ev.summary.mse)) < 1e-12);
  assert.deepEqual(Object.keys(ev.figures).sort(), ["predictedVsActual", "residuals"]);
  const b = mimeBundleOf(ev);
  assert.ok(b[MIME.png]);
  assert.match(String(b[MIME.text]), /^mse\s+\d/m);
});

test("bad input names the argument", async () => {
  await assert.rejects(() => evaluate([0, 1, 1], [0, 1]), /yTrue, yPred: .*inconsistent numbers of samples: \[3, 2\]/);
  await assert.rejects(() => evaluate(["a", "b", "c"], [[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]]), /labels: yPred has 2 score columns but yTrue has 3 classes/);
});
