/** Accuracy (subset accuracy for multilabel), zero-one loss and balanced accuracy. */
import type { LabelsLike, TensorLike } from "../input";
import { toWeights } from "../input";
import { checkTargets, encodeColumn } from "../labels";
import { sum } from "../math";
import { confusionMatrix } from "./confusion-matrix";

/** Options of {@link accuracyScore}. */
export interface AccuracyOptions {
  /** Fraction of correct samples (default true); false gives the (weighted) count. */
  normalize?: boolean;
  sampleWeight?: ArrayLike<number> | TensorLike;
}

/** Per-sample correctness (1 = exactly right, all labels for multilabel) and the weights. */
function hits(yTrue: LabelsLike, yPred: LabelsLike, sampleWeight: AccuracyOptions["sampleWeight"]) {
  const t = checkTargets(yTrue, yPred);
  const w = toWeights(sampleWeight as ArrayLike<number> | undefined, t.n);
  const ok = new Float64Array(t.n);
  if (t.type === "multilabel-indicator") {
    const c = t.trueM.cols;
    for (let i = 0; i < t.n; i++) {
      let same = 1;
      for (let j = 0; j < c; j++) if (t.trueM.data[i * c + j] !== t.predM.data[i * c + j]) same = 0;
      ok[i] = same;
    }
  } else {
    const a = encodeColumn(t.trueCol, t.present);
    const b = encodeColumn(t.predCol, t.present);
    for (let i = 0; i < t.n; i++) ok[i] = a[i] === b[i] ? 1 : 0;
  }
  return { ok, w };
}

function weightedSum(ok: Float64Array, w: Float64Array | undefined, normalize: boolean): number {
  if (!w) return normalize ? sum(ok) / ok.length : sum(ok);
  const p = ok.map((v, i) => v * w[i]);
  if (!normalize) return sum(p);
  const ws = sum(w);
  if (ws === 0) throw new Error("sampleWeight: weights sum to zero, can't be normalized");
  return sum(p) / ws;
}

/** Fraction (or count) of samples predicted exactly right (sklearn's `accuracy_score`). */
export function accuracyScore(yTrue: LabelsLike, yPred: LabelsLike, options: AccuracyOptions = {}): number {
  const { ok, w } = hits(yTrue, yPred, options.sampleWeight);
  return weightedSum(ok, w, options.normalize ?? true);
}

/** Fraction (or count) of samples predicted wrong: 1 − accuracy (sklearn's `zero_one_loss`). */
export function zeroOneLoss(yTrue: LabelsLike, yPred: LabelsLike, options: AccuracyOptions = {}): number {
  const normalize = options.normalize ?? true;
  const score = accuracyScore(yTrue, yPred, options);
  if (normalize) return 1 - score;
  const { ok, w } = hits(yTrue, yPred, options.sampleWeight);
  const n = w ? sum(w) : ok.length;
  return n - score;
}

/** Options of {@link balancedAccuracyScore}. */
export interface BalancedAccuracyOptions {
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Rescale so that chance scores 0 and perfect scores 1 (default false). */
  adjusted?: boolean;
}

/**
 * Mean recall over the classes present in yTrue (sklearn's `balanced_accuracy_score`);
 * classes only predicted are left out.
 */
export function balancedAccuracyScore(yTrue: LabelsLike, yPred: LabelsLike, options: BalancedAccuracyOptions = {}): number {
  const cm = confusionMatrix(yTrue, yPred, { sampleWeight: options.sampleWeight });
  const perClass: number[] = [];
  for (let i = 0; i < cm.length; i++) {
    const rowSum = sum(cm[i]);
    if (rowSum !== 0) perClass.push(cm[i][i] / rowSum);
  }
  let score = sum(perClass) / perClass.length;
  if (options.adjusted) {
    const chance = 1 / perClass.length;
    score = (score - chance) / (1 - chance);
  }
  return score;
}
