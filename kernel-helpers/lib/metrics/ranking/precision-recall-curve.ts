/** The precision-recall curve and average precision. */
import type { Label, LabelsLike, NumbersLike, TensorLike } from "../input";
import { toLabelColumn, toVector, toWeights } from "../input";
import { binaryClfCurve } from "./binary-clf-curve";

/** Options of {@link precisionRecallCurve}. */
export interface PrecisionRecallCurveOptions {
  posLabel?: Label;
  sampleWeight?: ArrayLike<number> | TensorLike;
}

/**
 * precision[i], recall[i] at score >= thresholds[i] (thresholds increasing); the last point
 * is precision 1, recall 0 with no threshold.
 */
export interface PrecisionRecallCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** Precision-recall pairs for every score threshold of a binary problem (sklearn's `precision_recall_curve`). */
export function precisionRecallCurve(
  yTrue: LabelsLike,
  probasPred: NumbersLike,
  options: PrecisionRecallCurveOptions = {},
): PrecisionRecallCurve {
  const col = toLabelColumn(yTrue, "yTrue");
  const score = toVector(probasPred, "probasPred");
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, col.data.length);
  return curveFrom(binaryClfCurve(col, score, options.posLabel, w));
}

/** Builds the curve from cumulative counts. */
export function curveFrom(c: { fps: Float64Array; tps: Float64Array; thresholds: Float64Array }): PrecisionRecallCurve {
  const n = c.tps.length;
  const lastT = n ? c.tps[n - 1] : 0;
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const ps = c.tps[i] + c.fps[i];
    precision.push(ps !== 0 ? c.tps[i] / ps : 0);
    recall.push(lastT === 0 ? 1 : c.tps[i] / lastT);
    thresholds.push(c.thresholds[i]);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}
