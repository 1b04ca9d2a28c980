/**
 * Reads what `evaluate()` was given (labels, scores, one-hot targets, tensors, a model and its
 * inputs) and decides the task: classification with labels and maybe scores, or regression.
 */
import type { Label, LabelsLike, Matrix, NumbersLike } from "../metrics/input";
import { isTensorLike, shapeOf, toLabelColumn, toMatrix } from "../metrics/input";
import { columnType, uniqueLabels } from "../metrics/labels";

/** A model whose `predict(x)` returns a tensor (tfjs LayersModel) or an array. */
export interface PredictingModel {
  predict(x: unknown): unknown;
}

/** True for objects with a predict() method. */
export function isModel(x: unknown): x is PredictingModel {
  return typeof x === "object" && x !== null && typeof (x as PredictingModel).predict === "function";
}

/** What evaluate works on after reading its inputs. */
export type EvaluationInputs =
  | { task: "classification"; yTrue: Label[]; yPred: Label[]; scores?: Matrix; classes: Label[]; multilabel?: false; notes: string[] }
  | { task: "multilabel"; yTrue: Matrix; yPred: Matrix; notes: string[] }
  | { task: "regression"; yTrue: Matrix; yPred: Matrix; notes: string[] };

/** Runs a model on data, reading a tensor result into a matrix (and disposing it). */
export function predictWith(model: PredictingModel, x: unknown): NumbersLike {
  let out = model.predict(x);
  if (Array.isArray(out) && out.length > 0 && isTensorLike(out[0])) out = out[0]; // multi-output model: first output
  if (isTensorLike(out)) {
    const m = toMatrix(out, "model.predict(x)");
    (out as { dispose?: () => void }).dispose?.();
    return m.cols === 1 ? Array.from(m.data) : Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  }
  return out as NumbersLike;
}

function argmaxRows(m: Matrix): Int32Array {
  const out = new Int32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let best = 0;
    for (let j = 1; j < m.cols; j++) if (m.data[i * m.cols + j] > m.data[i * m.cols + best]) best = j;
    out[i] = best;
  }
  return out;
}

function isOneHot(m: Matrix): boolean {
  for (let i = 0; i < m.rows; i++) {
    let ones = 0;
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j];
      if (v === 1) ones++;
      else if (v !== 0) return false;
    }
    if (ones !== 1) return false;
  }
  return true;
}

function allIntegers(d: Float64Array): boolean {
  for (const v of d) if (!Number.isInteger(v)) return false;
  return true;
}

/** Reads evaluate()'s inputs. `task` forces classification or regression. */
export function readEvaluationInputs(
  yTrueIn: LabelsLike,
  yOut: NumbersLike | LabelsLike,
  opts: { task?: "classification" | "regression"; labels?: readonly Label[]; threshold?: number },
): EvaluationInputs {
  const notes: string[] = [];
  const threshold = opts.threshold ?? 0.5;
  const trueShape = shapeOf(yTrueIn, "yTrue");
  const outShape = shapeOf(yOut, "yPred");
  if (trueShape[0] !== outShape[0])
    throw new Error(`yTrue, yPred: found input variables with inconsistent numbers of samples: [${trueShape[0]}, ${outShape[0]}]`);
  const trueCols = trueShape.length === 2 ? trueShape[1] : 1;
  const outCols = outShape.length === 2 ? outShape[1] : 1;

  if (opts.task === "regression") return { task: "regression", yTrue: toMatrix(yTrueIn, "yTrue"), yPred: toMatrix(yOut as NumbersLike, "yPred"), notes };

  // Targets as labels: a 1-D column, or one-hot rows turned into class indices.
  let yTrue: Label[];
  if (trueCols > 1) {
    const m = toMatrix(yTrueIn, "yTrue");
    if (!isOneHot(m)) {
      if (opts.task === "classification" || [...m.data].every((v) => v === 0 || v === 1)) {
        return { task: "multilabel", yTrue: m, yPred: binarize(toMatrix(yOut as NumbersLike, "yPred"), threshold), notes };
      }
      return { task: "regression", yTrue: m, yPred: toMatrix(yOut as NumbersLike, "yPred"), notes };
    }
    yTrue = Array.from(argmaxRows(m));
    notes.push("yTrue was one-hot encoded; classes are its column indices");
  } else {
    const col = toLabelColumn(yTrueIn, "yTrue");
    if (col.kind === "number" && opts.task !== "classification" && columnType(col) === "continuous")
      return { task: "regression", yTrue: toMatrix(yTrueIn, "yTrue"), yPred: toMatrix(yOut as NumbersLike, "yPred"), notes };
    yTrue = Array.from(col.data as ArrayLike<Label>);
  }
  const present = uniqueLabels([toLabelColumn(yTrue, "yTrue")]);

  if (outCols > 1) {
    // n×k scores: predicted label = highest-scoring column.
    const scores = toMatrix(yOut as NumbersLike, "yPred");
    let classes: Label[];
    if (opts.labels) classes = [...opts.labels];
    else if (present.length === scores.cols) classes = present;
    else if (present.every((l) => typeof l === "number" && Number.isInteger(l) && l >= 0 && l < scores.cols))
      classes = Array.from({ length: scores.cols }, (_, i) => i);
    else throw new Error(`labels: yPred has ${scores.cols} score columns but yTrue has ${present.length} classes; pass options.labels in column order`);
    if (classes.length !== scores.cols) throw new Error(`labels: ${classes.length} labels for ${scores.cols} score columns`);
    const am = argmaxRows(scores);
    notes.push("predicted class = column with the highest score");
    return { task: "classification", yTrue, yPred: Array.from(am, (j) => classes[j]), scores, classes, notes };
  }

  const out = toLabelColumn(yOut as LabelsLike, "yPred");
  if (out.kind === "string") return { task: "classification", yTrue, yPred: Array.from(out.data), classes: uniqueLabels([toLabelColumn(yTrue, "yTrue"), out]), notes };
  const d = out.data as Float64Array;
  if (allIntegers(d)) {
    const all = uniqueLabels([toLabelColumn(yTrue, "yTrue"), out]);
    if (opts.task === "classification" || present.length <= Math.max(2, Math.min(100, Math.sqrt(d.length) * 2)) || typeof present[0] === "string")
      return { task: "classification", yTrue, yPred: Array.from(d), classes: all, notes };
    return { task: "regression", yTrue: toMatrix(yTrueIn, "yTrue"), yPred: toMatrix(yOut as NumbersLike, "yPred"), notes };
  }
  // 1-D non-integer scores with a binary target: scores of the positive (greater) class.
  if (present.length <= 2) {
    const classes = opts.labels
      ? [...opts.labels]
      : present.length === 2
        ? present
        : present[0] === 0 || present[0] === 1
          ? [0, 1]
          : [];
    if (classes.length !== 2) throw new Error("labels: binary scores need exactly two labels [negative, positive]");
    notes.push(`predicted class = ${String(classes[1])} where score > ${threshold}`);
    const scores: Matrix = { rows: d.length, cols: 1, data: d };
    return { task: "classification", yTrue, yPred: Array.from(d, (s) => (s > threshold ? classes[1] : classes[0])), scores, classes, notes };
  }
  if (opts.task === "classification") throw new Error("yPred: 1-D non-integer values for a multiclass target; pass labels or an n×k score matrix");
  return { task: "regression", yTrue: toMatrix(yTrueIn, "yTrue"), yPred: toMatrix(yOut as NumbersLike, "yPred"), notes };
}

function binarize(m: Matrix, threshold: number): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.map((v) => (v > threshold ? 1 : 0)) };
}
