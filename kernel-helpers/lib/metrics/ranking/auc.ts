/** Area under a curve by the trapezoidal rule. */
import type { NumbersLike } from "../input";
import { toVector } from "../input";

/**
 * Area under the curve through points (x, y), trapezoidal rule (sklearn's `auc`).
 * x must be monotonic (increasing or decreasing).
 */
export function auc(x: NumbersLike, y: NumbersLike): number {
  const xs = toVector(x, "x");
  const ys = toVector(y, "y");
  if (xs.length !== ys.length) throw new Error(`x, y: found input variables with inconsistent numbers of samples: [${xs.length}, ${ys.length}]`);
  if (xs.length < 2) throw new Error(`x: at least 2 points are needed to compute area under curve, but x has ${xs.length}`);
  let direction = 1;
  let anyNeg = false;
  let allNonPos = true;
  for (let i = 1; i < xs.length; i++) {
    const d = xs[i] - xs[i - 1];
    if (d < 0) anyNeg = true;
    if (d > 0) allNonPos = false;
  }
  if (anyNeg) {
    if (allNonPos) direction = -1;
    else throw new Error("x: is neither increasing nor decreasing");
  }
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
  return direction * area;
}
