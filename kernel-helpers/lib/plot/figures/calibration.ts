/** Reliability diagram: observed positive rate against mean predicted probability, per bin. */
import type { Label, LabelsLike, NumbersLike } from "../../metrics/input";
import { calibrationCurve } from "../../metrics/classification/calibration-curve";
import { brierScoreLoss } from "../../metrics/classification/probabilistic";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";
import type { PlotlyTrace } from "../plotly";

/** Options of {@link plotCalibrationCurve}. */
export interface PlotCalibrationOptions extends FigureOptions {
  nBins?: number;
  strategy?: "uniform" | "quantile";
  posLabel?: Label;
}

/**
 * One reliability curve per model (pass `{ name: probabilities }` to compare several), with the
 * Brier score in the legend and the perfectly calibrated diagonal dashed.
 */
export async function plotCalibrationCurve(
  yTrue: LabelsLike,
  yProb: NumbersLike | Record<string, NumbersLike>,
  options: PlotCalibrationOptions = {},
): Promise<Figure> {
  const models: Array<[string, NumbersLike]> =
    typeof yProb === "object" && yProb !== null && !Array.isArray(yProb) && !ArrayBuffer.isView(yProb) && !("shape" in yProb)
      ? Object.entries(yProb as Record<string, NumbersLike>)
      : [["model", yProb as NumbersLike]];
  const traces: PlotlyTrace[] = [];
  const summary: string[] = [];
  models.forEach(([name, p], i) => {
    const c = calibrationCurve(yTrue, p, { nBins: options.nBins ?? 10, strategy: options.strategy, posLabel: options.posLabel });
    const brier = brierScoreLoss(yTrue, p, { posLabel: options.posLabel });
    summary.push(`${name}: Brier=${brier.toFixed(4)}`);
    traces.push({
      type: "scatter",
      mode: "lines+markers",
      name: `${name} (Brier = ${brier.toFixed(3)})`,
      x: Array.from(c.probPred),
      y: Array.from(c.probTrue),
      line: { color: colorAt(i), shape: "linear" },
    });
  });
  traces.push({ type: "scatter", mode: "lines", name: "perfectly calibrated", x: [0, 1], y: [0, 1], line: { color: "#999999", dash: "dash", width: 1 } });
  const fig = {
    data: traces,
    layout: {
      ...baseLayout(options, "Calibration (reliability diagram)"),
      showlegend: true,
      xaxis: { title: { text: "Mean predicted probability" }, range: [0, 1] as [number, number] },
      yaxis: { title: { text: "Fraction of positives" }, range: [0, 1.02] as [number, number] },
    },
  };
  return makeFigure(fig, { static: options.static, text: `<Calibration curve; ${summary.join(", ")}>` });
}
