/** Offline prediction with a bundle: validate raw rows, apply the pipeline, run the model. */
import type { Tensor } from "@tensorflow/tfjs";
import type { DataFrame } from "../../data/polars";
import { isNumericDtype, pl } from "../../data/polars";
import { ensureBackend } from "../../train/backend/ladder";
import { tfjs } from "../../train/tf";
import type { Bundle } from "./bundle";
import { InputError, inputErrorOf, rowsToFrame, validateRows, fillableFeatures } from "./schema";

/** One prediction. */
export interface Prediction {
  /** Class name (or index when the bundle has no label names); absent for regression. */
  label?: string | number;
  /** Class index (classification / binary). */
  index?: number;
  /** Class probabilities (classification; binary: [p(0), p(1)]). */
  probabilities?: number[];
  /** Predicted value(s) (regression). */
  value?: number | number[];
}

/** Options of {@link predict}. */
export interface PredictOptions {
  /** Refuse more rows than this (default unlimited). */
  maxRows?: number;
}

function isFrame(v: unknown): v is DataFrame {
  return typeof v === "object" && v !== null && Array.isArray((v as DataFrame).columns) && typeof (v as DataFrame).toRecords === "function";
}

/** A model input block: `data` is row-major [rows, ...bundle.inputShape]. */
export interface BundleInputs {
  data: Float32Array;
  shape: number[];
}

/**
 * The model input for raw rows: validated against the schema, through the pipeline, then either
 * the encoder (rows it cannot encode → {@link InputError} naming the row and column) or the input
 * columns as a matrix, reshaped to the model's input shape.
 */
export function bundleInputs(bundle: Bundle, rows: unknown, options: PredictOptions = {}): BundleInputs {
  let frame: DataFrame;
  if (isFrame(rows)) {
    const missing = bundle.schema.features.filter((f) => !rows.columns.includes(f.name)).map((f) => f.name);
    if (missing.length) throw new InputError(`invalid input: missing feature(s) ${missing.map((m) => JSON.stringify(m)).join(", ")}`);
    frame = rows.select(...bundle.schema.features.map((f) => f.name));
  } else {
    frame = rowsToFrame(validateRows(rows, bundle.schema, { ...options, allowMissing: fillableFeatures(bundle.pipeline) }), bundle.schema);
  }
  let out: DataFrame;
  try {
    out = bundle.pipeline ? bundle.pipeline.transform(frame) : frame;
  } catch (e) {
    throw new InputError(`cannot prepare the input: ${(e as Error).message}`, [], 422);
  }
  if (bundle.encoder) return encoded(bundle, out);
  // Straight column reads (toMatrix's checks cost ~20 ms a call, too much per request).
  const n = out.height;
  const cols = bundle.inputColumns.length;
  const data = new Float32Array(n * cols);
  bundle.inputColumns.forEach((c, j) => {
    if (!out.columns.includes(c)) throw new InputError(`cannot prepare the input: no column "${c}" after the pipeline`, [], 422);
    const series = out.getColumn(c);
    const values = (isNumericDtype(series.dtype) ? series.toTypedArray() : series.cast(pl.Float64).toArray()) as ArrayLike<number | null>;
    const nulls = series.nullCount();
    for (let i = 0, p = j; i < n; i++, p += cols) {
      const v = values[i];
      if (v === null || (nulls > 0 && series.get(i) === null) || !Number.isFinite(v)) {
        throw new InputError(`cannot prepare the input: row ${i}: column "${c}" is missing or not finite after the pipeline`, [], 422);
      }
      data[p] = v;
    }
  });
  return { data, shape: [n, ...bundle.inputShape] };
}

/** Rows through the bundle's encoder; what it cannot encode is refused with every problem listed. */
function encoded(bundle: Bundle, frame: DataFrame): BundleInputs {
  const encoder = bundle.encoder!;
  let problems: string[];
  try {
    problems = encoder.check(frame);
  } catch (e) {
    throw new InputError(`cannot prepare the input: ${(e as Error).message}`, [], 422);
  }
  if (problems.length) throw inputErrorOf(problems);
  const { data } = encoder.encode(frame);
  return { data, shape: [frame.height, ...bundle.inputShape] };
}

/** Converts model outputs to predictions. */
export function toPredictions(bundle: Bundle, out: Float32Array, rows: number): Prediction[] {
  const k = rows ? out.length / rows : 0;
  const preds: Prediction[] = [];
  for (let i = 0; i < rows; i++) {
    const o = Array.from(out.subarray(i * k, (i + 1) * k));
    if (bundle.task === "regression") preds.push({ value: k === 1 ? o[0] : o });
    else if (bundle.task === "binary") {
      const index = o[0] > 0.5 ? 1 : 0;
      preds.push({ label: bundle.labels?.[index] ?? index, index, probabilities: [1 - o[0], o[0]] });
    } else {
      let index = 0;
      for (let j = 1; j < k; j++) if (o[j] > o[index]) index = j;
      preds.push({ label: bundle.labels?.[index] ?? index, index, probabilities: o });
    }
  }
  return preds;
}

/**
 * Predicts raw rows (objects keyed by feature name, arrays in schema order, or a Polars frame)
 * with a bundle, offline. Invalid rows throw an {@link InputError} naming the row and feature.
 * ```ts
 * const [p] = await predict(bundle, [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]);
 * p.label; // "setosa"
 * ```
 */
export async function predict(bundle: Bundle, rows: unknown, options: PredictOptions = {}): Promise<Prediction[]> {
  await ensureBackend();
  const tf = tfjs();
  const { data, shape } = bundleInputs(bundle, rows, options);
  const x = tf.tensor(data, shape);
  try {
    const y = bundle.model.predict(x) as Tensor;
    const out = (await y.data()) as Float32Array;
    y.dispose();
    return toPredictions(bundle, out, shape[0]);
  } finally {
    x.dispose();
  }
}
