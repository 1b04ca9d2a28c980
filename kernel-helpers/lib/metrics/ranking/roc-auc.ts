/** Area under the ROC curve: binary, multilabel, and multiclass one-vs-rest / one-vs-one. */
import type { AveragedScore, Label, LabelColumn, LabelsLike, Matrix, NumbersLike, TensorLike } from "../input";
import { toLabelColumn, toMatrix, toWeights } from "../input";
import { columnType, compareLabels, encodeColumn, isMultiColumn, matrixType, uniqueLabels } from "../labels";
import { average as mean } from "../math";
import { auc } from "./auc";
import { type RankingAverage, averageBinaryScore, checkRankingAverage } from "./average-binary";
import { rocCurve } from "./roc";

/** Options of {@link rocAucScore} (sklearn's keyword arguments). */
export interface RocAucOptions {
  /** Averaging over classes (default "macro"; null = per class). */
  average?: RankingAverage;
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Standardized partial AUC over fpr in [0, maxFpr] (binary only). */
  maxFpr?: number;
  /** Multiclass strategy: "ovr" (one-vs-rest) or "ovo" (one-vs-one); required for multiclass. */
  multiClass?: "raise" | "ovr" | "ovo";
  /** Class labels in score-column order (multiclass), when yTrue lacks some. */
  labels?: readonly Label[];
}

function binaryRocAuc(maxFpr: number | undefined) {
  return (yTrue: LabelColumn, score: Float64Array, weight: Float64Array | undefined): number => {
    if (uniqueLabels([yTrue]).length !== 2)
      throw new Error("yTrue: only one class present in yTrue. ROC AUC score is not defined in that case.");
    const { fpr, tpr } = rocCurve(yTrue.data as ArrayLike<number>, score, { sampleWeight: weight });
    if (maxFpr === undefined || maxFpr === 1) return auc(fpr, tpr);
    if (!(maxFpr > 0 && maxFpr <= 1)) throw new Error(`maxFpr: expected in range (0, 1], got ${maxFpr}`);
    let stop = 0;
    while (stop < fpr.length && fpr[stop] <= maxFpr) stop++;
    const x0 = fpr[stop - 1];
    const x1 = fpr[stop];
    const y0 = tpr[stop - 1];
    const y1 = tpr[stop];
    const yAt = x1 === x0 ? y1 : y0 + ((maxFpr - x0) * (y1 - y0)) / (x1 - x0);
    const partial = auc([...fpr.slice(0, stop), maxFpr], [...tpr.slice(0, stop), yAt]);
    const minArea = 0.5 * maxFpr * maxFpr;
    return 0.5 * (1 + (partial - minArea) / (maxFpr - minArea));
  };
}

/**
 * Area under the ROC curve (sklearn's `roc_auc_score`). Binary: yScore is the positive-class
 * score (an n×2 probability matrix is also accepted: column 1 is used). Multiclass: yScore is
 * n×k probabilities and `multiClass` must be "ovr" or "ovo". Multilabel: n×k indicators and scores.
 */
export function rocAucScore<O extends RocAucOptions = RocAucOptions>(yTrue: LabelsLike, yScore: NumbersLike, options?: O): AveragedScore<O>;
export function rocAucScore(yTrue: LabelsLike, yScore: NumbersLike, options: RocAucOptions = {}): number | number[] {
  const average = options.average === undefined ? "macro" : options.average;
  const S = toMatrix(yScore, "yScore");
  if (isMultiColumn(yTrue, "yTrue")) {
    const T = toMatrix(yTrue, "yTrue");
    const type = matrixType(T);
    if (type !== "multilabel-indicator") throw new Error(`yTrue: ${type} format is not supported`);
    const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, T.rows);
    return averageBinaryScore(binaryRocAuc(options.maxFpr), T, S, average, w);
  }
  const col = toLabelColumn(yTrue, "yTrue");
  if (col.data.length !== S.rows)
    throw new Error(`yTrue, yScore: found input variables with inconsistent numbers of samples: [${col.data.length}, ${S.rows}]`);
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, S.rows);
  const type = columnType(col);
  if (type === "multiclass" || (type === "binary" && S.cols > 2)) {
    if (options.maxFpr !== undefined && options.maxFpr !== 1)
      throw new Error(`maxFpr: partial AUC computation not available in multiclass setting, 'maxFpr' must be undefined, received maxFpr=${options.maxFpr}`);
    const mc = options.multiClass ?? "raise";
    if (mc === "raise") throw new Error("multiClass: must be 'ovo' or 'ovr' for multiclass targets");
    return multiclassRocAuc(col, S, options.labels, mc, average, w);
  }
  if (type !== "binary") throw new Error(`yTrue: ${type} format is not supported`);
  checkRankingAverage(average);
  if (S.cols > 2) throw new Error(`yScore: expected 1 or 2 columns for a binary target, got ${S.cols}`);
  const score = S.cols === 2 ? Float64Array.from({ length: S.rows }, (_, i) => S.data[i * 2 + 1]) : S.data;
  const classes = uniqueLabels([col]);
  const bin = encodeColumn(col, classes);
  // label_binarize for two classes: 1 for the greater label.
  const y = Float64Array.from(bin, (c) => (classes.length === 2 && c === 1 ? 1 : 0));
  if (classes.length < 2) throw new Error("yTrue: only one class present in yTrue. ROC AUC score is not defined in that case.");
  return binaryRocAuc(options.maxFpr)({ kind: "number", data: y }, score, w);
}

function allClose1(S: Matrix): boolean {
  for (let i = 0; i < S.rows; i++) {
    let s = 0;
    for (let j = 0; j < S.cols; j++) s += S.data[i * S.cols + j];
    if (Math.abs(s - 1) > 1e-8 + 1e-5) return false;
  }
  return true;
}

function multiclassRocAuc(
  col: LabelColumn,
  S: Matrix,
  labels: readonly Label[] | undefined,
  mc: "ovr" | "ovo",
  average: RankingAverage,
  w: Float64Array | undefined,
): number | number[] {
  if (!allClose1(S))
    throw new Error("yScore: target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes");
  const allowed = mc === "ovr" ? ["micro", "macro", "weighted", null] : ["macro", "weighted", null];
  if (!allowed.includes(average as never))
    throw new Error(`average: must be one of ${JSON.stringify(allowed)} for multiclass problems, got ${JSON.stringify(average)}`);
  if (average === null && mc === "ovo") throw new Error("average: null is not implemented for multiClass='ovo'");
  let classes: Label[];
  if (labels) {
    classes = [...labels];
    const sorted = uniqueLabels([toLabelColumn(classes, "labels")]);
    if (sorted.length !== classes.length) throw new Error("labels: must be unique");
    if (sorted.some((l, i) => compareLabels(l, classes[i]) !== 0)) throw new Error("labels: must be ordered");
    if (classes.length !== S.cols)
      throw new Error(`labels: number of given labels, ${classes.length}, not equal to the number of columns in 'yScore', ${S.cols}`);
  } else {
    classes = uniqueLabels([col]);
    if (classes.length !== S.cols) throw new Error("yTrue, yScore: number of classes in yTrue not equal to the number of columns in 'yScore'");
  }
  const codes = encodeColumn(col, classes);
  if (codes.some((c) => c < 0)) throw new Error("yTrue: contains labels not in parameter 'labels'");
  const k = classes.length;
  const binary = binaryRocAuc(undefined);
  if (mc === "ovo") {
    if (w) throw new Error("sampleWeight: is not supported for multiclass one-vs-one ROC AUC");
    const present = [...new Set(codes)].sort((a, b) => a - b);
    const pairScores: number[] = [];
    const prevalence: number[] = [];
    for (let x = 0; x < present.length; x++)
      for (let y = x + 1; y < present.length; y++) {
        const a = present[x];
        const b = present[y];
        const idx: number[] = [];
        for (let i = 0; i < codes.length; i++) if (codes[i] === a || codes[i] === b) idx.push(i);
        prevalence.push(idx.length / codes.length);
        const aTrue = Float64Array.from(idx, (i) => (codes[i] === a ? 1 : 0));
        const bTrue = Float64Array.from(idx, (i) => (codes[i] === b ? 1 : 0));
        const sa = binary({ kind: "number", data: aTrue }, Float64Array.from(idx, (i) => S.data[i * k + a]), undefined);
        const sb = binary({ kind: "number", data: bTrue }, Float64Array.from(idx, (i) => S.data[i * k + b]), undefined);
        pairScores.push((sa + sb) / 2);
      }
    return mean(pairScores, average === "weighted" ? prevalence : undefined);
  }
  const T: Matrix = { rows: S.rows, cols: k, data: new Float64Array(S.rows * k) };
  for (let i = 0; i < codes.length; i++) T.data[i * k + codes[i]] = 1;
  return averageBinaryScore(binary, T, S, average, w);
}
