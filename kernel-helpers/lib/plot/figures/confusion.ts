/** Confusion matrix heatmap. */
import type { Label, LabelsLike } from "../../metrics/input";
import { type ConfusionMatrixOptions, labeledConfusionMatrix } from "../../metrics/classification/confusion-matrix";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";

/** A precomputed confusion matrix to draw. */
export interface ConfusionMatrixData {
  matrix: readonly (readonly number[])[];
  labels: readonly Label[];
}

/** Options of {@link plotConfusionMatrix}. */
export interface PlotConfusionOptions extends FigureOptions, ConfusionMatrixOptions {
  /** Display names for the labels. */
  targetNames?: readonly string[];
}

function isMatrixData(x: unknown): x is ConfusionMatrixData {
  return typeof x === "object" && x !== null && Array.isArray((x as ConfusionMatrixData).matrix);
}

/** Formats a cell: counts as integers, normalized values with 2 decimals. */
function cellText(v: number, normalized: boolean): string {
  if (!normalized && Number.isInteger(v)) return String(v);
  return v.toFixed(2);
}

/**
 * Heatmap of the confusion matrix (rows: true label, columns: predicted), with the count
 * (or the normalized rate) written in each cell.
 * @example display(await plotConfusionMatrix(yTrue, yPred, { normalize: "true" }))
 */
export async function plotConfusionMatrix(
  yTrue: LabelsLike | ConfusionMatrixData,
  yPred?: LabelsLike,
  options: PlotConfusionOptions = {},
): Promise<Figure> {
  let data: ConfusionMatrixData;
  if (isMatrixData(yTrue)) data = yTrue;
  else {
    if (yPred === undefined) throw new Error("yPred: required unless a { matrix, labels } object is given");
    data = labeledConfusionMatrix(yTrue, yPred, options);
  }
  const names = (options.targetNames ?? data.labels.map(String)).map(String);
  if (names.length !== data.matrix.length)
    throw new Error(`targetNames: ${names.length} names for a ${data.matrix.length}×${data.matrix.length} matrix`);
  const normalized = !!options.normalize;
  const text = data.matrix.map((row) => row.map((v) => cellText(v, normalized)));
  const size = Math.min(720, Math.max(360, 60 + names.length * 42));
  const fig = {
    data: [
      {
        type: "heatmap",
        z: data.matrix.map((r) => [...r]),
        x: names,
        y: names,
        text,
        texttemplate: "%{text}",
        colorscale: "Blues",
        // plotly's Blues starts dark at the lowest value; reversed, large counts are dark (as in sklearn).
        reversescale: true,
        hovertemplate: "true %{y}<br>predicted %{x}<br>%{text}<extra></extra>",
        name: "confusion matrix",
      },
    ],
    layout: {
      ...baseLayout({ width: size + 80, height: size, ...options }, normalized ? `Confusion matrix (normalized over ${options.normalize})` : "Confusion matrix"),
      xaxis: { title: { text: "Predicted label" }, type: "category", side: "bottom" },
      yaxis: { title: { text: "True label" }, type: "category", autorange: "reversed" },
    },
  };
  const w = Math.max(...names.map((n) => n.length), 4);
  const lines = [
    `<Confusion matrix${normalized ? ` (normalize=${options.normalize})` : ""}; rows: true, columns: predicted>`,
    " ".repeat(w) + names.map((n) => " " + n.padStart(Math.max(6, n.length))).join(""),
    ...data.matrix.map((row, i) => names[i].padStart(w) + row.map((v, j) => " " + cellText(v, normalized).padStart(Math.max(6, names[j].length))).join("")),
  ];
  return makeFigure(fig, { static: options.static, text: lines.join("\n") });
}
