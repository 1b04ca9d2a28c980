/** Agreement measures built on the confusion matrix: Matthews correlation and Cohen's kappa. */
import type { Label, LabelsLike, TensorLike } from "../input";
import { confusionMatrix } from "./confusion-matrix";

/**
 * Matthews correlation coefficient, in [-1, 1] (sklearn's `matthews_corrcoef`), multiclass
 * through the R_K generalisation. 0 when a variance term is 0.
 */
export function matthewsCorrcoef(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: { sampleWeight?: ArrayLike<number> | TensorLike } = {},
): number {
  const C = confusionMatrix(yTrue, yPred, { sampleWeight: options.sampleWeight });
  const k = C.length;
  const t = new Float64Array(k);
  const p = new Float64Array(k);
  let correct = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      t[i] += C[i][j];
      p[j] += C[i][j];
      if (i === j) correct += C[i][j];
    }
  let n = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let i = 0; i < k; i++) {
    n += p[i];
    tp += t[i] * p[i];
    pp += p[i] * p[i];
    tt += t[i] * t[i];
  }
  const covTP = correct * n - tp;
  const covPP = n * n - pp;
  const covTT = n * n - tt;
  if (covPP * covTT === 0) return 0;
  return covTP / Math.sqrt(covTT * covPP);
}

/** Options of {@link cohenKappaScore}. */
export interface CohenKappaOptions {
  /** Labels to use (default: all labels in either rater). */
  labels?: readonly Label[];
  /** Disagreement weighting: none (default), "linear" or "quadratic". */
  weights?: "linear" | "quadratic" | null;
  sampleWeight?: ArrayLike<number> | TensorLike;
}

/** Cohen's kappa, agreement between two raters beyond chance (sklearn's `cohen_kappa_score`). */
export function cohenKappaScore(y1: LabelsLike, y2: LabelsLike, options: CohenKappaOptions = {}): number {
  const C = confusionMatrix(y1, y2, { labels: options.labels, sampleWeight: options.sampleWeight });
  const k = C.length;
  const w = options.weights ?? null;
  if (w !== null && w !== "linear" && w !== "quadratic")
    throw new Error(`weights: unknown kappa weighting type ${JSON.stringify(w)}; use "linear", "quadratic" or null`);
  const s0 = new Float64Array(k);
  const s1 = new Float64Array(k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      s0[j] += C[i][j];
      s1[i] += C[i][j];
    }
  let total = 0;
  for (let j = 0; j < k; j++) total += s0[j];
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const d = w === null ? (i === j ? 0 : 1) : w === "linear" ? Math.abs(i - j) : (i - j) * (i - j);
      observed += d * C[i][j];
      // sklearn's expected = outer(sum over axis 0, sum over axis 1) / total
      expected += (d * (s0[i] * s1[j])) / total;
    }
  return 1 - observed / expected;
}
