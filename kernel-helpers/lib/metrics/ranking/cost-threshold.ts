/**
 * Choosing a decision threshold by cost: when a false negative (a bad loan granted) costs more
 * than a false positive (a good applicant refused), the best cut-off is not 0.5.
 */
import type { Label, LabelsLike, NumbersLike, TensorLike } from "../input";
import { toLabelColumn, toVector, toWeights } from "../input";
import { binaryClfCurve } from "./binary-clf-curve";

/** Options of {@link costThreshold}. */
export interface CostThresholdOptions {
  /** Cost of predicting positive for a negative sample. */
  costFalsePositive: number;
  /** Cost of predicting negative for a positive sample. */
  costFalseNegative: number;
  /** The positive class (needed unless labels are {0,1} or {-1,1}). */
  posLabel?: Label;
  sampleWeight?: ArrayLike<number> | TensorLike;
}

/** The cost of every candidate threshold and the cheapest one. */
export interface CostThreshold {
  /** Predict positive when score ≥ threshold (Infinity: never predict positive). */
  threshold: number;
  /** Mean cost per sample at that threshold. */
  cost: number;
  /** Confusion counts at the chosen threshold (weighted when sample weights are given). */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Every candidate, highest threshold first (Infinity first), with its mean cost per sample. */
  thresholds: number[];
  costs: number[];
}

/**
 * Scans every distinct score as a cut-off (predict positive when score ≥ t) and returns the one
 * with the lowest expected cost `costFP·FP + costFN·FN`, averaged per sample. Ties go to the
 * higher threshold. Choose the threshold on validation data, then report it on held-out data.
 */
export function costThreshold(yTrue: LabelsLike, yScore: NumbersLike, options: CostThresholdOptions): CostThreshold {
  const { costFalsePositive: cfp, costFalseNegative: cfn } = options;
  for (const [name, v] of [["costFalsePositive", cfp], ["costFalseNegative", cfn]] as const)
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name}: must be a finite number ≥ 0, got ${v}`);
  const col = toLabelColumn(yTrue, "yTrue");
  const score = toVector(yScore, "yScore");
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, col.data.length);
  const curve = binaryClfCurve(col, score, options.posLabel, w);
  const last = curve.tps.length - 1;
  const positives = last >= 0 ? curve.tps[last] : 0;
  const negatives = last >= 0 ? curve.fps[last] : 0;
  const total = positives + negatives;
  const thresholds = [Infinity, ...curve.thresholds];
  const tps = [0, ...curve.tps];
  const fps = [0, ...curve.fps];
  const costs = tps.map((tp, i) => (cfp * fps[i] + cfn * (positives - tp)) / total);
  let best = 0;
  for (let i = 1; i < costs.length; i++) if (costs[i] < costs[best]) best = i;
  return {
    threshold: thresholds[best],
    cost: costs[best],
    tp: tps[best],
    fp: fps[best],
    fn: positives - tps[best],
    tn: negatives - fps[best],
    thresholds,
    costs,
  };
}
