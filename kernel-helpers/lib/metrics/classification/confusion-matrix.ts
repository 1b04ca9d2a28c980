/** The confusion matrix: rows are true labels, columns predicted labels. */
import type { Label, LabelsLike, TensorLike } from "../input";
import { toWeights } from "../input";
import { checkTargets, encodeColumn } from "../labels";

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** Labels for the rows/columns, in this order (default: all labels, sorted). */
  labels?: readonly Label[];
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Divide by row sums ("true"), column sums ("pred") or the total ("all"); 0/0 becomes 0. */
  normalize?: "true" | "pred" | "all" | null;
}

/** A confusion matrix with the labels of its rows and columns. */
export interface LabeledConfusionMatrix {
  labels: Label[];
  matrix: number[][];
}

/**
 * Confusion matrix C where C[i][j] counts samples of true label i predicted as j
 * (sklearn's `confusion_matrix`). Samples whose labels are not in `labels` are ignored.
 */
export function confusionMatrix(yTrue: LabelsLike, yPred: LabelsLike, options: ConfusionMatrixOptions = {}): number[][] {
  return labeledConfusionMatrix(yTrue, yPred, options).matrix;
}

/** {@link confusionMatrix} together with the labels of its rows/columns. */
export function labeledConfusionMatrix(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: ConfusionMatrixOptions = {},
): LabeledConfusionMatrix {
  const t = checkTargets(yTrue, yPred);
  if (t.type === "multilabel-indicator") throw new Error("yTrue: multilabel-indicator is not supported");
  const normalize = options.normalize ?? null;
  if (normalize !== null && normalize !== "true" && normalize !== "pred" && normalize !== "all")
    throw new Error(`normalize: must be one of 'true', 'pred', 'all' or null, got ${JSON.stringify(normalize)}`);
  const weight = toWeights(options.sampleWeight as ArrayLike<number> | undefined, t.n);
  let labels: Label[];
  if (options.labels === undefined) {
    labels = t.present;
  } else {
    labels = [...options.labels];
    if (labels.length === 0) throw new Error("labels: should contain at least one label");
    if (t.n === 0) return { labels, matrix: labels.map(() => labels.map(() => 0)) };
  }
  const k = labels.length;
  const a = encodeColumn(t.trueCol, labels);
  const b = encodeColumn(t.predCol, labels);
  if (options.labels !== undefined && !a.some((v) => v >= 0))
    throw new Error("labels: at least one label specified must be in yTrue");
  const flat = new Float64Array(k * k);
  if (weight) {
    for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) flat[a[i] * k + b[i]] += weight[i];
  } else {
    const counts = new Int32Array(k * k);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if ((x | y) >= 0) counts[x * k + y]++;
    }
    for (let i = 0; i < counts.length; i++) flat[i] = counts[i];
  }
  const matrix: number[][] = [];
  for (let i = 0; i < k; i++) matrix.push(Array.from(flat.subarray(i * k, (i + 1) * k)));
  if (normalize) normalizeInPlace(matrix, normalize);
  return { labels, matrix };
}

function normalizeInPlace(m: number[][], how: "true" | "pred" | "all"): void {
  const k = m.length;
  const rows = m.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = m[0]?.map((_, j) => m.reduce((s, r) => s + r[j], 0)) ?? [];
  const all = rows.reduce((s, v) => s + v, 0);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const den = how === "true" ? rows[i] : how === "pred" ? cols[j] : all;
      const v = m[i][j] / den;
      m[i][j] = Number.isFinite(v) ? v : 0;
    }
}
