/**
 * The MIME.metricsReport payload ("application/vnd.sciforge.metrics-report+json") that
 * `evaluate()` sends: everything a renderer needs to draw the report, confusion matrix and
 * curves without recomputing anything.
 */
import type { ClassificationReportDict } from "./classification/report";

/** What kind of problem was evaluated. */
export type EvaluationTask = "binary" | "multiclass" | "multilabel" | "regression";

/** One ROC curve (one-vs-rest for multiclass). */
export interface RocCurveData {
  name: string;
  fpr: number[];
  tpr: number[];
  auc: number;
}

/** One precision-recall curve. */
export interface PrCurveData {
  name: string;
  precision: number[];
  recall: number[];
  averagePrecision: number;
}

/** Classification part of a {@link MetricsReport}. */
export interface ClassificationSection {
  /** Class display names in report order. */
  labels: string[];
  /** sklearn's classification report as an object (output_dict form). */
  report: ClassificationReportDict;
  /** sklearn's classification report text. */
  reportText: string;
  /** Rows: true label, columns: predicted label, in `labels` order (absent for multilabel). */
  confusionMatrix?: number[][];
  /** Row-normalized confusion matrix (recall per class on the diagonal). */
  confusionMatrixNormalized?: number[][];
  /** Curves, when scores were given (binary: one curve; multiclass: one per class, one-vs-rest). */
  roc?: RocCurveData[];
  pr?: PrCurveData[];
  /** Threshold turning binary scores into labels (score > threshold is positive), when scores were given. */
  threshold?: number;
}

/** Regression part of a {@link MetricsReport}. */
export interface RegressionSection {
  outputs: number;
  /** Per-output values when there are several outputs. */
  perOutput?: { mse: number[]; mae: number[]; r2: number[] };
  residuals: { mean: number; std: number; min: number; max: number };
}

/** The metrics report payload of `evaluate()`. */
export interface MetricsReport {
  version: 1;
  task: EvaluationTask;
  nSamples: number;
  /**
   * Headline metrics by name, e.g. accuracy, balancedAccuracy, f1Macro, f1Weighted,
   * matthewsCorrcoef, cohenKappa, rocAuc, averagePrecision, logLoss, brierScore, top2Accuracy
   * (classification) or mse, rmse, mae, mape, r2, explainedVariance (regression).
   */
  summary: Record<string, number>;
  classification?: ClassificationSection;
  regression?: RegressionSection;
  /** Notes about choices made (e.g. how labels were derived from scores). */
  notes: string[];
}
