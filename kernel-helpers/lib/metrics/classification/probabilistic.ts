/** Losses on predicted probabilities: log loss (cross-entropy) and the Brier score. */
import type { Label, LabelsLike, NumbersLike, TensorLike } from "../input";
import { toLabelColumn, toMatrix, toVector, toWeights } from "../input";
import { columnType, encodeColumn, hasLabel, pyList, uniqueLabels } from "../labels";
import { average, sum } from "../math";

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 - eps] (default: float64 machine epsilon). */
  eps?: number;
  /** Mean over samples (default true); false gives the sum. */
  normalize?: boolean;
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** All class labels, when yTrue does not contain every class of the probability columns. */
  labels?: readonly Label[];
}

/**
 * Log loss / cross-entropy of predicted probabilities (sklearn's `log_loss`). yPred is n×k
 * (columns in sorted label order) or, for two classes, the positive class probability.
 */
export function logLoss(yTrue: LabelsLike, yPred: NumbersLike, options: LogLossOptions = {}): number {
  const eps = options.eps ?? Number.EPSILON;
  const P = toMatrix(yPred, "yPred");
  const col = toLabelColumn(yTrue, "yTrue");
  if (col.data.length !== P.rows)
    throw new Error(`yPred, yTrue: found input variables with inconsistent numbers of samples: [${P.rows}, ${col.data.length}]`);
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, P.rows);
  const classes = options.labels ? uniqueLabels([toLabelColumn(options.labels as Label[], "labels")]) : uniqueLabels([col]);
  if (classes.length === 1) {
    if (!options.labels)
      throw new Error(`yTrue: contains only one label (${classes[0]}). Please provide the true labels explicitly through the labels argument.`);
    throw new Error(`labels: needs to contain at least two labels for logLoss, got ${pyList(classes)}`);
  }
  const codes = encodeColumn(col, classes);
  for (let i = 0; i < codes.length; i++)
    if (codes[i] < 0) throw new Error(`yTrue: contains label ${JSON.stringify(col.data[i])} not in labels ${pyList(classes)}`);
  const k = P.cols === 1 ? 2 : P.cols;
  if (classes.length !== k) {
    if (!options.labels)
      throw new Error(
        `yTrue, yPred: contain different number of classes ${classes.length}, ${k}. Please provide the true labels explicitly through the labels argument. Classes found in yTrue: ${pyList(classes)}`,
      );
    throw new Error(`labels: the number of classes in labels is different from that in yPred. Classes found in labels: ${pyList(classes)}`);
  }
  const clip = (v: number) => Math.min(Math.max(v, eps), 1 - eps);
  const loss = new Float64Array(P.rows);
  const row = new Float64Array(k);
  for (let i = 0; i < P.rows; i++) {
    if (P.cols === 1) {
      const p = clip(P.data[i]);
      row[0] = 1 - p;
      row[1] = p;
    } else for (let j = 0; j < k; j++) row[j] = clip(P.data[i * k + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += row[j];
    loss[i] = -Math.log(row[codes[i]] / s);
  }
  if (options.normalize ?? true) return average(loss, w, "sampleWeight");
  if (!w) return sum(loss);
  return sum(loss.map((v, i) => v * w[i]));
}

/** Options of {@link brierScoreLoss}. */
export interface BrierOptions {
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** The positive class (default: 1 for {0,1} / {-1,1} labels, else the greater label for numbers). */
  posLabel?: Label;
}

/** Mean squared difference between the positive-class probability and the outcome (sklearn's `brier_score_loss`). */
export function brierScoreLoss(yTrue: LabelsLike, yProb: NumbersLike, options: BrierOptions = {}): number {
  const col = toLabelColumn(yTrue, "yTrue");
  const p = toVector(yProb, "yProb");
  if (p.length !== col.data.length)
    throw new Error(`yTrue, yProb: found input variables with inconsistent numbers of samples: [${col.data.length}, ${p.length}]`);
  const w = toWeights(options.sampleWeight as ArrayLike<number> | undefined, p.length);
  const type = columnType(col);
  if (type !== "binary") throw new Error(`yTrue: only binary classification is supported. The type of the target is ${type}.`);
  for (const v of p) {
    if (!Number.isFinite(v)) throw new Error("yProb: contains NaN or infinity");
    if (v > 1) throw new Error("yProb: contains values greater than 1.");
    if (v < 0) throw new Error("yProb: contains values less than 0.");
  }
  const classes = uniqueLabels([col]);
  let pos = options.posLabel;
  if (pos === undefined) pos = defaultPosLabel(classes, "yTrue") ?? classes[classes.length - 1];
  const codes = encodeColumn(col, [pos]);
  const sq = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const d = (codes[i] === 0 ? 1 : 0) - p[i];
    sq[i] = d * d;
  }
  return average(sq, w, "sampleWeight");
}

/**
 * sklearn's rule for an implicit positive label: 1 when the labels are {0,1}, {-1,1}, {0}, {-1} or {1};
 * undefined for other numbers; an error for strings.
 */
export function defaultPosLabel(classes: readonly Label[], name: string): Label | undefined {
  const key = classes.join(",");
  if (classes.every((c) => typeof c === "number") && ["0,1", "-1,1", "0", "-1", "1"].includes(key)) return 1;
  if (classes.some((c) => typeof c === "string"))
    throw new Error(
      `posLabel: ${name} takes value in ${pyList(classes)} and posLabel is not specified: either make ${name} take value in {0, 1} or {-1, 1} or pass posLabel explicitly.`,
    );
  return undefined;
}

export { hasLabel };
