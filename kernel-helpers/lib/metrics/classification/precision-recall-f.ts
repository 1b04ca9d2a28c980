/**
 * Precision, recall, F-beta and support with scikit-learn's semantics: averages
 * (binary / micro / macro / weighted / samples / none), `labels`, `posLabel`, sample weights
 * and `zeroDivision`.
 */
import type { AveragedScore, Label, LabelsLike, TensorLike } from "../input";
import { toWeights } from "../input";
import { type ClassificationTargets, checkTargets, hasLabel, pyList } from "../labels";
import { average as mean, sum } from "../math";
import { type LabelCounts, labelCounts } from "./label-counts";

/** How per-label scores are combined: sklearn's `average` (null = per label, no averaging). */
export type Average = "binary" | "micro" | "macro" | "weighted" | "samples" | null;

/** The value used where a ratio divides by zero; "warn" acts as 0 (sklearn also warns). */
export type ZeroDivision = "warn" | 0 | 1;

/** Options shared by precision, recall and F scores (sklearn's keyword arguments). */
export interface PrfOptions {
  /** Labels to include and their order (default: all labels in yTrue and yPred, sorted). */
  labels?: readonly Label[];
  /** The positive class when average is "binary" (default 1). */
  posLabel?: Label;
  /** Averaging (default "binary"; null returns one value per label). */
  average?: Average;
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Value where precision/recall divide by zero (default "warn", i.e. 0). */
  zeroDivision?: ZeroDivision;
}

/** Result of {@link precisionRecallFscoreSupport}: numbers when averaged, arrays per label otherwise. */
export interface PrfResult<T extends number | number[]> {
  precision: T;
  recall: T;
  fscore: T;
  /** Weighted count of true samples per label; undefined when averaged. */
  support: T extends number[] ? number[] : undefined;
}

const AVERAGES = [null, "micro", "macro", "weighted", "samples"] as const;

/** Throws unless zeroDivision is "warn", 0 or 1. */
export function checkZeroDivision(z: unknown): asserts z is ZeroDivision {
  if (z === "warn" || z === 0 || z === 1) return;
  throw new Error(`zeroDivision: got ${JSON.stringify(z)}. Must be one of ["warn", 0, 1]`);
}

function divide(num: Float64Array, den: Float64Array, zero: ZeroDivision): Float64Array {
  const out = new Float64Array(num.length);
  const z = zero === 1 ? 1 : 0;
  for (let i = 0; i < num.length; i++) out[i] = den[i] === 0 ? z : num[i] / den[i];
  return out;
}

/**
 * Precision, recall, F-beta and support per label, or averaged (sklearn's
 * `precision_recall_fscore_support`). Default average is null (per label).
 * @example precisionRecallFscoreSupport(["a","b","a"], ["a","a","a"], { average: "macro" })
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: PrfOptions & { beta?: number; average: Exclude<Average, null> },
): PrfResult<number>;
/** Per-label precision, recall, F-beta and support (no averaging): arrays in label order. */
export function precisionRecallFscoreSupport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options?: PrfOptions & { beta?: number; average?: null },
): PrfResult<number[]>;
export function precisionRecallFscoreSupport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: PrfOptions & { beta?: number } = {},
): PrfResult<number> | PrfResult<number[]> {
  return prfs(yTrue, yPred, { ...options, average: options.average ?? null });
}

/**
 * sklearn's `_check_set_wise_labels`: with average "binary" the labels become [posLabel]
 * (checked against the data); other averages keep `labels`.
 */
export function setWiseLabels(
  t: ClassificationTargets,
  average: Average,
  labels: readonly Label[] | undefined,
  posLabelOption: Label | undefined,
): readonly Label[] | undefined {
  if (average !== "binary") return labels;
  const posLabel = posLabelOption ?? 1;
  if (t.type === "binary") {
    if (!hasLabel(t.present, posLabel) && t.present.length >= 2)
      throw new Error(`posLabel: posLabel=${JSON.stringify(posLabel)} is not a valid label. It should be one of ${pyList(t.present)}`);
    return [posLabel];
  }
  const opts = t.type === "multiclass" ? "[null, 'micro', 'macro', 'weighted']" : "[null, 'micro', 'macro', 'weighted', 'samples']";
  throw new Error(`average: target is ${t.type} but average='binary'. Please choose another average setting, one of ${opts}`);
}

/** Throws unless `average` is one of sklearn's set-wise options. */
export function checkAverage(average: unknown): asserts average is Average {
  if (average !== "binary" && !AVERAGES.includes(average as never))
    throw new Error(`average: has to be one of [null, 'micro', 'macro', 'weighted', 'samples', 'binary'], got ${JSON.stringify(average)}`);
}

/** The shared implementation; `average` must be explicit here. */
export function prfs(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: PrfOptions & { beta?: number },
): PrfResult<number> | PrfResult<number[]> {
  const zero = options.zeroDivision ?? "warn";
  checkZeroDivision(zero);
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new Error("beta: should be >= 0 in the F-beta score");
  const average = options.average === undefined ? "binary" : options.average;
  checkAverage(average);
  const t = checkTargets(yTrue, yPred);
  const weight = toWeights(options.sampleWeight as ArrayLike<number> | undefined, t.n);
  const labels = setWiseLabels(t, average, options.labels, options.posLabel);
  const c = labelCounts(t, labels, weight, average === "samples");
  return scoresFromCounts(c, average, zero, beta, weight);
}

/** Precision, recall and F from per-label counts, averaged as asked (no input checks). */
export function scoresFromCounts(
  c: LabelCounts,
  average: Average,
  zero: ZeroDivision,
  beta: number,
  weight: Float64Array | undefined,
): PrfResult<number> | PrfResult<number[]> {
  let { tp, predSum, trueSum } = c;
  if (average === "micro") {
    tp = Float64Array.of(sum(tp));
    predSum = Float64Array.of(sum(predSum));
    trueSum = Float64Array.of(sum(trueSum));
  }
  const precision = divide(tp, predSum, zero);
  const recall = divide(tp, trueSum, zero);
  const f = new Float64Array(tp.length);
  const beta2 = beta * beta;
  for (let i = 0; i < f.length; i++) {
    if (beta === Infinity) f[i] = recall[i];
    else {
      const den = beta2 * precision[i] + recall[i];
      f[i] = ((1 + beta2) * precision[i] * recall[i]) / (den === 0 ? 1 : den);
    }
  }
  if (average === null) {
    return { precision: [...precision], recall: [...recall], fscore: [...f], support: [...trueSum] };
  }
  let weights: ArrayLike<number> | undefined;
  if (average === "weighted") {
    weights = trueSum;
    if (sum(trueSum) === 0) {
      const z = zero === 1 ? 1 : 0;
      if (sum(predSum) === 0) return { precision: z, recall: z, fscore: z, support: undefined };
      return { precision: 0, recall: z, fscore: 0, support: undefined };
    }
  } else if (average === "samples") {
    weights = weight;
  }
  return {
    precision: mean(precision, weights, "sampleWeight"),
    recall: mean(recall, weights, "sampleWeight"),
    fscore: mean(f, weights, "sampleWeight"),
    support: undefined,
  };
}

type Scores<O> = AveragedScore<O>;

/**
 * Precision tp / (tp + fp) (sklearn's `precision_score`). Default average "binary" with posLabel 1;
 * `average: null` gives one value per label.
 */
export function precisionScore<O extends PrfOptions>(yTrue: LabelsLike, yPred: LabelsLike, options?: O): Scores<O> {
  return prfs(yTrue, yPred, { ...options }).precision as Scores<O>;
}

/** Recall tp / (tp + fn) (sklearn's `recall_score`). Same options as {@link precisionScore}. */
export function recallScore<O extends PrfOptions>(yTrue: LabelsLike, yPred: LabelsLike, options?: O): Scores<O> {
  return prfs(yTrue, yPred, { ...options }).recall as Scores<O>;
}

/** F1, the harmonic mean of precision and recall (sklearn's `f1_score`). */
export function f1Score<O extends PrfOptions>(yTrue: LabelsLike, yPred: LabelsLike, options?: O): Scores<O> {
  return prfs(yTrue, yPred, { ...options, beta: 1 }).fscore as Scores<O>;
}

/**
 * F-beta: recall weighted beta times as much as precision (sklearn's `fbeta_score`).
 * @param options.beta required, >= 0.
 */
export function fbetaScore<O extends PrfOptions & { beta: number }>(yTrue: LabelsLike, yPred: LabelsLike, options: O): Scores<O> {
  if (options?.beta === undefined) throw new Error("beta: fbetaScore needs options.beta");
  return prfs(yTrue, yPred, { ...options }).fscore as Scores<O>;
}
