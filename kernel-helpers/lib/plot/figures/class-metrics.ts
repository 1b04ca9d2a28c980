/** Per-class bar chart of precision, recall and F1. */
import type { LabelsLike } from "../../metrics/input";
import { type ClassificationReportDict, type ClassificationReportOptions, type ReportRow, classificationReportBoth } from "../../metrics/classification/report";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";

const AVERAGE_KEYS = new Set(["accuracy", "micro avg", "macro avg", "weighted avg", "samples avg"]);

/**
 * Grouped bars of precision, recall and F1 per class, from labels (yTrue, yPred) or from a
 * `classificationReport(..., { outputDict: true })` object.
 */
export async function plotClassMetrics(
  yTrueOrReport: LabelsLike | ClassificationReportDict,
  yPred?: LabelsLike,
  options: FigureOptions & Omit<ClassificationReportOptions, "outputDict" | "digits"> = {},
): Promise<Figure> {
  let report: ClassificationReportDict;
  if (yPred === undefined) {
    if (typeof yTrueOrReport !== "object" || yTrueOrReport === null || "length" in (yTrueOrReport as object))
      throw new Error("yPred: required unless a classification report object is given");
    report = yTrueOrReport as ClassificationReportDict;
  } else report = classificationReportBoth(yTrueOrReport as LabelsLike, yPred, options).dict;
  const classes = Object.keys(report).filter((k) => !AVERAGE_KEYS.has(k));
  const rows = classes.map((k) => report[k] as ReportRow);
  const metrics = ["precision", "recall", "f1-score"] as const;
  const traces = metrics.map((m, i) => ({
    type: "bar",
    name: m,
    x: classes,
    y: rows.map((r) => r[m]),
    marker: { color: colorAt(i) },
  }));
  const fig = {
    data: traces,
    layout: {
      ...baseLayout({ width: Math.min(1000, Math.max(480, 120 + classes.length * 60)), ...options }, "Per-class metrics"),
      barmode: "group",
      xaxis: { title: { text: "class" }, type: "category" },
      yaxis: { title: { text: "score" }, range: [0, 1] as [number, number] },
    },
  };
  const text = ["<Per-class metrics>", ...classes.map((c, i) => `  ${c}: precision=${rows[i].precision.toFixed(3)} recall=${rows[i].recall.toFixed(3)} f1=${rows[i]["f1-score"].toFixed(3)}`)];
  return makeFigure(fig, { static: options.static, text: text.join("\n") });
}
