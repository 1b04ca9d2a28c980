/**
 * `evaluate()`: one call, one display. Computes the metrics that fit the task (classification
 * report, confusion matrix, ROC / PR curves when scores are given; or regression errors) and
 * returns an {@link Evaluation} that displays as one bundle: the MIME.metricsReport payload,
 * an HTML report with the pictures, sklearn's text report, and a PNG of the confusion matrix
 * (or predicted-vs-actual plot).
 */
import { REPR, type Reprable } from "../display/display";
import { MIME, type MimeBundle } from "../display/mime";
import type { Figure } from "../plot/figure";
import { plotConfusionMatrix } from "../plot/figures/confusion";
import { plotPrecisionRecallCurve, plotRocCurve } from "../plot/figures/curves";
import { thinCurve } from "../plot/thin-curve";
import { plotPredictedVsActual, plotResiduals } from "../plot/figures/regression";
import { accuracyScore, balancedAccuracyScore } from "../metrics/classification/accuracy";
import { cohenKappaScore, matthewsCorrcoef } from "../metrics/classification/agreement";
import { labeledConfusionMatrix } from "../metrics/classification/confusion-matrix";
import { prfs } from "../metrics/classification/precision-recall-f";
import { brierScoreLoss, logLoss } from "../metrics/classification/probabilistic";
import { type ZeroDivision } from "../metrics/classification/precision-recall-f";
import { classificationReportBoth } from "../metrics/classification/report";
import { topKAccuracyScore } from "../metrics/classification/top-k";
import { type EvaluationInputs, type PredictingModel, isModel, predictWith, readEvaluationInputs } from "./evaluate-inputs";
import type { Label, LabelsLike, Matrix, NumbersLike, TensorLike } from "../metrics/input";
import type { ClassificationSection, MetricsReport, PrCurveData, RocCurveData } from "../metrics/metrics-report";
import { averagePrecisionScore } from "../metrics/ranking/average-precision";
import { auc } from "../metrics/ranking/auc";
import { precisionRecallCurve } from "../metrics/ranking/precision-recall-curve";
import { rocCurve } from "../metrics/ranking/roc";
import { rocAucScore } from "../metrics/ranking/roc-auc";
import { reportHtml } from "./report-html";
import { explainedVarianceScore, r2Score } from "../metrics/regression/r2";
import { meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError } from "../metrics/regression/errors";

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Force the task instead of inferring it from the values. */
  task?: "classification" | "regression";
  /** Class labels (in score-column order when scores are given). */
  labels?: readonly Label[];
  /** Display names of the classes, in `labels` order. */
  targetNames?: readonly string[];
  /** Binary scores above this are the positive class (default 0.5). */
  threshold?: number;
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Decimals of the text report (default 2). */
  digits?: number;
  zeroDivision?: ZeroDivision;
  /** Render the static pictures (default true). */
  static?: boolean;
  /** Classes drawn as separate ROC / PR curves at most (default 10). */
  maxCurves?: number;
  /** Points kept per ROC / PR curve, roughly (default 500; AUC and AP use every point). */
  maxCurvePoints?: number;
}

/** The result of {@link evaluate}: displays as one bundle; the parts are available too. */
export class Evaluation implements Reprable {
  constructor(
    /** The MIME.metricsReport payload. */
    readonly report: MetricsReport,
    /** The figures (confusion matrix, ROC, PR; or predicted-vs-actual, residuals), each displayable. */
    readonly figures: Record<string, Figure>,
    /** The whole display bundle. */
    readonly bundle: MimeBundle,
  ) {}
  [REPR](): MimeBundle {
    return this.bundle;
  }
  /** Headline metrics, e.g. `evaluation.summary.accuracy`. */
  get summary(): Record<string, number> {
    return this.report.summary;
  }
  /** sklearn's classification report text (empty for regression). */
  get text(): string {
    return String(this.bundle[MIME.text]);
  }
}

/**
 * Evaluates predictions in one call and returns a displayable {@link Evaluation}:
 * `display(await evaluate(yTrue, yPred))`, `evaluate(yTrue, probabilities)` (n×k scores:
 * adds ROC / PR curves, AUC, log loss), or `evaluate(model, xTest, yTest)` for a model with
 * `predict()` (tfjs). Classification vs regression is inferred from the values (override with
 * `task`). Targets may be labels, one-hot rows or tensors.
 */
export async function evaluate(yTrue: LabelsLike, yPred: NumbersLike | LabelsLike, options?: EvaluateOptions): Promise<Evaluation>;
/** Evaluates a model: runs `model.predict(x)` (a tfjs model or anything with predict) and compares with yTrue. */
export async function evaluate(model: PredictingModel, x: unknown, yTrue: LabelsLike, options?: EvaluateOptions): Promise<Evaluation>;
export async function evaluate(a: unknown, b: unknown, c?: unknown, d?: EvaluateOptions): Promise<Evaluation> {
  let yTrue: LabelsLike;
  let yOut: NumbersLike | LabelsLike;
  let options: EvaluateOptions;
  if (isModel(a)) {
    if (c === undefined) throw new Error("yTrue: evaluate(model, x, yTrue) needs the true targets");
    yOut = predictWith(a, b);
    yTrue = c as LabelsLike;
    options = d ?? {};
  } else {
    yTrue = a as LabelsLike;
    yOut = b as NumbersLike | LabelsLike;
    options = (c as EvaluateOptions | undefined) ?? {};
  }
  const inputs = readEvaluationInputs(yTrue, yOut, options);
  if (inputs.task === "regression") return regression(inputs, options);
  if (inputs.task === "multilabel") return multilabel(inputs, options);
  return classification(inputs, options);
}

function n(x: unknown): number {
  return x as number;
}

async function classification(inp: Extract<EvaluationInputs, { task: "classification" }>, o: EvaluateOptions): Promise<Evaluation> {
  const { yTrue, yPred, scores, notes } = inp;
  const sw = o.sampleWeight;
  const both = classificationReportBoth(yTrue, yPred, { labels: o.labels, targetNames: o.targetNames, sampleWeight: sw, digits: o.digits, zeroDivision: o.zeroDivision });
  const cm = labeledConfusionMatrix(yTrue, yPred, { labels: both.labels, sampleWeight: sw });
  const cmNorm = labeledConfusionMatrix(yTrue, yPred, { labels: both.labels, sampleWeight: sw, normalize: "true" });
  const present = new Set<Label>(yTrue);
  const binary = both.labels.length <= 2 && present.size <= 2;
  const summary: Record<string, number> = {
    accuracy: accuracyScore(yTrue, yPred, { sampleWeight: sw }),
    balancedAccuracy: balancedAccuracyScore(yTrue, yPred, { sampleWeight: sw }),
    precisionMacro: n(prfs(yTrue, yPred, { average: "macro", sampleWeight: sw, zeroDivision: o.zeroDivision }).precision),
    recallMacro: n(prfs(yTrue, yPred, { average: "macro", sampleWeight: sw, zeroDivision: o.zeroDivision }).recall),
    f1Macro: n(prfs(yTrue, yPred, { average: "macro", sampleWeight: sw, zeroDivision: o.zeroDivision }).fscore),
    f1Weighted: n(prfs(yTrue, yPred, { average: "weighted", sampleWeight: sw, zeroDivision: o.zeroDivision }).fscore),
    matthewsCorrcoef: matthewsCorrcoef(yTrue, yPred, { sampleWeight: sw }),
    cohenKappa: cohenKappaScore(yTrue, yPred, { sampleWeight: sw }),
  };
  const section: ClassificationSection = {
    labels: both.names,
    report: both.dict,
    reportText: both.text,
    confusionMatrix: cm.matrix,
    confusionMatrixNormalized: cmNorm.matrix,
  };
  const figures: Record<string, Figure> = {};
  const names = both.names;
  const nameOf = (l: Label) => names[both.labels.indexOf(l)] ?? String(l);
  if (scores) {
    const maxCurves = Math.max(3, o.maxCurves ?? 10);
    const roc: RocCurveData[] = [];
    const pr: PrCurveData[] = [];
    const cls = inp.classes;
    const problems: { name: string; y: Float64Array; s: Float64Array }[] = [];
    if (scores.cols === 1 || (scores.cols === 2 && cls.length === 2)) {
      const s = scores.cols === 1 ? scores.data : Float64Array.from({ length: scores.rows }, (_, i) => scores.data[i * 2 + 1]);
      problems.push({ name: nameOf(cls[1]), y: Float64Array.from(yTrue, (l) => (l === cls[1] ? 1 : 0)), s });
      section.threshold = o.threshold ?? 0.5;
    } else {
      cls.slice(0, maxCurves).forEach((c, j) =>
        problems.push({ name: nameOf(c), y: Float64Array.from(yTrue, (l) => (l === c ? 1 : 0)), s: column(scores, j) }),
      );
      if (cls.length > maxCurves) notes.push(`curves drawn for the first ${maxCurves} of ${cls.length} classes`);
    }
    const w = sw as ArrayLike<number> | undefined;
    for (const p of problems) {
      const pos = p.y.reduce((s, v) => s + v, 0);
      if (pos === 0 || pos === p.y.length) continue;
      const r = rocCurve(p.y, p.s, { sampleWeight: w });
      const rt = thinCurve(r.fpr, r.tpr, o.maxCurvePoints);
      roc.push({ name: p.name, fpr: rt.x, tpr: rt.y, auc: auc(r.fpr, r.tpr) });
      const c = precisionRecallCurve(p.y, p.s, { sampleWeight: w });
      const ct = thinCurve(c.recall, c.precision, o.maxCurvePoints);
      pr.push({ name: p.name, precision: ct.y, recall: ct.x, averagePrecision: n(averagePrecisionScore(p.y, p.s, { sampleWeight: w })) });
    }
    section.roc = roc;
    section.pr = pr;
    const inUnit = scores.data.every((v) => v >= 0 && v <= 1);
    if (problems.length === 1 && roc.length === 1) {
      summary.rocAuc = roc[0].auc;
      summary.averagePrecision = pr[0].averagePrecision;
      if (inUnit) {
        const y01 = problems[0].y;
        summary.logLoss = logLoss(y01, problems[0].s, { sampleWeight: w });
        summary.brierScore = brierScoreLoss(y01, problems[0].s, { sampleWeight: w });
      }
    } else if (scores.cols > 2) {
      const rowsSumTo1 = Array.from({ length: scores.rows }).every((_, i) => Math.abs(rowSum(scores, i) - 1) <= 1e-5 + 1e-8);
      const allPresent = cls.every((c) => present.has(c));
      if (rowsSumTo1 && allPresent) {
        summary.rocAucOvrMacro = n(rocAucScore(yTrue, matrixRows(scores), { multiClass: "ovr", labels: cls, sampleWeight: w }));
        summary.logLoss = logLoss(yTrue, matrixRows(scores), { labels: cls, sampleWeight: w });
      } else if (!rowsSumTo1) notes.push("scores are not probabilities (rows do not sum to 1): no ROC AUC / log loss summary");
      else notes.push("some classes are absent from yTrue: no multiclass ROC AUC / log loss summary");
      if (cls.length > 2) summary.top2Accuracy = topKAccuracyScore(yTrue, matrixRows(scores), { k: 2, labels: cls, sampleWeight: w });
    }
    if (roc.length) {
      const single = problems.length === 1;
      const curveY: LabelsLike = single ? problems[0].y : yTrue;
      const curveS: NumbersLike = single ? problems[0].s : matrixRows(scores).map((r) => r.slice(0, maxCurves));
      const curveOpts = single
        ? { static: o.static, maxPoints: o.maxCurvePoints, labels: [0, 1], targetNames: ["negative", problems[0].name], posLabel: 1 }
        : { static: o.static, maxPoints: o.maxCurvePoints, labels: cls.slice(0, maxCurves), targetNames: cls.slice(0, maxCurves).map(nameOf) };
      figures.roc = await plotRocCurve(curveY, curveS, curveOpts);
      figures.pr = await plotPrecisionRecallCurve(curveY, curveS, curveOpts);
    }
  }
  figures.confusionMatrix = await plotConfusionMatrix({ matrix: cm.matrix, labels: both.labels }, undefined, { targetNames: names, static: o.static });
  const report: MetricsReport = {
    version: 1,
    task: binary ? "binary" : "multiclass",
    nSamples: yTrue.length,
    summary,
    classification: section,
    notes,
  };
  return new Evaluation(report, figures, assemble(report, figures, both.text + "\n" + summaryText(summary), "confusionMatrix"));
}

async function multilabel(inp: Extract<EvaluationInputs, { task: "multilabel" }>, o: EvaluateOptions): Promise<Evaluation> {
  const t = matrixRows(inp.yTrue);
  const p = matrixRows(inp.yPred);
  const both = classificationReportBoth(t, p, { targetNames: o.targetNames, sampleWeight: o.sampleWeight, digits: o.digits, zeroDivision: o.zeroDivision });
  const summary: Record<string, number> = {
    subsetAccuracy: accuracyScore(t, p, { sampleWeight: o.sampleWeight }),
    f1Micro: n(prfs(t, p, { average: "micro", sampleWeight: o.sampleWeight }).fscore),
    f1Macro: n(prfs(t, p, { average: "macro", sampleWeight: o.sampleWeight }).fscore),
    f1Samples: n(prfs(t, p, { average: "samples", sampleWeight: o.sampleWeight }).fscore),
  };
  const report: MetricsReport = {
    version: 1,
    task: "multilabel",
    nSamples: inp.yTrue.rows,
    summary,
    classification: { labels: both.names, report: both.dict, reportText: both.text },
    notes: inp.notes,
  };
  return new Evaluation(report, {}, assemble(report, {}, both.text + "\n" + summaryText(summary), undefined));
}

async function regression(inp: Extract<EvaluationInputs, { task: "regression" }>, o: EvaluateOptions): Promise<Evaluation> {
  const { yTrue, yPred } = inp;
  const t = matrixRows(yTrue);
  const p = matrixRows(yPred);
  const opts = { sampleWeight: o.sampleWeight };
  const mse = n(meanSquaredError(t, p, opts));
  const summary: Record<string, number> = {
    mse,
    rmse: n(meanSquaredError(t, p, { ...opts, squared: false })),
    mae: n(meanAbsoluteError(t, p, opts)),
    mape: n(meanAbsolutePercentageError(t, p, opts)),
    r2: n(r2Score(t, p, opts)),
    explainedVariance: n(explainedVarianceScore(t, p, opts)),
  };
  const res = yTrue.data.map((v, i) => v - yPred.data[i]);
  const mean = res.reduce((s, v) => s + v, 0) / res.length;
  const std = Math.sqrt(res.reduce((s, v) => s + (v - mean) ** 2, 0) / res.length);
  const report: MetricsReport = {
    version: 1,
    task: "regression",
    nSamples: yTrue.rows,
    summary,
    regression: {
      outputs: yTrue.cols,
      residuals: { mean, std, min: Math.min(...res), max: Math.max(...res) },
    },
    notes: inp.notes,
  };
  if (yTrue.cols > 1) {
    report.regression!.perOutput = {
      mse: meanSquaredError(t, p, { ...opts, multioutput: "raw_values" }),
      mae: meanAbsoluteError(t, p, { ...opts, multioutput: "raw_values" }),
      r2: r2Score(t, p, { ...opts, multioutput: "raw_values" }),
    };
    inp.notes.push("figures show the first output");
  }
  const first = (m: Matrix) => Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols]);
  const figures: Record<string, Figure> = {
    predictedVsActual: await plotPredictedVsActual(first(yTrue), first(yPred), { static: o.static }),
    residuals: await plotResiduals(first(yTrue), first(yPred), { static: o.static }),
  };
  return new Evaluation(report, figures, assemble(report, figures, summaryText(summary), "predictedVsActual"));
}

function column(m: Matrix, j: number): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
}

function rowSum(m: Matrix, i: number): number {
  let s = 0;
  for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j];
  return s;
}

function matrixRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** Headline metrics as aligned text lines. */
export function summaryText(summary: Record<string, number>): string {
  const w = Math.max(...Object.keys(summary).map((k) => k.length));
  return Object.entries(summary)
    .map(([k, v]) => `${k.padEnd(w)}  ${Number.isFinite(v) ? v.toFixed(4) : String(v)}`)
    .join("\n");
}

function assemble(report: MetricsReport, figures: Record<string, Figure>, text: string, pngFigure: string | undefined): MimeBundle {
  const bundle: MimeBundle = {
    [MIME.metricsReport]: report,
    [MIME.html]: reportHtml(report, figures),
    [MIME.text]: text,
  };
  const png = pngFigure ? figures[pngFigure]?.png : undefined;
  if (png) bundle[MIME.png] = png.toString("base64");
  return bundle;
}
