/** Reliability of predicted probabilities: sklearn's `calibration_curve`. */
import type { Label, LabelsLike, NumbersLike } from "../input";
import { toLabelColumn, toVector } from "../input";
import { encodeColumn, pyList, uniqueLabels } from "../labels";
import { defaultPosLabel } from "./probabilistic";

/** Options of {@link calibrationCurve}. */
export interface CalibrationCurveOptions {
  /** Number of bins (default 5, as sklearn). */
  nBins?: number;
  /** "uniform": equal-width bins on [0, 1] (default); "quantile": equally populated bins. */
  strategy?: "uniform" | "quantile";
  /** The positive class (default 1 for {0,1} / {-1,1} labels; required for other labels). */
  posLabel?: Label;
}

/** Per non-empty bin: the observed fraction of positives and the mean predicted probability. */
export interface CalibrationCurve {
  probTrue: Float64Array;
  probPred: Float64Array;
  /** Samples in each returned bin. */
  counts: Float64Array;
}

/** numpy's default (linear) percentile of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Bins predictions by probability and compares, per bin, the mean prediction with the observed
 * positive rate — the points of a reliability diagram. Identical to scikit-learn 1.2's
 * `calibration_curve` (empty bins are dropped; a probability on an inner edge goes to the lower bin).
 */
export function calibrationCurve(yTrue: LabelsLike, yProb: NumbersLike, options: CalibrationCurveOptions = {}): CalibrationCurve {
  const col = toLabelColumn(yTrue, "yTrue");
  const p = toVector(yProb, "yProb");
  if (p.length !== col.data.length)
    throw new Error(`yTrue, yProb: found input variables with inconsistent numbers of samples: [${col.data.length}, ${p.length}]`);
  const nBins = options.nBins ?? 5;
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error(`nBins: must be a positive integer, got ${nBins}`);
  const strategy = options.strategy ?? "uniform";
  if (strategy !== "uniform" && strategy !== "quantile")
    throw new Error(`strategy: must be either 'quantile' or 'uniform', got ${JSON.stringify(strategy)}`);
  let min = Infinity;
  let max = -Infinity;
  for (const v of p) {
    if (Number.isNaN(v)) throw new Error("yProb: contains NaN");
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min < 0 || max > 1) throw new Error("yProb: has values outside [0, 1].");
  const classes = uniqueLabels([col]);
  if (classes.length > 2) throw new Error(`yTrue: only binary classification is supported. Provided labels ${pyList(classes)}.`);
  let pos = options.posLabel;
  if (pos === undefined) {
    pos = defaultPosLabel(classes, "yTrue");
    if (pos === undefined)
      throw new Error(
        `posLabel: yTrue takes value in ${pyList(classes)} and posLabel is not specified: either make yTrue take value in {0, 1} or {-1, 1} or pass posLabel explicitly.`,
      );
  }
  const isPos = encodeColumn(col, [pos]);
  let edges: Float64Array;
  if (strategy === "uniform") edges = Float64Array.from({ length: nBins + 1 }, (_, i) => i / nBins);
  else {
    const sorted = Float64Array.from(p).sort();
    edges = Float64Array.from({ length: nBins + 1 }, (_, i) => percentile(sorted, (i / nBins) * 100));
  }
  const inner = edges.subarray(1, nBins);
  const sums = new Float64Array(nBins + 1);
  const trues = new Float64Array(nBins + 1);
  const totals = new Float64Array(nBins + 1);
  for (let i = 0; i < p.length; i++) {
    // numpy.searchsorted(inner, p, side="left"): the number of inner edges strictly below p.
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid] < p[i]) lo = mid + 1;
      else hi = mid;
    }
    sums[lo] += p[i];
    if (isPos[i] === 0) trues[lo] += 1;
    totals[lo] += 1;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  const counts: number[] = [];
  for (let b = 0; b < totals.length; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(trues[b] / totals[b]);
    probPred.push(sums[b] / totals[b]);
    counts.push(totals[b]);
  }
  return { probTrue: Float64Array.from(probTrue), probPred: Float64Array.from(probPred), counts: Float64Array.from(counts) };
}
