/** Small numeric helpers shared by the metrics (weighted means, sums, stable cumulative sums). */

/**
 * Sum in numpy's order (pairwise summation with 8 accumulators over blocks of up to 128),
 * so sums and means round exactly as numpy's do (which decides ties in printed reports).
 */
export function sum(x: ArrayLike<number>): number {
  return pairwise(x, 0, x.length);
}

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const j = start + i;
      r0 += a[j];
      r1 += a[j + 1];
      r2 += a[j + 2];
      r3 += a[j + 3];
      r4 += a[j + 4];
      r5 += a[j + 5];
      r6 += a[j + 6];
      r7 += a[j + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/** numpy.average: the mean, or the weighted mean when weights are given. */
export function average(x: ArrayLike<number>, weights?: ArrayLike<number>, name = "weights"): number {
  if (!weights) return sum(x) / x.length;
  if (weights.length !== x.length) throw new Error(`${name}: length ${weights.length} differs from the values' length ${x.length}`);
  const ws = sum(weights);
  if (ws === 0) throw new Error(`${name}: weights sum to zero, can't be normalized`);
  const p = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) p[i] = x[i] * weights[i];
  return sum(p) / ws;
}
