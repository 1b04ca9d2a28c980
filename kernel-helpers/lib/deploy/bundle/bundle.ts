/** A model bundle: the tfjs model plus everything needed to use it on raw rows. */
import type { LayersModel } from "@tensorflow/tfjs";
import type { DataFrame } from "../../data/polars";
import type { Pipeline } from "../../data/pipeline/pipeline";
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
  /** Columns (after the pipeline) that form the model's input matrix, in order. */
  inputColumns: string[];
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
  /** Training features (raw, before the pipeline): the input schema is taken from it. */
  features: DataFrame;
  /** Target column to leave out of the schema, if `features` still holds it. */
  target?: string;
  /** Columns after the pipeline that the model was trained on (default: all but the target). */
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
  let inputColumns = options.inputColumns;
  if (!inputColumns) {
    const raw = options.features.select(...schema.features.map((f) => f.name)).head(1);
    const after = options.pipeline ? options.pipeline.transform(raw) : raw;
    inputColumns = after.columns.filter((c) => !exclude.includes(c));
  }
  const inputDim = options.model.inputs[0].shape[options.model.inputs[0].shape.length - 1];
  if (typeof inputDim === "number" && inputDim !== inputColumns.length) {
    throw new Error(`createBundle: the model takes ${inputDim} inputs but the pipeline gives ${inputColumns.length} columns (${inputColumns.join(", ")})`);
  }
  return {
    name: options.name ?? options.model.name,
    version: 0,
    task: options.task ?? taskOf(options.model),
    model: options.model,
    pipeline: options.pipeline,
    schema,
    inputColumns,
    labels: options.labels,
    target: options.target,
    metadata: options.metadata ?? {},
    metrics: options.metrics ?? {},
    createdAt: new Date().toISOString(),
  };
}

/** A short description of a bundle (text + html), for `display(describeBundle(b))`. */
export function describeBundle(b: Bundle): { [REPR](): MimeBundle } {
  const text = `Bundle ${b.name} v${b.version} (${b.task}) — ${b.schema.features.length} features → ${b.inputColumns.length} model inputs${b.labels ? `, classes ${b.labels.join(", ")}` : ""}${Object.keys(b.metrics).length ? `, metrics ${JSON.stringify(b.metrics)}` : ""}${b.dir ? `, at ${b.dir}` : ""}`;
  return { [REPR]: () => ({ [MIME.text]: text }) };
}
