/**
 * Cross-validation in scikit-learn's sense (`cross_validate`, `cross_val_score`): a model factory
 * builds a fresh model per fold, it is trained on the fold's training rows and scored on its test
 * rows with named scorers. Folds are scikit-learn's: StratifiedKFold for classification, KFold for
 * regression, unshuffled unless asked, so the same rows land in the same folds as in Python.
 */
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { KFold } from "../data/split/kfold";
import { StratifiedKFold } from "../data/split/stratified-kfold";
import type { Fold } from "../data/split/labels";
import { REPR } from "../display/display";
import { MIME, type MimeBundle } from "../display/mime";
import type { PredictingModel } from "../evaluation/evaluate-inputs";
import { accuracyScore, balancedAccuracyScore } from "../metrics/classification/accuracy";
import { f1Score, precisionScore, recallScore } from "../metrics/classification/precision-recall-f";
import { logLoss } from "../metrics/classification/probabilistic";
import { rocAucScore } from "../metrics/ranking/roc-auc";
import { meanAbsoluteError, meanSquaredError } from "../metrics/regression/errors";
import { r2Score } from "../metrics/regression/r2";
import { fit } from "../train/fit/fit";
import type { FitOptions } from "../train/fit/types";
import { tfjs } from "../train/tf";
import { predictClasses, predictProba, predictValues } from "./predict";
import type { XY } from "./xy";

/** What one scorer sees: the true targets of the test rows and the fitted model's predictions. */
export interface ScorerInput {
  yTrue: number[];
  /** Predicted class codes (classification) or values (regression). */
  predict(): number[];
  /** Class probabilities per row (classification). */
  proba(): number[][];
  classes: number;
}

/** A scorer: higher is better (losses are negated, as scikit-learn's `neg_*` scorers). */
export type Scorer = (input: ScorerInput) => number;

const binaryOnly = (name: string, f: Scorer): Scorer => (i) => {
  if (i.classes !== 2) throw new Error(`scoring "${name}" is for binary targets (pos label 1); this target has ${i.classes} classes: use "${name}_macro" or "${name}_weighted"`);
  return f(i);
};

/** scikit-learn's scorer names this library computes (metrics identical to scikit-learn's). */
export const SCORERS = {
  accuracy: (i) => accuracyScore(i.yTrue, i.predict()),
  balanced_accuracy: (i) => balancedAccuracyScore(i.yTrue, i.predict()),
  f1: binaryOnly("f1", (i) => f1Score(i.yTrue, i.predict(), { posLabel: 1 })),
  f1_macro: (i) => f1Score(i.yTrue, i.predict(), { average: "macro" }),
  f1_micro: (i) => f1Score(i.yTrue, i.predict(), { average: "micro" }),
  f1_weighted: (i) => f1Score(i.yTrue, i.predict(), { average: "weighted" }),
  precision: binaryOnly("precision", (i) => precisionScore(i.yTrue, i.predict(), { posLabel: 1 })),
  precision_macro: (i) => precisionScore(i.yTrue, i.predict(), { average: "macro" }),
  precision_weighted: (i) => precisionScore(i.yTrue, i.predict(), { average: "weighted" }),
  recall: binaryOnly("recall", (i) => recallScore(i.yTrue, i.predict(), { posLabel: 1 })),
  recall_macro: (i) => recallScore(i.yTrue, i.predict(), { average: "macro" }),
  recall_weighted: (i) => recallScore(i.yTrue, i.predict(), { average: "weighted" }),
  roc_auc: binaryOnly("roc_auc", (i) => rocAucScore(i.yTrue, i.proba().map((p) => p[1]))),
  roc_auc_ovr: (i) => rocAucScore(i.yTrue, i.proba(), { multiClass: "ovr", labels: Array.from({ length: i.classes }, (_, k) => k) }),
  roc_auc_ovr_weighted: (i) => rocAucScore(i.yTrue, i.proba(), { multiClass: "ovr", average: "weighted", labels: Array.from({ length: i.classes }, (_, k) => k) }),
  neg_log_loss: (i) => -logLoss(i.yTrue, i.proba(), { labels: Array.from({ length: i.classes }, (_, k) => k) }),
  r2: (i) => r2Score(i.yTrue, i.predict()),
  neg_mean_squared_error: (i) => -meanSquaredError(i.yTrue, i.predict()),
  neg_root_mean_squared_error: (i) => -Math.sqrt(meanSquaredError(i.yTrue, i.predict())),
  neg_mean_absolute_error: (i) => -meanAbsoluteError(i.yTrue, i.predict()),
} satisfies Record<string, Scorer>;

/** A scorer by its scikit-learn name. */
export type ScoringName = keyof typeof SCORERS;

/** The model a factory builds: a tfjs model (trained with `fit`) or any model `train` can train. */
export type CrossValModel = LayersModel | PredictingModel;

/** One fold, as the factory and a custom trainer see it. */
export interface FoldContext {
  /** 0-based fold number. */
  fold: number;
  /** Row indices of the data. */
  train: Int32Array;
  test: Int32Array;
}

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions {
  /**
   * Number of folds (default 5), the folds themselves, or a splitter (`new StratifiedKFold(5, { shuffle: true, seed })`,
   * or `new KFold(5, { shuffle: true, seed })`, which splits the rows whatever the task).
   */
  cv?: number | readonly Fold[] | KFold | { split(y: number[]): Fold[] };
  /** Scorer names or your own scorers by name (default "accuracy", or "r2" for regression). */
  scoring?: ScoringName | readonly ScoringName[] | Record<string, Scorer>;
  /** Options for `fit` when the factory builds tfjs models (progress display off unless set). */
  fit?: FitOptions;
  /** Trains a model that is not a tfjs LayersModel (or trains one your way). */
  train?: (model: CrossValModel, x: Tensor, y: Tensor, fold: FoldContext) => unknown;
  /** Also score each fold's training rows (default false). */
  returnTrainScore?: boolean;
  /**
   * Standardize inside each fold with statistics of the fold's training rows only, so no test row
   * leaks into the scaling: `true` or `{ features: true }` is scikit-learn's
   * `make_pipeline(StandardScaler(), model)` (population std, a constant column scaled by 1);
   * `{ target: true }` also trains a regression model on the standardized target and maps its
   * predictions back before scoring (`TransformedTargetRegressor(transformer=StandardScaler())`).
   */
  standardize?: boolean | { features?: boolean; target?: boolean };
}

/** What {@link crossValidate} found: per-fold scores by scorer, and timings. */
export class CrossValidation {
  constructor(
    /** Scores per fold: `test_<name>` (and `train_<name>` with returnTrainScore). */
    readonly scores: Record<string, number[]>,
    /** Seconds spent training each fold. */
    readonly fitTime: number[],
    /** Seconds spent scoring each fold. */
    readonly scoreTime: number[],
  ) {}

  /** Number of folds. */
  get folds(): number {
    return this.fitTime.length;
  }

  private column(name?: string): number[] {
    const key = name === undefined ? Object.keys(this.scores)[0] : name in this.scores ? name : `test_${name}`;
    const v = this.scores[key];
    if (!v) throw new Error(`CrossValidation: no scores named "${name}" (have ${Object.keys(this.scores).join(", ")})`);
    return v;
  }

  /** Mean over the folds of one score (`"accuracy"` or `"test_accuracy"`; default the first). */
  mean(name?: string): number {
    const v = this.column(name);
    return v.reduce((s, x) => s + x, 0) / v.length;
  }

  /** Standard deviation over the folds (population, as numpy's `std()`). */
  std(name?: string): number {
    const v = this.column(name);
    const m = this.mean(name);
    return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
  }

  [REPR](): MimeBundle {
    const names = Object.keys(this.scores);
    const fmt = (x: number) => x.toFixed(4);
    const header = ["fold", ...names, "fit_time", "score_time"];
    const body = Array.from({ length: this.folds }, (_, f) => [String(f + 1), ...names.map((n) => fmt(this.scores[n][f])), this.fitTime[f].toFixed(2), this.scoreTime[f].toFixed(3)]);
    const summary = ["mean ± std", ...names.map((n) => `${fmt(this.mean(n))} ± ${fmt(this.std(n))}`), "", ""];
    const rowsOut = [header, ...body, summary];
    const widths = header.map((_, j) => Math.max(...rowsOut.map((r) => r[j].length)));
    const text = [`Cross-validation, ${this.folds} folds`, ...rowsOut.map((r) => r.map((c, j) => c.padStart(widths[j])).join("  "))].join("\n");
    const cell = (tag: string, c: string) => `<${tag} style="text-align:right">${c}</${tag}>`;
    const html = `<table><caption>Cross-validation, ${this.folds} folds</caption><thead><tr>${header.map((h) => cell("th", h)).join("")}</tr></thead><tbody>${[...body, summary]
      .map((r) => `<tr>${r.map((c) => cell("td", c)).join("")}</tr>`)
      .join("")}</tbody></table>`;
    return { [MIME.text]: text, [MIME.html]: html };
  }
}

function scorersOf(scoring: CrossValidateOptions["scoring"], task: XY["task"]): [string, Scorer][] {
  if (scoring === undefined) return task === "regression" ? [["r2", SCORERS.r2]] : [["accuracy", SCORERS.accuracy]];
  if (typeof scoring === "string" || Array.isArray(scoring)) {
    const names = (typeof scoring === "string" ? [scoring] : scoring) as string[];
    return names.map((n) => {
      const s = (SCORERS as Record<string, Scorer>)[n];
      if (!s) throw new Error(`crossValidate: unknown scoring "${n}" (known: ${Object.keys(SCORERS).join(", ")})`);
      return [n, s];
    });
  }
  return Object.entries(scoring as Record<string, Scorer>);
}

function foldsOf(cv: CrossValidateOptions["cv"], data: XY): Fold[] {
  const spec = cv ?? 5;
  if (typeof spec === "number") return data.task === "classification" ? new StratifiedKFold(spec).split(data.labels) : new KFold(spec).split(data.rows);
  if (Array.isArray(spec)) return [...(spec as Fold[])];
  if (spec instanceof KFold) return spec.split(data.rows);
  return (spec as { split(y: number[]): Fold[] }).split(data.labels);
}

function isLayersModel(m: unknown): m is LayersModel {
  return typeof m === "object" && m !== null && typeof (m as LayersModel).compile === "function" && Array.isArray((m as LayersModel).layers);
}

/**
 * Trains a fresh model per fold and scores it on the fold's test rows.
 * ```ts
 * const cv = await crossValidate(() => buildMLP({ inputDim: 20, numClasses: 2, seed }), train, {
 *   cv: 5, scoring: ["accuracy", "roc_auc"], fit: { epochs: 20, seed } });
 * cv            // the per-fold table with mean ± std
 * cv.mean("roc_auc")
 * ```
 */
export async function crossValidate(build: (fold: FoldContext) => CrossValModel | Promise<CrossValModel>, data: XY, options: CrossValidateOptions = {}): Promise<CrossValidation> {
  const tf = tfjs();
  const scorers = scorersOf(options.scoring, data.task);
  const folds = foldsOf(options.cv, data);
  const scores: Record<string, number[]> = {};
  for (const [n] of scorers) {
    scores[`test_${n}`] = [];
    if (options.returnTrainScore) scores[`train_${n}`] = [];
  }
  const fitTime: number[] = [];
  const scoreTime: number[] = [];
  const classes = data.classes.length;
  const std = typeof options.standardize === "object" ? options.standardize : { features: options.standardize === true };
  if (std.target && data.task !== "regression") throw new Error("crossValidate: standardize.target is for a regression target");
  for (const [f, fold] of folds.entries()) {
    const ctx: FoldContext = { fold: f, train: fold.train, test: fold.test };
    // The fold's target scaling (identity unless standardize.target): fitted on its training rows.
    let [yMean, yScale] = [0, 1];
    if (std.target) {
      const ys = Array.from(fold.train, (i) => data.labels[i]);
      yMean = ys.reduce((s, v) => s + v, 0) / ys.length;
      const sd = Math.sqrt(ys.reduce((s, v) => s + (v - yMean) ** 2, 0) / ys.length);
      yScale = sd > 0 ? sd : 1;
    }
    const [xTrain, yTrain, xTest] = tf.tidy(() => {
      let xTr = tf.gather(data.x, fold.train);
      let xTe = tf.gather(data.x, fold.test);
      if (std.features) {
        const { mean, variance } = tf.moments(xTr, 0);
        const sd = tf.sqrt(variance);
        const scale = tf.where(tf.greater(sd, 0), sd, tf.onesLike(sd));
        [xTr, xTe] = [xTr.sub(mean).div(scale), xTe.sub(mean).div(scale)];
      }
      const yTr = tf.gather(data.y, fold.train);
      return [xTr, std.target ? yTr.sub(yMean).div(yScale) : yTr, xTe];
    });
    const model = await build(ctx);
    try {
      const t0 = performance.now();
      if (options.train) await options.train(model, xTrain, yTrain, ctx);
      else if (isLayersModel(model)) await fit(model, xTrain, yTrain, { progress: false, ...options.fit });
      else throw new Error("crossValidate: the factory built a model that is not a tfjs LayersModel: pass options.train to train it");
      fitTime.push((performance.now() - t0) / 1000);

      const t1 = performance.now();
      const scoreOn = (x: Tensor, idx: Int32Array, prefix: string) => {
        const yTrue = Array.from(idx, (i) => data.labels[i]);
        let pred: number[] | undefined;
        let proba: number[][] | undefined;
        const input: ScorerInput = {
          yTrue,
          classes,
          predict: () => (pred ??= data.task === "regression" ? predictValues(model, x).map((v) => v * yScale + yMean) : predictClasses(model, x)),
          proba: () => (proba ??= predictProba(model, x)),
        };
        for (const [n, s] of scorers) scores[`${prefix}_${n}`].push(s(input));
      };
      scoreOn(xTest, fold.test, "test");
      scoreTime.push((performance.now() - t1) / 1000);
      if (options.returnTrainScore) scoreOn(xTrain, fold.train, "train");
    } finally {
      tf.dispose([xTrain, yTrain, xTest]);
      if (isLayersModel(model)) model.dispose();
    }
  }
  return new CrossValidation(scores, fitTime, scoreTime);
}

/** One score per fold (scikit-learn's `cross_val_score`): {@link crossValidate} with one scorer. */
export async function crossValScore(
  build: (fold: FoldContext) => CrossValModel | Promise<CrossValModel>,
  data: XY,
  options: Omit<CrossValidateOptions, "scoring" | "returnTrainScore"> & { scoring?: ScoringName | Scorer } = {},
): Promise<number[]> {
  const scoring = typeof options.scoring === "function" ? { score: options.scoring } : options.scoring;
  const cv = await crossValidate(build, data, { ...options, scoring });
  return Object.values(cv.scores)[0];
}
