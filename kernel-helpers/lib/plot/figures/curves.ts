/** ROC and precision-recall curve figures (binary, or one-vs-rest per class). */
import type { Label, LabelsLike, NumbersLike, TensorLike } from "../../metrics/input";
import { toLabelColumn, toMatrix } from "../../metrics/input";
import { uniqueLabels } from "../../metrics/labels";
import { auc } from "../../metrics/ranking/auc";
import { averagePrecisionScore } from "../../metrics/ranking/average-precision";
import { precisionRecallCurve } from "../../metrics/ranking/precision-recall-curve";
import { rocCurve } from "../../metrics/ranking/roc";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";
import type { PlotlyTrace } from "../plotly";
import { thinCurve } from "../thin-curve";

/** Options of {@link plotRocCurve} and {@link plotPrecisionRecallCurve}. */
export interface PlotCurveOptions extends FigureOptions {
  /** Positive class of a binary problem (default: the greater label). */
  posLabel?: Label;
  /** Class labels in score-column order, for n×k scores (default: sorted labels of yTrue). */
  labels?: readonly Label[];
  /** Display names of the classes. */
  targetNames?: readonly string[];
  sampleWeight?: ArrayLike<number> | TensorLike;
  /** Points drawn per curve at most, roughly (default 500; areas use every point). */
  maxPoints?: number;
}

/** One binary problem per curve: a 0/1 target and its scores. */
interface Problem {
  name: string;
  y: Float64Array;
  score: Float64Array;
}

/** Splits the input into binary problems: one for 1-D (or n×2) scores, one per class (one-vs-rest) for n×k. */
export function binaryProblems(yTrue: LabelsLike, yScore: NumbersLike, options: PlotCurveOptions): Problem[] {
  const col = toLabelColumn(yTrue, "yTrue");
  const S = toMatrix(yScore, "yScore");
  if (S.rows !== col.data.length)
    throw new Error(`yTrue, yScore: found input variables with inconsistent numbers of samples: [${col.data.length}, ${S.rows}]`);
  const present = uniqueLabels([col]);
  const classes = options.labels ? [...options.labels] : present;
  const names = options.targetNames ?? classes.map(String);
  const data = col.data as ArrayLike<Label>;
  if (S.cols <= 2) {
    const pos = options.posLabel ?? classes[classes.length - 1];
    const score = S.cols === 2 ? Float64Array.from({ length: S.rows }, (_, i) => S.data[i * 2 + 1]) : S.data;
    const y = Float64Array.from({ length: S.rows }, (_, i) => (data[i] === pos ? 1 : 0));
    const idx = classes.indexOf(pos);
    return [{ name: names[idx] ?? String(pos), y, score }];
  }
  if (classes.length !== S.cols)
    throw new Error(`yScore: has ${S.cols} columns but there are ${classes.length} classes; pass options.labels in column order`);
  return classes.map((c, j) => ({
    name: String(names[j] ?? c),
    y: Float64Array.from({ length: S.rows }, (_, i) => (data[i] === c ? 1 : 0)),
    score: Float64Array.from({ length: S.rows }, (_, i) => S.data[i * S.cols + j]),
  }));
}

function hasBothClasses(y: Float64Array): boolean {
  let pos = 0;
  for (const v of y) pos += v;
  return pos > 0 && pos < y.length;
}

/**
 * ROC curve with its AUC: one curve for a binary problem, or one-vs-rest curves per class for
 * n×k scores. The chance diagonal is drawn dashed.
 */
export async function plotRocCurve(yTrue: LabelsLike, yScore: NumbersLike, options: PlotCurveOptions = {}): Promise<Figure> {
  const traces: PlotlyTrace[] = [];
  const summary: string[] = [];
  binaryProblems(yTrue, yScore, options).forEach((p, i) => {
    if (!hasBothClasses(p.y)) return;
    const r = rocCurve(p.y, p.score, { sampleWeight: options.sampleWeight });
    const a = auc(r.fpr, r.tpr);
    summary.push(`${p.name}: AUC=${a.toFixed(4)}`);
    const t = thinCurve(r.fpr, r.tpr, options.maxPoints);
    traces.push({ type: "scatter", mode: "lines", name: `${p.name} (AUC = ${a.toFixed(3)})`, x: t.x, y: t.y, line: { color: colorAt(i), shape: "linear" } });
  });
  if (traces.length === 0) throw new Error("yTrue: needs both positive and negative samples for a ROC curve");
  traces.push({ type: "scatter", mode: "lines", name: "chance", x: [0, 1], y: [0, 1], line: { color: "#999999", dash: "dash", width: 1 } });
  const fig = {
    data: traces,
    layout: {
      ...baseLayout(options, "ROC curve"),
      showlegend: true,
      xaxis: { title: { text: "False positive rate" }, range: [0, 1] as [number, number] },
      yaxis: { title: { text: "True positive rate" }, range: [0, 1.02] as [number, number] },
    },
  };
  return makeFigure(fig, { static: options.static, text: `<ROC curve; ${summary.join(", ")}>` });
}

/** Precision-recall curve (step) with average precision, binary or one-vs-rest per class. */
export async function plotPrecisionRecallCurve(yTrue: LabelsLike, yScore: NumbersLike, options: PlotCurveOptions = {}): Promise<Figure> {
  const traces: PlotlyTrace[] = [];
  const summary: string[] = [];
  binaryProblems(yTrue, yScore, options).forEach((p, i) => {
    if (!hasBothClasses(p.y)) return;
    const c = precisionRecallCurve(p.y, p.score, { sampleWeight: options.sampleWeight });
    const ap = averagePrecisionScore(p.y, p.score, { sampleWeight: options.sampleWeight }) as number;
    summary.push(`${p.name}: AP=${ap.toFixed(4)}`);
    const t = thinCurve(c.recall, c.precision, options.maxPoints);
    traces.push({ type: "scatter", mode: "lines", name: `${p.name} (AP = ${ap.toFixed(3)})`, x: t.x, y: t.y, line: { color: colorAt(i), shape: "hv" } });
  });
  if (traces.length === 0) throw new Error("yTrue: needs both positive and negative samples for a precision-recall curve");
  const fig = {
    data: traces,
    layout: {
      ...baseLayout(options, "Precision-recall curve"),
      showlegend: true,
      xaxis: { title: { text: "Recall" }, range: [0, 1] as [number, number] },
      yaxis: { title: { text: "Precision" }, range: [0, 1.02] as [number, number] },
    },
  };
  return makeFigure(fig, { static: options.static, text: `<Precision-recall curve; ${summary.join(", ")}>` });
}
