/**
 * Model → numbers, for any model with `predict(x)` (a tfjs LayersModel, a loaded bundle's model,
 * your own object): class probabilities as rows of plain numbers, one column of them, or class
 * codes / labels. Tensors the model returns are read and disposed here.
 */
import type { PredictingModel } from "../evaluation/evaluate-inputs";
import { predictWith } from "../evaluation/evaluate-inputs";
import type { ClassLabel, XY } from "./xy";

/** What a model predicts from: a tensor / array, or an {@link XY} (its `x`). */
export type ModelInput = XY | object;

function inputOf(x: ModelInput): unknown {
  return typeof x === "object" && x !== null && "x" in x && "features" in x ? (x as XY).x : x;
}

function rows(model: PredictingModel, x: ModelInput): number[][] {
  const out = predictWith(model, inputOf(x)) as unknown[];
  return out.map((r, i) => {
    if (Array.isArray(r)) return r as number[];
    if (typeof r === "number") return [r];
    throw new Error(`predict: row ${i} of the model's output is ${JSON.stringify(r)}, not numbers`);
  });
}

/** Options of {@link predictProba}. */
export interface PredictProbaOptions {
  /** Return only this class's probability (its code, i.e. column index). */
  column?: number;
}

/**
 * Class probabilities, one row per sample: a softmax model's rows as they are; a one-unit sigmoid
 * model's p becomes [1 − p, p] (class 0, class 1), as scikit-learn's `predict_proba` has it.
 * With `{ column: k }`, the probability of class k only.
 */
export function predictProba(model: PredictingModel, x: ModelInput): number[][];
export function predictProba(model: PredictingModel, x: ModelInput, options: PredictProbaOptions & { column: number }): number[];
export function predictProba(model: PredictingModel, x: ModelInput, options?: PredictProbaOptions): number[][] | number[];
export function predictProba(model: PredictingModel, x: ModelInput, options: PredictProbaOptions = {}): number[][] | number[] {
  const out = rows(model, x).map((r) => (r.length === 1 ? [1 - r[0], r[0]] : r));
  if (options.column === undefined) return out;
  const k = options.column;
  const width = out[0]?.length ?? 0;
  if (!Number.isInteger(k) || k < 0 || (out.length > 0 && k >= width)) throw new Error(`predictProba: column ${k} is out of range: the model gives ${width} class probabilities`);
  return out.map((r) => r[k]);
}

/** Options of {@link predictClasses}. */
export interface PredictClassesOptions<L extends ClassLabel = ClassLabel> {
  /** Class values by code (e.g. `train.classes`): return labels instead of codes. */
  classes?: readonly L[];
  /** A one-unit sigmoid output above this is class 1 (default 0.5). */
  threshold?: number;
}

/**
 * Predicted classes: the code of the most probable class per row (a sigmoid output above
 * `threshold` is class 1), or the class labels when `classes` is given.
 */
export function predictClasses(model: PredictingModel, x: ModelInput, options?: PredictClassesOptions & { classes?: undefined }): number[];
export function predictClasses<L extends ClassLabel>(model: PredictingModel, x: ModelInput, options: PredictClassesOptions<L> & { classes: readonly L[] }): L[];
export function predictClasses(model: PredictingModel, x: ModelInput, options: PredictClassesOptions = {}): number[] | ClassLabel[] {
  const threshold = options.threshold ?? 0.5;
  const codes = rows(model, x).map((r) => {
    if (r.length === 1) return r[0] > threshold ? 1 : 0;
    let best = 0;
    for (let j = 1; j < r.length; j++) if (r[j] > r[best]) best = j;
    return best;
  });
  const classes = options.classes;
  if (!classes) return codes;
  return codes.map((c) => {
    if (c >= classes.length) throw new Error(`predictClasses: the model predicts class ${c} but ${classes.length} classes were given`);
    return classes[c];
  });
}

/** Predicted values of a one-output regression model, one number per row. */
export function predictValues(model: PredictingModel, x: ModelInput): number[] {
  return rows(model, x).map((r, i) => {
    if (r.length !== 1) throw new Error(`predictValues: row ${i} has ${r.length} outputs; a regression model has one`);
    return r[0];
  });
}
