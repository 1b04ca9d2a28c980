/** Mean error metrics of regression: MSE, RMSE, MAE, MAPE. */
import type { NumbersLike } from "../input";
import { type RegressionOptions, combineOutputs, perOutput, regressionTargets } from "./regression-targets";

type Out<O> = O extends { multioutput: "raw_values" } ? number[] : number;

/**
 * Mean squared error (sklearn's `mean_squared_error`); `squared: false` gives the root (RMSE).
 * n×k targets give the average over outputs unless `multioutput` says otherwise.
 */
export function meanSquaredError<O extends RegressionOptions & { squared?: boolean }>(yTrue: NumbersLike, yPred: NumbersLike, options?: O): Out<O> {
  const t = regressionTargets(yTrue, yPred, options ?? {});
  let e = perOutput(t, (a, b) => (a - b) * (a - b));
  if (options?.squared === false) e = e.map(Math.sqrt);
  return combineOutputs(e, t.multioutput) as Out<O>;
}

/** Root mean squared error: √MSE per output, then averaged over outputs. */
export function rootMeanSquaredError<O extends RegressionOptions>(yTrue: NumbersLike, yPred: NumbersLike, options?: O): Out<O> {
  return meanSquaredError(yTrue, yPred, { ...options, squared: false }) as Out<O>;
}

/** Mean absolute error (sklearn's `mean_absolute_error`). */
export function meanAbsoluteError<O extends RegressionOptions>(yTrue: NumbersLike, yPred: NumbersLike, options?: O): Out<O> {
  const t = regressionTargets(yTrue, yPred, options ?? {});
  return combineOutputs(perOutput(t, (a, b) => Math.abs(b - a)), t.multioutput) as Out<O>;
}

/**
 * Mean absolute percentage error |y − ŷ| / max(|y|, ε) as a fraction, not percent
 * (sklearn's `mean_absolute_percentage_error`).
 */
export function meanAbsolutePercentageError<O extends RegressionOptions>(yTrue: NumbersLike, yPred: NumbersLike, options?: O): Out<O> {
  const t = regressionTargets(yTrue, yPred, options ?? {});
  return combineOutputs(perOutput(t, (a, b) => Math.abs(b - a) / Math.max(Math.abs(a), Number.EPSILON)), t.multioutput) as Out<O>;
}
