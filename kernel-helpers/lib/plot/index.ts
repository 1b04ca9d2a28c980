// Public API of the plot area: re-exports only.
export type { PlotlyFigure, PlotlyTrace, PlotlyLayout, PlotlyAxis } from "./plotly";
export { Figure, makeFigure, describeFigure } from "./figure";
export type { FigureOptions } from "./figure";
export { plot } from "./plot";
export { plotlyToVegaLite, UnsupportedFigureError, STATIC_MAX_POINTS } from "./plotly-to-vega-lite";
export { renderVegaLite, vegaLiteToSvg, svgToPng } from "./vega-static";
export type { StaticImage, VegaLiteSpec } from "./vega-static";
export * from "./figures/training-curves";
export * from "./figures/confusion";
export { plotRocCurve, plotPrecisionRecallCurve } from "./figures/curves";
export type { PlotCurveOptions } from "./figures/curves";
export * from "./figures/class-metrics";
export { plotHistogram } from "./figures/histogram";
export type { HistogramOptions } from "./figures/histogram";
export * from "./figures/regression";
export * from "./figures/image-grid";
export { plotCalibrationCurve, type PlotCalibrationOptions } from "./figures/calibration";
export { plotCostCurve } from "./figures/cost-curve";
