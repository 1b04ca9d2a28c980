/**
 * Thinning a curve for display: ROC and precision-recall curves have one point per distinct
 * score, which on large test sets makes megabytes of JSON that no screen can show. Points are
 * kept when they move at least 1/maxPoints of the axis range (either axis) from the last kept
 * point, plus both ends and every point just before a kept one (so steps stay steps), so the
 * drawn line is within 1/maxPoints of the full curve. Areas are computed on the full curve.
 */

/** Default number of points a drawn curve keeps at most (roughly; see {@link thinCurve}). */
export const MAX_CURVE_POINTS = 500;

/** Indices of the points to keep of the curve (x[i], y[i]). */
export function thinCurveIndices(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = MAX_CURVE_POINTS): number[] {
  const n = x.length;
  if (n <= maxPoints || maxPoints < 2) return Array.from({ length: n }, (_, i) => i);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i])) {
      x0 = Math.min(x0, x[i]);
      x1 = Math.max(x1, x[i]);
    }
    if (Number.isFinite(y[i])) {
      y0 = Math.min(y0, y[i]);
      y1 = Math.max(y1, y[i]);
    }
  }
  const dx = (x1 - x0) / maxPoints || Infinity;
  const dy = (y1 - y0) / maxPoints || Infinity;
  const keep: number[] = [0];
  let last = 0;
  for (let i = 1; i < n - 1; i++) {
    const far = Math.abs(x[i] - x[last]) >= dx || Math.abs(y[i] - y[last]) >= dy || !Number.isFinite(x[i]) || !Number.isFinite(y[i]);
    if (!far) continue;
    if (keep[keep.length - 1] !== i - 1) keep.push(i - 1);
    keep.push(i);
    last = i;
  }
  if (keep[keep.length - 1] !== n - 2 && n >= 2 && keep[keep.length - 1] !== n - 1) keep.push(n - 2);
  keep.push(n - 1);
  return keep;
}

/** The thinned curve as two arrays. */
export function thinCurve(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = MAX_CURVE_POINTS): { x: number[]; y: number[] } {
  const idx = thinCurveIndices(x, y, maxPoints);
  return { x: idx.map((i) => x[i]), y: idx.map((i) => y[i]) };
}
