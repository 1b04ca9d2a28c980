/** A model bundle: the tfjs model plus everything needed to use it on raw rows. */
import type { LayersModel } from "@tensorflow/tfjs";
import type { DataFrame } from "../../data/polars";
import type { Pipeline } from "../../data/pipeline/pipeline";
import type { TensorEncoder } from "../../data/features/tensor-encoder";
import { REPR } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import { schemaFromFrame, type InputSchema } from "./schema";

/** What the model predicts. */
export type BundleTask = "classification" | "binary" | "regression";

/** A deployable model: model + fitted preprocessing + label names + metadata + metrics. */
export interface Bundle {
  /** Model name (the folder name by default); used to group predictions and feedback. */
  name: string;
  /** 1, 2, … (0 until saved). */
  version: number;
  task: BundleTask;
  model: LayersModel;
  /** Fitted preprocessing applied to raw rows before the model. */
  pipeline?: Pipeline;
  /** Raw input features (names, types, order) — what requests are validated against. */
  schema: InputSchema;
  /** Columns (after the pipeline) that form the model's input, in order (with an encoder: the columns it reads). */
  inputColumns: string[];
  /**
   * Fitted encoder from the (piped) rows to the model's input block [n, ...inputShape], for models
   * that do not take a flat row of numbers (e.g. `SequenceOneHot`: DNA windows → [n, 60, 4]).
   */
  encoder?: TensorEncoder;
  /**
   * Shape of one model input (no batch axis): the encoder's row shape, else the model's own input
   * shape when it is not flat (the input columns are reshaped to it, e.g. 100 columns → [100, 1]),
   * else [inputColumns.length].
   */
  inputShape: number[];
  /** Class names (index → name) for classification. */
  labels?: string[];
  /** Name of the target column in training data. */
  target?: string;
  metadata: Record<string, unknown>;
  metrics: Record<string, number>;
  createdAt: string;
  /** Folder it was saved to / loaded from. */
  dir?: string;
  /** Root folder holding its versions (v1, v2, … and current.json). */
  root?: string;
}

/** Options of {@link createBundle}. */
export interface CreateBundleOptions {
  model: LayersModel;
  /** Fitted pipeline (optional: without one, raw numeric features go straight to the model). */
  pipeline?: Pipeline;
  /** Fitted encoder that turns the (piped) rows into the model's input block, e.g. a `SequenceOneHot` fitted on the sequence column. */
  encoder?: TensorEncoder;
  /** Training features (raw, before the pipeline): the input schema is taken from it. */
  features: DataFrame;
  /** Target column to leave out of the schema, if `features` still holds it. */
  target?: string;
  /** Columns after the pipeline that the model was trained on (default: all but the target; with an encoder: the columns it reads). */
  inputColumns?: string[];
  labels?: string[];
  name?: string;
  task?: BundleTask;
  metadata?: Record<string, unknown>;
  metrics?: Record<string, number>;
}

/** The task from the output layer: softmax → classification, one sigmoid → binary, else regression. */
export function taskOf(model: LayersModel): BundleTask {
  const last = model.layers[model.layers.length - 1];
  const act = (last.getConfig() as { activation?: string }).activation;
  if (act === "softmax") return "classification";
  if (act === "sigmoid") return "binary";
  return "regression";
}

/**
 * Assembles a bundle from a trained model, its fitted pipeline and the raw training features.
 * ```ts
 * const b = createBundle({ model, pipeline: prep, features: train, target: "species", labels: ["setosa", "versicolor", "virginica"] });
 * await saveBundle(b, "models/iris");
 * ```
 */
export function createBundle(options: CreateBundleOptions): Bundle {
  const exclude = options.target ? [options.target] : [];
  const schema = schemaFromFrame(options.features, exclude);
  const { encoder } = options;
  // Column names after the pipeline, from one transformed row.
  const afterColumns = () => {
    const raw = options.features.select(...schema.features.map((f) => f.name)).head(1);
    return (options.pipeline ? options.pipeline.transform(raw) : raw).columns;
  };
  let inputColumns = options.inputColumns;
  if (!inputColumns) inputColumns = encoder ? encoder.columns : afterColumns().filter((c) => !exclude.includes(c));
  const modelShape = options.model.inputs[0].shape.slice(1);
  let inputShape: number[];
  if (encoder) {
    if (!encoder.fitted) throw new Error(`createBundle: the ${encoder.kind} encoder is not fitted; fit it on the training rows first`);
    if (encoder.columns.length === 0) throw new Error(`createBundle: the ${encoder.kind} encoder does not know which column it reads; give it the column, e.g. new SequenceOneHot({ column: "sequence" }), and fit it on the training frame`);
    const have = afterColumns();
    const missing = encoder.columns.filter((c) => !have.includes(c));
    if (missing.length) throw new Error(`createBundle: the ${encoder.kind} encoder reads column(s) ${missing.map((c) => JSON.stringify(c)).join(", ")}, not in the ${options.pipeline ? "pipeline's output" : "features"} (${have.join(", ")})`);
    inputShape = [...encoder.rowShape];
    const fits = modelShape.length === inputShape.length && modelShape.every((d, i) => d === null || d === inputShape[i]);
    if (!fits) throw new Error(`createBundle: the model takes inputs of shape [${modelShape.join(", ")}] but the ${encoder.kind} encoder gives [${inputShape.join(", ")}]`);
  } else if (modelShape.length > 1 && modelShape.every((d): d is number => typeof d === "number")) {
    // A model with a shaped input (e.g. a 1D CNN over 100 channels: [100, 1]) fed from table columns.
    inputShape = modelShape;
    const size = inputShape.reduce((a, b) => a * b, 1);
    if (size !== inputColumns.length) throw new Error(`createBundle: the model takes inputs of shape [${inputShape.join(", ")}] (${size} values) but the pipeline gives ${inputColumns.length} columns (${inputColumns.join(", ")})`);
  } else {
    const inputDim = modelShape[modelShape.length - 1];
    if (typeof inputDim === "number" && inputDim !== inputColumns.length) {
      throw new Error(`createBundle: the model takes ${inputDim} inputs but the pipeline gives ${inputColumns.length} columns (${inputColumns.join(", ")})`);
    }
    inputShape = [inputColumns.length];
  }
  return {
    name: options.name ?? options.model.name,
    version: 0,
    task: options.task ?? taskOf(options.model),
    model: options.model,
    pipeline: options.pipeline,
    encoder,
    schema,
    inputColumns,
    inputShape,
    labels: options.labels,
    target: options.target,
    metadata: options.metadata ?? {},
    metrics: options.metrics ?? {},
    createdAt: new Date().toISOString(),
  };
}

/** A short description of a bundle (text + html), for `display(describeBundle(b))`. */
export function describeBundle(b: Bundle): { [REPR](): MimeBundle } {
  const input = b.encoder ? `${b.encoder.kind} → model input [${b.inputShape.join(", ")}]` : b.inputShape.length > 1 ? `model input [${b.inputShape.join(", ")}]` : `${b.inputColumns.length} model inputs`;
  const text = `Bundle ${b.name} v${b.version} (${b.task}) — ${b.schema.features.length} feature${b.schema.features.length === 1 ? "" : "s"} → ${input}${b.labels ? `, classes ${b.labels.join(", ")}` : ""}${Object.keys(b.metrics).length ? `, metrics ${JSON.stringify(b.metrics)}` : ""}${b.dir ? `, at ${b.dir}` : ""}`;
  return { [REPR]: () => ({ [MIME.text]: text }) };
}
