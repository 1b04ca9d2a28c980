/** Average precision: the precision-recall curve summarised as a weighted mean of precisions. */
import type { AveragedScore, Label, LabelColumn, LabelsLike, Matrix, NumbersLike, TensorLike } from "../input";
import { toLabelColumn, toMatrix, toWeights } from "../input";
import { columnType, encodeColumn, hasLabel, isMultiColumn, matrixType, pyList, uniqueLabels } from "../labels";
import { type RankingAverage, averageBinaryScore, checkRankingAverage } from "./average-binary";
import { binaryClfCurve } from "./binary-clf-curve";
import { curveFrom } from "./precision-recall-curve";

/** Options of {@link averagePrecisionScore}. */
export interface AveragePrecisionOptions {
  /** Averaging over classes for multilabel / multiclass (default "macro"). */
  average?: RankingAverage;
  /** Positive class for binary targets (default 1). */
  posLabel?: Label;
  sampleWeight?: ArrayLike<number> | TensorLike;
}

function binaryAp(posLabel: Label) {
  return (yTrue: LabelColumn, score: Float64Array, weight: Float64Array | undefined): number => {
    const { precision, recall } = curveFrom(binaryClfCurve(yTrue, score, posLabel, weight));
    let s = 0;
    for (let i = 0; i < recall.length - 1; i++) s += (recall[i + 1] - recall[i]) * precision[i];
    return -s;
  };
}

/**
 * Average precision AP = Σ (Rₙ − Rₙ₋₁) Pₙ (sklearn's `average_precision_score`), no interpolation.
 * Binary: yScore is the positive-class score. Multilabel: n×k indicators and scores.
 * Multiclass labels with an n×k score matrix are scored one-vs-rest (sklearn ≥ 1.3 behaviour).
 */
export function averagePrecisionScore<O extends AveragePrecisionOptions = AveragePrecisionOptions>(yTrue: LabelsLike, yScore: NumbersLike, options?: O): AveragedScore<O>;
export function averagePrecisionScore(yTrue: LabelsLike, yScore: NumbersLike, options: AveragePrecisionOptions = {}): number | number[] {
  const average = options.average === undefined ? "macro" : options.average;
  checkRankingAverage(average);
  const posLabel = options.posLabel ?? 1;
  const S = toMatrix(yScore, "yScore");
  if (isMultiColumn(yTrue, "yTrue")) {
    const T = toMatrix(yTrue, "yTrue");
    const type = matrixType(T);
    if (type !== "multilabel-indicator") throw new Error(`yTrue: ${type} format is not supported`);
    if (posLabel !== 1)
      throw new Error("posLabel: is fixed to 1 for multilabel-indicator yTrue. Do not set posLabel or set posLabel to 1.");
    return averageBinaryScore(binaryAp(1), T, S, average, toWeights(options.sampleWeight as ArrayLike<number> | undefined, T.rows));
  }
  const col = toLabelColumn(yTrue, "yTrue");
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, col.data.length);
  const type = columnType(col);
  if (type === "binary" && S.cols <= 2) {
    // An n×2 probability matrix: column 1 is the greater label's probability.
    const score = S.cols === 2 ? Float64Array.from({ length: S.rows }, (_, i) => S.data[i * 2 + 1]) : S.data;
    const present = uniqueLabels([col]);
    if (present.length === 2 && !hasLabel(present, posLabel))
      throw new Error(`posLabel: posLabel=${JSON.stringify(posLabel)} is not a valid label. It should be one of ${pyList(present)}`);
    return binaryAp(posLabel)(col, score, w);
  }
  if ((type === "multiclass" || type === "binary") && S.cols > 1) {
    const classes = uniqueLabels([col]);
    if (classes.length !== S.cols)
      throw new Error(`yScore: has ${S.cols} columns but yTrue has ${classes.length} classes`);
    const codes = encodeColumn(col, classes);
    const T: Matrix = { rows: S.rows, cols: S.cols, data: new Float64Array(S.rows * S.cols) };
    for (let i = 0; i < codes.length; i++) T.data[i * S.cols + codes[i]] = 1;
    return averageBinaryScore(binaryAp(1), T, S, average, w);
  }
  throw new Error(`yTrue: ${type} format is not supported`);
}
