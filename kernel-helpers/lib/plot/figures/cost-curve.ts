/** Expected cost per sample against the decision threshold, with the cheapest threshold marked. */
import type { CostThreshold } from "../../metrics/ranking/cost-threshold";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";

/** Draws the costs of a {@link costThreshold} result (finite thresholds only). */
export async function plotCostCurve(result: CostThreshold, options: FigureOptions & { costLabel?: string } = {}): Promise<Figure> {
  const x: number[] = [];
  const y: number[] = [];
  result.thresholds.forEach((t, i) => {
    if (Number.isFinite(t)) {
      x.push(t);
      y.push(result.costs[i]);
    }
  });
  const label = options.costLabel ?? "Mean cost per sample";
  const fig = {
    data: [
      { type: "scatter" as const, mode: "lines" as const, name: "cost", x, y, line: { color: colorAt(0), shape: "linear" as const } },
      {
        type: "scatter" as const,
        mode: "markers" as const,
        name: `cheapest: t = ${result.threshold.toFixed(3)}, cost ${result.cost.toFixed(3)}`,
        x: [result.threshold],
        y: [result.cost],
        marker: { color: colorAt(1), size: 12 },
      },
    ],
    layout: {
      ...baseLayout(options, "Cost by decision threshold"),
      showlegend: true,
      xaxis: { title: { text: "Threshold (predict positive when score ≥ t)" } },
      yaxis: { title: { text: label } },
    },
  };
  return makeFigure(fig, { static: options.static, text: `<Cost curve; cheapest threshold ${result.threshold.toFixed(4)} with mean cost ${result.cost.toFixed(4)}>` });
}
