/** Coefficient of determination (R²) and explained variance. */
import type { NumbersLike } from "../input";
import { average } from "../math";
import { type RegressionOptions, type RegressionTargets, regressionTargets } from "./regression-targets";

/** Options of {@link r2Score} and {@link explainedVarianceScore}. */
export interface R2Options extends RegressionOptions {
  /** Replace NaN / −Inf from constant yTrue with 1 (perfect) or 0 (default true). */
  forceFinite?: boolean;
}

type Out<O> = O extends { multioutput: "raw_values" } ? number[] : number;

function assemble(num: Float64Array, den: Float64Array, t: RegressionTargets, forceFinite: boolean): number | number[] {
  const k = num.length;
  const scores = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    if (!forceFinite) scores[j] = 1 - num[j] / den[j];
    else if (den[j] !== 0 && num[j] !== 0) scores[j] = 1 - num[j] / den[j];
    else if (num[j] !== 0 && den[j] === 0) scores[j] = 0;
    else scores[j] = 1;
  }
  const m = t.multioutput;
  if (m === "raw_values") return [...scores];
  if (m === "uniform_average") return average(scores);
  if (m === "variance_weighted") return den.some((d) => d !== 0) ? average(scores, den) : average(scores);
  return average(scores, m, "multioutput");
}

function columnMean(t: RegressionTargets, f: (i: number, j: number) => number, j: number): number {
  const col = new Float64Array(t.yTrue.rows);
  for (let i = 0; i < col.length; i++) col[i] = f(i, j);
  return average(col, t.weight, "sampleWeight");
}

/**
 * R² = 1 − SS_res / SS_tot (sklearn's `r2_score`), NaN with fewer than two samples.
 * `multioutput` may be "raw_values", "uniform_average" (default), "variance_weighted" or weights.
 */
export function r2Score<O extends R2Options>(yTrue: NumbersLike, yPred: NumbersLike, options?: O): Out<O> {
  const t = regressionTargets(yTrue, yPred, options ?? {}, true);
  if (t.yTrue.rows < 2) return NaN as Out<O>;
  const { yTrue: T, yPred: P, weight } = t;
  const k = T.cols;
  const num = new Float64Array(k);
  const den = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const mu = columnMean(t, (i, c) => T.data[i * k + c], j);
    let a = 0;
    let b = 0;
    for (let i = 0; i < T.rows; i++) {
      const w = weight ? weight[i] : 1;
      const yt = T.data[i * k + j];
      a += w * (yt - P.data[i * k + j]) ** 2;
      b += w * (yt - mu) ** 2;
    }
    num[j] = a;
    den[j] = b;
  }
  return assemble(num, den, t, options?.forceFinite ?? true) as Out<O>;
}

/** Explained variance 1 − Var(y − ŷ) / Var(y) (sklearn's `explained_variance_score`). */
export function explainedVarianceScore<O extends R2Options>(yTrue: NumbersLike, yPred: NumbersLike, options?: O): Out<O> {
  const t = regressionTargets(yTrue, yPred, options ?? {}, true);
  const { yTrue: T, yPred: P } = t;
  const k = T.cols;
  const num = new Float64Array(k);
  const den = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const diffMean = columnMean(t, (i, c) => T.data[i * k + c] - P.data[i * k + c], j);
    num[j] = columnMean(t, (i, c) => (T.data[i * k + c] - P.data[i * k + c] - diffMean) ** 2, j);
    const mu = columnMean(t, (i, c) => T.data[i * k + c], j);
    den[j] = columnMean(t, (i, c) => (T.data[i * k + c] - mu) ** 2, j);
  }
  return assemble(num, den, t, options?.forceFinite ?? true) as Out<O>;
}
