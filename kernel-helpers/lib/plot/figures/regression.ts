/** Regression diagnostics: predicted vs actual, and residuals. */
import type { NumbersLike } from "../../metrics/input";
import { toVector } from "../../metrics/input";
import { r2Score } from "../../metrics/regression/r2";
import { type Figure, type FigureOptions, baseLayout, makeFigure } from "../figure";
import { colorAt } from "../palette";

/** Plotly JSON keeps at most this many points (evenly subsampled beyond, for notebook size). */
export const MAX_SCATTER_POINTS = 20000;

function sample(a: Float64Array, b: Float64Array): [number[], number[]] {
  const step = Math.max(1, Math.ceil(a.length / MAX_SCATTER_POINTS));
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < a.length; i += step) {
    x.push(a[i]);
    y.push(b[i]);
  }
  return [x, y];
}

function pair(yTrue: NumbersLike, yPred: NumbersLike): [Float64Array, Float64Array] {
  const t = toVector(yTrue, "yTrue");
  const p = toVector(yPred, "yPred");
  if (t.length !== p.length) throw new Error(`yTrue, yPred: found input variables with inconsistent numbers of samples: [${t.length}, ${p.length}]`);
  if (t.length === 0) throw new Error("yTrue: no samples to plot");
  return [t, p];
}

/** Scatter of predicted against actual values with the identity line y = x and R² in the title. */
export async function plotPredictedVsActual(yTrue: NumbersLike, yPred: NumbersLike, options: FigureOptions = {}): Promise<Figure> {
  const [t, p] = pair(yTrue, yPred);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...t, ...p]) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const r2 = t.length >= 2 ? (r2Score(t, p) as number) : NaN;
  const [x, y] = sample(t, p);
  const fig = {
    data: [
      { type: "scatter", mode: "markers", name: "samples", x, y, marker: { color: colorAt(0), size: 5, opacity: 0.6 } },
      { type: "scatter", mode: "lines", name: "y = x", x: [lo, hi], y: [lo, hi], line: { color: "#999999", dash: "dash", width: 1 } },
    ],
    layout: {
      ...baseLayout(options, `Predicted vs actual (R² = ${r2.toFixed(3)})`),
      xaxis: { title: { text: "actual" } },
      yaxis: { title: { text: "predicted" } },
    },
  };
  return makeFigure(fig, { static: options.static, text: `<Predicted vs actual: ${t.length} samples, R²=${r2.toFixed(4)}>` });
}

/** Residuals (actual − predicted) against predicted values, with the zero line. */
export async function plotResiduals(yTrue: NumbersLike, yPred: NumbersLike, options: FigureOptions = {}): Promise<Figure> {
  const [t, p] = pair(yTrue, yPred);
  const res = t.map((v, i) => v - p[i]);
  let lo = Infinity;
  let hi = -Infinity;
  let ss = 0;
  for (let i = 0; i < p.length; i++) {
    lo = Math.min(lo, p[i]);
    hi = Math.max(hi, p[i]);
    ss += res[i] * res[i];
  }
  const [x, y] = sample(p, res);
  const fig = {
    data: [
      { type: "scatter", mode: "markers", name: "residuals", x, y, marker: { color: colorAt(1), size: 5, opacity: 0.6 } },
      { type: "scatter", mode: "lines", name: "zero", x: [lo, hi], y: [0, 0], line: { color: "#999999", dash: "dash", width: 1 } },
    ],
    layout: {
      ...baseLayout(options, "Residuals"),
      xaxis: { title: { text: "predicted" } },
      yaxis: { title: { text: "actual − predicted" } },
    },
  };
  return makeFigure(fig, { static: options.static, text: `<Residuals: ${t.length} samples, RMSE=${Math.sqrt(ss / t.length).toFixed(4)}>` });
}
