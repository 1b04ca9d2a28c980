// Inputs the metrics accept (typed arrays, tfjs-like tensors, 2-D arrays), Python-identical
// number formatting, and errors that name the argument and what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accuracyScore,
  classificationReport,
  confusionMatrix,
  f1Score,
  isTensorLike,
  meanSquaredError,
  precisionRecallFscoreSupport,
  precisionScore,
  r2Score,
  rocAucScore,
  rocCurve,
  topKAccuracyScore,
} from "../../../kernel-helpers/lib/metrics";
import { pyFixed, pyFloat } from "../../../kernel-helpers/lib/metrics/format";
import { sum } from "../../../kernel-helpers/lib/metrics/math";

const tensor = (data: number[], shape: number[]) => ({ shape, dataSync: () => Float32Array.from(data), arraySync: () => data });

test("typed arrays, tensors and plain arrays give the same results", () => {
  const t = [0, 1, 2, 2, 1, 0, 2, 1];
  const p = [0, 2, 2, 2, 1, 0, 1, 1];
  const expected = f1Score(t, p, { average: "macro" });
  assert.equal(f1Score(Int32Array.from(t), Uint8Array.from(p), { average: "macro" }), expected);
  assert.equal(f1Score(tensor(t, [8]), tensor(p, [8]), { average: "macro" }), expected);
  assert.equal(f1Score(tensor(t, [8, 1]), Float64Array.from(p), { average: "macro" }), expected);
  assert.ok(isTensorLike(tensor(t, [8])));
  assert.ok(!isTensorLike(t));
  // 2-D scores as a tensor
  const scores = [0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.3, 0.3, 0.4];
  assert.equal(topKAccuracyScore([0, 1, 2, 0], tensor(scores, [4, 3]), { k: 1 }), 0.75);
});

test("per-label results come back as arrays, averages as numbers", () => {
  const per = precisionScore([0, 1, 1], [0, 1, 0], { average: null });
  assert.deepEqual(per, [0.5, 1]);
  const r = precisionRecallFscoreSupport(["a", "b", "b"], ["a", "b", "a"]);
  assert.deepEqual(r.support, [1, 2]);
  assert.equal(precisionRecallFscoreSupport([0, 1], [0, 1], { average: "macro" }).support, undefined);
});

test("report text matches sklearn's layout for a small known case", () => {
  const text = classificationReport(["cat", "dog", "cat", "bird"], ["cat", "cat", "cat", "bird"]);
  assert.equal(
    text,
    [
      "              precision    recall  f1-score   support",
      "",
      "        bird       1.00      1.00      1.00         1",
      "         cat       0.67      1.00      0.80         2",
      "         dog       0.00      0.00      0.00         1",
      "",
      "    accuracy                           0.75         4",
      "   macro avg       0.56      0.67      0.60         4",
      "weighted avg       0.58      0.75      0.65         4",
      "",
    ].join("\n"),
  );
  const dict = classificationReport(["cat", "dog"], ["cat", "cat"], { outputDict: true });
  assert.equal(dict.accuracy, 0.5);
  assert.deepEqual(Object.keys(dict), ["cat", "dog", "accuracy", "macro avg", "weighted avg"]);
});

test("Python number formatting: round-half-even on exact ties, str(float)", () => {
  assert.equal(pyFixed(0.125, 2), "0.12"); // exact binary tie: Python rounds to even
  assert.equal(pyFixed(0.375, 2), "0.38");
  assert.equal(pyFixed(2.5, 0), "2");
  assert.equal(pyFixed(0.575, 2), "0.57"); // 0.575 is 0.57499999… in binary
  assert.equal(pyFixed(1 / 3, 4), "0.3333");
  assert.equal(pyFloat(3), "3.0");
  assert.equal(pyFloat(12.5), "12.5");
  assert.equal(pyFloat(1e-5), "1e-05");
  assert.equal(pyFloat(1e16), "1e+16");
});

test("sums follow numpy's pairwise order", () => {
  // Values whose naive left-to-right sum differs from numpy's.
  const xs = [1e16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1e16];
  assert.equal(sum(xs), 14); // numpy.sum gives 14.0 (8 accumulators); a plain loop gives 0
});

test("bad input throws an Error naming the argument", () => {
  assert.throws(() => accuracyScore([0, 1, 1], [0, 1]), /yTrue, yPred: found input variables with inconsistent numbers of samples: \[3, 2\]/);
  assert.throws(() => f1Score([0, 1, 2], [0, 1, 2], { average: "avg" as never }), /average: has to be one of/);
  assert.throws(() => f1Score([0, 1, 2], [0, 1, 1]), /average: target is multiclass but average='binary'/);
  assert.throws(() => f1Score(["a", "b"], ["a", "b"]), /posLabel: posLabel=1 is not a valid label. It should be one of \['a', 'b'\]/);
  assert.throws(() => f1Score([0, 1], [0, 1], { zeroDivision: 2 as never }), /zeroDivision: got 2/);
  assert.throws(() => f1Score([0, 1], ["a", "b"]), /labels in yTrue and yPred should be of the same type/);
  assert.throws(() => f1Score([0.5, 1.5], [0, 1]), /continuous/);
  assert.throws(() => confusionMatrix([0, 1], [0, 1], { labels: [5, 6] }), /labels: at least one label specified must be in yTrue/);
  assert.throws(() => confusionMatrix([0, 1], [0, 1], { normalize: "rows" as never }), /normalize: must be one of/);
  assert.throws(() => accuracyScore([0, 1], [0, 1], { sampleWeight: [1] }), /sampleWeight: .*\[2, 1\]/);
  assert.throws(() => rocCurve(["x", "y"], [0.1, 0.2]), /posLabel: yTrue takes value in \['x', 'y'\] and posLabel is not specified/);
  assert.throws(() => rocAucScore([0, 1, 2], [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]), /multiClass: must be 'ovo' or 'ovr'/);
  assert.throws(() => meanSquaredError([1, 2], [[1, 2], [3, 4]]), /yTrue, yPred: have different number of output \(1!=2\)/);
  assert.throws(() => r2Score([1, 2], [1, 2], { multioutput: [0.5, 0.5] }), /multioutput: custom weights are useful only in multi-output cases/);
  assert.throws(() => classificationReport([0, 1, 2], [0, 1, 2], { targetNames: ["a"] }), /targetNames: number of classes, 3, does not match size of targetNames, 1/);
  assert.throws(() => accuracyScore("abc" as never, [0]), /yTrue: expected an array/);
});
