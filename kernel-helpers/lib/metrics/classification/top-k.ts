/** Top-k accuracy: how often the true class is among the k highest scores. */
import type { Label, LabelsLike, NumbersLike, TensorLike } from "../input";
import { toLabelColumn, toMatrix, toWeights } from "../input";
import { columnType, compareLabels, encodeColumn, pyList, uniqueLabels } from "../labels";
import { sum } from "../math";

/** Options of {@link topKAccuracyScore}. */
export interface TopKOptions {
  /** How many of the highest scores count as a hit (default 2). */
  k?: number;
  /** Fraction (default true) or weighted count of hits. */
  normalize?: boolean;
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** All class labels in score-column order, when yTrue lacks some classes. */
  labels?: readonly Label[];
}

/**
 * Fraction of samples whose true label is among the k highest-scored classes
 * (sklearn's `top_k_accuracy_score`). Ties between scores favour the higher column index, as sklearn's.
 */
export function topKAccuracyScore(yTrue: LabelsLike, yScore: NumbersLike, options: TopKOptions = {}): number {
  const k = options.k ?? 2;
  const col = toLabelColumn(yTrue, "yTrue");
  let type = columnType(col);
  if (type === "binary" && options.labels && options.labels.length > 2) type = "multiclass";
  if (type !== "binary" && type !== "multiclass") throw new Error(`yTrue: type must be 'binary' or 'multiclass', got '${type}' instead.`);
  const S = toMatrix(yScore, "yScore");
  if (type === "binary" && S.cols !== 1)
    throw new Error(
      `yScore: yTrue is binary while yScore is 2d with ${S.cols} classes. If yTrue does not contain all the labels, labels must be provided.`,
    );
  if (S.rows !== col.data.length)
    throw new Error(`yTrue, yScore: found input variables with inconsistent numbers of samples: [${col.data.length}, ${S.rows}]`);
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, S.rows);
  const nScoreClasses = S.cols === 1 ? 2 : S.cols;
  let classes: Label[];
  if (!options.labels) {
    classes = uniqueLabels([col]);
    if (classes.length !== nScoreClasses)
      throw new Error(
        `yTrue, yScore: number of classes in yTrue (${classes.length}) not equal to the number of classes in yScore (${nScoreClasses}). You can provide a list of all known classes by assigning it to the labels option.`,
      );
  } else {
    classes = [...options.labels];
    const sorted = uniqueLabels([toLabelColumn(classes, "labels")]);
    if (sorted.length !== classes.length) throw new Error("labels: must be unique.");
    if (sorted.some((l, i) => compareLabels(l, classes[i]) !== 0)) throw new Error("labels: must be ordered.");
    if (classes.length !== nScoreClasses)
      throw new Error(`labels: number of given labels (${classes.length}) not equal to the number of classes in yScore (${nScoreClasses}).`);
  }
  const codes = encodeColumn(col, classes);
  for (let i = 0; i < codes.length; i++)
    if (codes[i] < 0) throw new Error(`yTrue: contains labels not in labels ${pyList(classes)}.`);
  const hits = new Float64Array(S.rows);
  if (type === "binary") {
    if (k === 1) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of S.data) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const threshold = min >= 0 && max <= 1 ? 0.5 : 0;
      for (let i = 0; i < S.rows; i++) hits[i] = (S.data[i] > threshold ? 1 : 0) === codes[i] ? 1 : 0;
    } else hits.fill(1);
  } else {
    const c = S.cols;
    for (let i = 0; i < S.rows; i++) {
      // Rank of the true class: classes with a higher score, or an equal score and a higher
      // index (a stable ascending sort reversed puts later columns first among ties).
      const t = codes[i];
      const st = S.data[i * c + t];
      let above = 0;
      for (let j = 0; j < c; j++) {
        const v = S.data[i * c + j];
        if (v > st || (v === st && j > t)) above++;
      }
      hits[i] = above < k ? 1 : 0;
    }
  }
  if (options.normalize ?? true) {
    if (!w) return sum(hits) / hits.length;
    return sum(hits.map((h, i) => h * w[i])) / sum(w);
  }
  return w ? sum(hits.map((h, i) => h * w[i])) : sum(hits);
}
