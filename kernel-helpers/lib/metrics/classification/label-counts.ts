/**
 * Per-label true positives, predicted and true counts (weighted): the one pass every
 * set-wise classification metric (precision, recall, F, report) starts from.
 */
import type { Label } from "../input";
import { type ClassificationTargets, encodeColumn } from "../labels";

/** Weighted per-label counts. */
export interface LabelCounts {
  /** The labels the counts are for, in the order asked. */
  labels: Label[];
  tp: Float64Array;
  predSum: Float64Array;
  trueSum: Float64Array;
  /** Total weight of the samples (n without weights). */
  total: number;
}

/**
 * Counts per label (or per sample when `samplewise`, multilabel only). `labels` picks and orders
 * the labels reported; labels absent from the data count zero.
 */
export function labelCounts(
  t: ClassificationTargets,
  labels: readonly Label[] | undefined,
  weight: Float64Array | undefined,
  samplewise = false,
): LabelCounts {
  if (t.type === "multilabel-indicator") return multilabelCounts(t, labels, weight, samplewise);
  if (samplewise) throw new Error("average: samplewise metrics are not available outside of multilabel classification");
  const chosen = labels ? [...labels] : t.present;
  const k = chosen.length;
  const yt = encodeColumn(t.trueCol, chosen);
  const yp = encodeColumn(t.predCol, chosen);
  const tp = new Float64Array(k);
  const predSum = new Float64Array(k);
  const trueSum = new Float64Array(k);
  const n = yt.length;
  let total = n;
  if (weight) {
    total = 0;
    for (let i = 0; i < n; i++) {
      const w = weight[i];
      const a = yt[i];
      const b = yp[i];
      total += w;
      if (a >= 0) trueSum[a] += w;
      if (b >= 0) predSum[b] += w;
      if (a === b && a >= 0) tp[a] += w;
    }
  } else {
    // Integer counts in Int32Arrays: faster than float accumulation on large inputs.
    const ti = new Int32Array(k + 1);
    const pi = new Int32Array(k + 1);
    const tpi = new Int32Array(k + 1);
    for (let i = 0; i < n; i++) {
      const a = yt[i] + 1; // -1 (not asked) lands in slot 0
      const b = yp[i] + 1;
      ti[a]++;
      pi[b]++;
      if (a === b) tpi[a]++;
    }
    for (let j = 0; j < k; j++) {
      trueSum[j] = ti[j + 1];
      predSum[j] = pi[j + 1];
      tp[j] = tpi[j + 1];
    }
  }
  return { labels: chosen, tp, predSum, trueSum, total };
}

function multilabelCounts(
  t: Extract<ClassificationTargets, { type: "multilabel-indicator" }>,
  labels: readonly Label[] | undefined,
  weight: Float64Array | undefined,
  samplewise: boolean,
): LabelCounts {
  const { trueM, predM } = t;
  let cols: number[] = t.present;
  if (labels) {
    for (const l of labels) {
      if (typeof l !== "number" || !Number.isInteger(l))
        throw new Error(`labels: multilabel targets need integer column indices, got ${JSON.stringify(l)}`);
      if (l >= trueM.cols) throw new Error(`labels: all labels must be in [0, n labels) for multilabel targets. Got ${l} > ${trueM.cols - 1}`);
      if (l < 0) throw new Error(`labels: all labels must be in [0, n labels) for multilabel targets. Got ${l} < 0`);
    }
    cols = labels as number[];
  }
  const k = samplewise ? t.n : cols.length;
  const tp = new Float64Array(k);
  const predSum = new Float64Array(k);
  const trueSum = new Float64Array(k);
  let total = 0;
  const c = trueM.cols;
  for (let i = 0; i < t.n; i++) {
    const w = weight ? weight[i] : 1;
    total += w;
    for (let j = 0; j < cols.length; j++) {
      const a = trueM.data[i * c + cols[j]] !== 0;
      const b = predM.data[i * c + cols[j]] !== 0;
      const slot = samplewise ? i : j;
      const ww = samplewise ? 1 : w;
      if (a) trueSum[slot] += ww;
      if (b) predSum[slot] += ww;
      if (a && b) tp[slot] += ww;
    }
  }
  return { labels: samplewise ? [...Array(k).keys()] : cols, tp, predSum, trueSum, total };
}
