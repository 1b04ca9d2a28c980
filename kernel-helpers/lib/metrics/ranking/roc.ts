/** The ROC curve: false and true positive rates at each score threshold. */
import type { Label, LabelsLike, NumbersLike, TensorLike } from "../input";
import { toLabelColumn, toVector, toWeights } from "../input";
import { binaryClfCurve } from "./binary-clf-curve";

/** Options of {@link rocCurve}. */
export interface RocCurveOptions {
  /** The positive class (needed unless labels are {0,1} or {-1,1}). */
  posLabel?: Label;
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Drop thresholds that are collinear points of the curve (default true). */
  dropIntermediate?: boolean;
}

/** fpr, tpr and the decreasing thresholds; thresholds[0] is max score + 1 (sklearn 1.2). */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/**
 * Receiver operating characteristic for a binary problem (sklearn's `roc_curve`).
 * @param yScore score or probability of the positive class per sample.
 */
export function rocCurve(yTrue: LabelsLike, yScore: NumbersLike, options: RocCurveOptions = {}): RocCurve {
  const col = toLabelColumn(yTrue, "yTrue");
  const score = toVector(yScore, "yScore");
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, col.data.length);
  let { fps, tps, thresholds } = binaryClfCurve(col, score, options.posLabel, w);
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      if (secondDiff(fps, i) !== 0 || secondDiff(tps, i) !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (i) => fps[i]);
    tps = Float64Array.from(keep, (i) => tps[i]);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]);
  }
  const fpsAll = [0, ...fps];
  const tpsAll = [0, ...tps];
  const th = [thresholds.length ? thresholds[0] + 1 : 1, ...thresholds];
  const lastF = fpsAll[fpsAll.length - 1];
  const lastT = tpsAll[tpsAll.length - 1];
  return {
    fpr: fpsAll.map((v) => (lastF <= 0 ? NaN : v / lastF)),
    tpr: tpsAll.map((v) => (lastT <= 0 ? NaN : v / lastT)),
    thresholds: th,
  };
}

/** numpy's diff(x, 2)[i - 1], computed the same way: (x[i+1] - x[i]) - (x[i] - x[i-1]). */
function secondDiff(x: Float64Array, i: number): number {
  return x[i + 1] - x[i] - (x[i] - x[i - 1]);
}
