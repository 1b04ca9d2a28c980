/** `plot(figure)`: display any plotly figure with static fallbacks where they can be drawn. */
import { type Figure, makeFigure } from "./figure";
import type { PlotlyFigure } from "./plotly";

/**
 * Wraps any plotly figure `{ data, layout }` for display: the plotly JSON plus, best effort,
 * a static SVG/PNG. Static fallbacks exist for scatter (lines/markers), bar, heatmap and
 * histogram traces; figures with other trace types (pie, 3-D, maps, …) get text/plain only.
 * @example display(await plot({ data: [{ type: "bar", x: ["a", "b"], y: [3, 5] }] }))
 */
export async function plot(figure: PlotlyFigure, options: { static?: boolean } = {}): Promise<Figure> {
  if (!figure || !Array.isArray(figure.data)) throw new Error("figure: expected a plotly figure { data: [...traces], layout? }");
  return makeFigure(figure, { static: options.static });
}
