/** Hamming loss: the fraction of labels predicted wrong. */
import type { LabelsLike, TensorLike } from "../input";
import { toWeights } from "../input";
import { checkTargets, encodeColumn } from "../labels";
import { sum } from "../math";

/**
 * Fraction of wrong labels (sklearn's `hamming_loss`): for single-label targets 1 − accuracy;
 * for multilabel indicators the fraction of wrong entries.
 */
export function hammingLoss(yTrue: LabelsLike, yPred: LabelsLike, options: { sampleWeight?: ArrayLike<number> | TensorLike } = {}): number {
  const t = checkTargets(yTrue, yPred);
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, t.n);
  const wrong = new Float64Array(t.n);
  if (t.type === "multilabel-indicator") {
    const k = t.trueM.cols;
    for (let i = 0; i < t.n; i++) {
      let d = 0;
      for (let j = 0; j < k; j++) if (t.trueM.data[i * k + j] !== t.predM.data[i * k + j]) d++;
      wrong[i] = w ? d * w[i] : d;
    }
    const weightAverage = w ? sum(w) / w.length : 1;
    return sum(wrong) / (t.n * k * weightAverage);
  }
  const a = encodeColumn(t.trueCol, t.present);
  const b = encodeColumn(t.predCol, t.present);
  for (let i = 0; i < t.n; i++) wrong[i] = a[i] !== b[i] ? (w ? w[i] : 1) : 0;
  return w ? sum(wrong) / sum(w) : sum(wrong) / t.n;
}
