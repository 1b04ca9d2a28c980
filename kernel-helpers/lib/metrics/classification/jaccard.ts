/** Jaccard similarity (intersection over union) of predicted and true label sets. */
import type { AveragedScore, LabelsLike } from "../input";
import { toWeights } from "../input";
import { checkTargets } from "../labels";
import { average as mean, sum } from "../math";
import { labelCounts } from "./label-counts";
import { type PrfOptions, checkAverage, checkZeroDivision, setWiseLabels } from "./precision-recall-f";

/**
 * Jaccard index tp / (tp + fp + fn) per label or averaged (sklearn's `jaccard_score`);
 * same options as precision/recall (average defaults to "binary").
 */
export function jaccardScore<O extends PrfOptions = PrfOptions>(yTrue: LabelsLike, yPred: LabelsLike, options?: O): AveragedScore<O>;
export function jaccardScore(yTrue: LabelsLike, yPred: LabelsLike, options: PrfOptions = {}): number | number[] {
  const zero = options.zeroDivision ?? "warn";
  checkZeroDivision(zero);
  const average = options.average === undefined ? "binary" : options.average;
  checkAverage(average);
  const t = checkTargets(yTrue, yPred);
  const weight = toWeights(options.sampleWeight as ArrayLike<number> | undefined, t.n);
  const labels = setWiseLabels(t, average, options.labels, options.posLabel);
  const c = labelCounts(t, labels, weight, average === "samples");
  let num: ArrayLike<number> = c.tp;
  let den: ArrayLike<number> = c.tp.map((tp, i) => c.predSum[i] + c.trueSum[i] - tp);
  if (average === "micro") {
    num = [sum(num)];
    den = [sum(den)];
  }
  const z = zero === 1 ? 1 : 0;
  const jac = Array.from(num, (v, i) => (den[i] === 0 ? z : v / den[i]));
  if (average === null) return jac;
  let weights: ArrayLike<number> | undefined;
  if (average === "weighted") {
    weights = c.trueSum;
    if (!Array.from(weights).some((w) => w !== 0)) weights = undefined;
  } else if (average === "samples" && weight) weights = weight;
  return mean(jac, weights, "sampleWeight");
}
