/** Shared input handling of the regression metrics: 1-D or n×k targets and `multioutput`. */
import type { NumbersLike, TensorLike } from "../input";
import { type Matrix, toMatrix, toWeights } from "../input";
import { average } from "../math";

/** How outputs of a multi-output regression are combined (sklearn's `multioutput`). */
export type Multioutput = "raw_values" | "uniform_average" | "variance_weighted" | readonly number[];

/** Options shared by the regression metrics. */
export interface RegressionOptions {
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** For n×k targets: "uniform_average" (default), "raw_values" (one score per output) or weights. */
  multioutput?: Multioutput;
}

/** Checked targets of a regression metric. */
export interface RegressionTargets {
  yTrue: Matrix;
  yPred: Matrix;
  weight: Float64Array | undefined;
  multioutput: Multioutput;
}

/** sklearn's `_check_reg_targets` plus the sample-weight check. */
export function regressionTargets(yTrue: NumbersLike, yPred: NumbersLike, options: RegressionOptions, allowVarianceWeighted = false): RegressionTargets {
  const t = toMatrix(yTrue, "yTrue");
  const p = toMatrix(yPred, "yPred");
  if (t.rows !== p.rows) throw new Error(`yTrue, yPred: found input variables with inconsistent numbers of samples: [${t.rows}, ${p.rows}]`);
  if (t.cols !== p.cols) throw new Error(`yTrue, yPred: have different number of output (${t.cols}!=${p.cols})`);
  for (const m of [t, p]) for (const v of m.data) if (!Number.isFinite(v)) throw new Error(`${m === t ? "yTrue" : "yPred"}: input contains NaN or infinity`);
  const multioutput = options.multioutput ?? "uniform_average";
  if (typeof multioutput === "string") {
    const allowed = allowVarianceWeighted ? ["raw_values", "uniform_average", "variance_weighted"] : ["raw_values", "uniform_average"];
    if (!allowed.includes(multioutput))
      throw new Error(`multioutput: allowed string values are ${JSON.stringify(allowed)}, got ${JSON.stringify(multioutput)}`);
  } else {
    if (t.cols === 1) throw new Error("multioutput: custom weights are useful only in multi-output cases");
    if (multioutput.length !== t.cols)
      throw new Error(`multioutput: there must be equally many custom weights (${multioutput.length}) as outputs (${t.cols})`);
  }
  return { yTrue: t, yPred: p, weight: toWeights(options.sampleWeight as ArrayLike<number> | undefined, t.rows), multioutput };
}

/** Weighted mean over samples of f(true, pred) per output column. */
export function perOutput(t: RegressionTargets, f: (yt: number, yp: number) => number): Float64Array {
  const { yTrue, yPred, weight } = t;
  const out = new Float64Array(yTrue.cols);
  const col = new Float64Array(yTrue.rows);
  for (let j = 0; j < yTrue.cols; j++) {
    for (let i = 0; i < yTrue.rows; i++) col[i] = f(yTrue.data[i * yTrue.cols + j], yPred.data[i * yTrue.cols + j]);
    out[j] = average(col, weight, "sampleWeight");
  }
  return out;
}

/** Combines per-output errors as `multioutput` says. */
export function combineOutputs(errors: Float64Array, multioutput: Multioutput): number | number[] {
  if (multioutput === "raw_values") return [...errors];
  if (multioutput === "uniform_average") return average(errors);
  if (typeof multioutput === "string") throw new Error(`multioutput: ${multioutput} is not supported here`);
  return average(errors, multioutput, "multioutput");
}
