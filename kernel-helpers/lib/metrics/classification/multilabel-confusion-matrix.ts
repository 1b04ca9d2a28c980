/** One 2×2 confusion matrix per label (or per sample): [[tn, fp], [fn, tp]]. */
import type { Label, LabelsLike, TensorLike } from "../input";
import { toWeights } from "../input";
import { checkTargets } from "../labels";
import { sum } from "../math";
import { labelCounts } from "./label-counts";

/**
 * Per-label one-vs-rest confusion matrices `[[tn, fp], [fn, tp]]` (sklearn's
 * `multilabel_confusion_matrix`); `samplewise` (multilabel only) gives one per sample.
 */
export function multilabelConfusionMatrix(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: { sampleWeight?: ArrayLike<number> | TensorLike; labels?: readonly Label[]; samplewise?: boolean } = {},
): number[][][] {
  const t = checkTargets(yTrue, yPred);
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, t.n);
  const c = labelCounts(t, options.labels, w, options.samplewise ?? false);
  const nLabels = t.type === "multilabel-indicator" ? t.trueM.cols : 0;
  return Array.from(c.tp, (tp, i) => {
    const fp = c.predSum[i] - tp;
    const fn = c.trueSum[i] - tp;
    const total = options.samplewise ? (w ? w[i] * nLabels : nLabels) : w ? sum(w) : t.n;
    const sw = options.samplewise && w ? w[i] : 1;
    return [
      [total - tp * sw - fp * sw - fn * sw, fp * sw],
      [fn * sw, tp * sw],
    ];
  });
}
