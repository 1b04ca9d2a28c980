/**
 * The classification report: per-label precision, recall, F1 and support plus the averages,
 * as text laid out exactly like sklearn's `classification_report`, or as a structured object.
 */
import type { Label, LabelsLike, TensorLike } from "../input";
import { toWeights } from "../input";
import { checkTargets } from "../labels";
import { sum } from "../math";
import { padStart, pyFixed, pyFloat } from "../format";
import { labelCounts } from "./label-counts";
import { type ZeroDivision, checkZeroDivision, scoresFromCounts } from "./precision-recall-f";

/** One row of the report. */
export interface ReportRow {
  precision: number;
  recall: number;
  "f1-score": number;
  support: number;
}

/**
 * sklearn's `output_dict` form: one entry per label name, then "accuracy" (a number, when micro
 * average equals accuracy) or "micro avg", "macro avg", "weighted avg" (and "samples avg").
 */
export type ClassificationReportDict = Record<string, ReportRow | number>;

/** Options of {@link classificationReport} (sklearn's keyword arguments in camelCase). */
export interface ClassificationReportOptions {
  /** Labels to report, in order (default: all labels in yTrue and yPred, sorted). */
  labels?: readonly Label[];
  /** Display names matching the labels. */
  targetNames?: readonly string[];
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Decimals in the text (default 2). */
  digits?: number;
  /** Return the object instead of the text. */
  outputDict?: boolean;
  zeroDivision?: ZeroDivision;
}

/** Report text and object together (used by `evaluate`). */
export interface ClassificationReportBoth {
  text: string;
  dict: ClassificationReportDict;
  /** The report's labels and their display names, in row order. */
  labels: Label[];
  names: string[];
}

/**
 * Text summary of precision, recall, F1 and support per class, identical in layout to
 * sklearn's `classification_report`; `{ outputDict: true }` returns the object form.
 * @example console.log(classificationReport(yTrue, yPred, { targetNames: ["cat", "dog"] }))
 */
export function classificationReport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: ClassificationReportOptions & { outputDict: true },
): ClassificationReportDict;
/** The classification report as text, laid out exactly like sklearn's. */
export function classificationReport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options?: ClassificationReportOptions & { outputDict?: false },
): string;
export function classificationReport(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: ClassificationReportOptions = {},
): string | ClassificationReportDict {
  const r = classificationReportBoth(yTrue, yPred, options);
  return options.outputDict ? r.dict : r.text;
}

/** Computes the report once and returns both the text and the object. */
export function classificationReportBoth(
  yTrue: LabelsLike,
  yPred: LabelsLike,
  options: ClassificationReportOptions = {},
): ClassificationReportBoth {
  const zero = options.zeroDivision ?? "warn";
  checkZeroDivision(zero);
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0) throw new Error(`digits: must be a non-negative integer, got ${digits}`);
  const t = checkTargets(yTrue, yPred);
  const weight = toWeights(options.sampleWeight as ArrayLike<number> | undefined, t.n);
  const labelsGiven = options.labels !== undefined;
  const labels: Label[] = labelsGiven ? [...options.labels!] : [...t.present];
  const present = new Set<Label>(t.present);
  const microIsAccuracy =
    t.type !== "multilabel-indicator" &&
    (!labelsGiven || (new Set(labels).size === present.size && labels.every((l) => present.has(l))));
  let names: string[];
  if (options.targetNames !== undefined) {
    if (options.targetNames.length !== labels.length && !labelsGiven)
      throw new Error(
        `targetNames: number of classes, ${labels.length}, does not match size of targetNames, ${options.targetNames.length}. Try specifying the labels parameter`,
      );
    names = [...options.targetNames];
  } else names = labels.map(String);
  const counts = labelCounts(t, labels, weight);
  const per = scoresFromCounts(counts, null, zero, 1, weight) as {
    precision: number[];
    recall: number[];
    fscore: number[];
    support: number[];
  };
  // Float supports print as Python floats ("12.0") when weights are given, like numpy's float64.
  const fmtSupport = (s: number) => (weight ? pyFloat(s) : String(s));
  const dict: ClassificationReportDict = {};
  const rows = Math.min(names.length, labels.length);
  for (let i = 0; i < rows; i++)
    dict[names[i]] = { precision: per.precision[i], recall: per.recall[i], "f1-score": per.fscore[i], support: per.support[i] };
  const width = Math.max(...names.map((n) => [...n].length), "weighted avg".length, digits);
  const headers = ["precision", "recall", "f1-score", "support"];
  let text = padStart("", width) + " " + headers.map((h) => " " + padStart(h, 9)).join("") + "\n\n";
  const row = (name: string, p: number, r: number, f: number, s: number) =>
    padStart(name, width) +
    " " +
    [p, r, f].map((v) => " " + padStart(pyFixed(v, digits), 9)).join("") +
    " " +
    padStart(fmtSupport(s), 9) +
    "\n";
  for (let i = 0; i < rows; i++) text += row(names[i], per.precision[i], per.recall[i], per.fscore[i], per.support[i]);
  text += "\n";
  const totalSupport = sum(per.support);
  const averages = t.type === "multilabel-indicator" ? (["micro", "macro", "weighted", "samples"] as const) : (["micro", "macro", "weighted"] as const);
  for (const avg of averages) {
    const heading = avg === "micro" && microIsAccuracy ? "accuracy" : `${avg} avg`;
    const c = avg === "samples" ? labelCounts(t, labels, weight, true) : counts;
    const a = scoresFromCounts(c, avg, zero, 1, weight) as { precision: number; recall: number; fscore: number };
    if (heading === "accuracy") {
      dict.accuracy = a.precision;
      text +=
        padStart(heading, width) + " " + " " + padStart("", 9) + " " + padStart("", 9) + " " + padStart(pyFixed(a.fscore, digits), 9) + " " + padStart(fmtSupport(totalSupport), 9) + "\n";
    } else {
      dict[heading] = { precision: a.precision, recall: a.recall, "f1-score": a.fscore, support: totalSupport };
      text += row(heading, a.precision, a.recall, a.fscore, totalSupport);
    }
  }
  return { text, dict, labels, names };
}
