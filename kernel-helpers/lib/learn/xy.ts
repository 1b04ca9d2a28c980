/**
 * A frame with a named target → what a model trains on: features `x` (the target never among
 * them), labels `y`, and the classes behind the label codes. `toXY(train, { target })` learns the
 * classes; `toXY(test, { target, classes })` reuses them, so codes mean the same class everywhere.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import type { DataFrame } from "../data/polars";
import { LabelEncoder } from "../data/features/label-encoder";
import type { FrameStep } from "../data/features/step";
import { loadTf } from "../data/tensor/to-tensor";
import { toMatrix } from "../data/tensor/to-matrix";
import { REPR } from "../display/display";
import { MIME, type MimeBundle } from "../display/mime";

/** A class value: what the target column holds. */
export type ClassLabel = string | number | boolean;

/** Options of {@link toXY}. */
export interface ToXYOptions {
  /** The target column. */
  target: string;
  /** Feature columns, in order (default: every column after the pipeline except the target). */
  features?: readonly string[];
  /** Columns left out of the features besides the target (e.g. an id). */
  exclude?: readonly string[];
  /** A fitted pipeline (or step) applied to the frame first (transform only). */
  pipeline?: Pick<FrameStep, "transform">;
  /**
   * The classes, in code order, from the training set's XY (`train.classes`): test and validation
   * sets must use them. Default: learned from this frame (sorted, as LabelEncoder does).
   */
  classes?: readonly ClassLabel[];
  /** "classification" (default): `y` holds class codes; "regression": `y` holds the target's values. */
  task?: "classification" | "regression";
}

/** Features and labels of one frame, ready for `fit`, `evaluate`, `crossValidate`. */
export class XY {
  constructor(
    /** Features [rows, features.length], float32. */
    readonly x: tfTypes.Tensor2D,
    /** Targets [rows]: class codes 0..k-1 (float32, as `fit` takes them) or regression values. */
    readonly y: tfTypes.Tensor1D,
    /** The same targets as plain numbers, for metrics. */
    readonly labels: number[],
    /** Class values by code (empty for regression). */
    readonly classes: ClassLabel[],
    /** Feature column names, in x's column order. */
    readonly features: string[],
    readonly target: string,
    readonly task: "classification" | "regression",
  ) {}

  /** Number of rows. */
  get rows(): number {
    return this.labels.length;
  }

  /** Class names as strings (for `targetNames`, bundles and reports). */
  get classNames(): string[] {
    return this.classes.map(String);
  }

  /** Rows per class, in code order (classification). */
  classCounts(): number[] {
    const counts = new Array<number>(this.classes.length).fill(0);
    for (const c of this.labels) counts[c]++;
    return counts;
  }

  /** Class weights n / (k · count), scikit-learn's `class_weight="balanced"`. */
  balancedClassWeight(): number[] {
    const k = this.classes.length;
    return this.classCounts().map((c) => (c === 0 ? 0 : this.rows / (k * c)));
  }

  /** Frees the tensors. */
  dispose(): void {
    this.x.dispose();
    this.y.dispose();
  }

  [REPR](): MimeBundle {
    const what = this.task === "classification" ? `${this.classes.length} classes [${this.classes.map((c) => JSON.stringify(c)).join(", ")}], counts [${this.classCounts().join(", ")}]` : "regression";
    const text = `XY(${this.rows} rows × ${this.features.length} features, target "${this.target}": ${what})`;
    const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
    const feats = this.features.length > 12 ? [...this.features.slice(0, 12), `… ${this.features.length - 12} more`] : this.features;
    return { [MIME.text]: text, [MIME.html]: `<div><b>XY</b> ${esc(text.slice(3, -1))}<br><small>features: ${feats.map(esc).join(", ")}</small></div>` };
  }
}

/** Splits a frame into features and target tensors; see {@link ToXYOptions}. */
export async function toXY(df: DataFrame, options: ToXYOptions): Promise<XY> {
  const { target } = options;
  if (!df.columns.includes(target)) throw new Error(`toXY: no target column "${target}" (columns: ${df.columns.join(", ")})`);
  const task = options.task ?? "classification";
  const targetValues = df.getColumn(target).toArray() as unknown[];
  const ready = options.pipeline ? options.pipeline.transform(df) : df;
  const exclude = new Set([target, ...(options.exclude ?? [])]);
  if (options.features?.includes(target)) throw new Error(`toXY: the target "${target}" is listed among the features`);
  const features = options.features ? [...options.features] : ready.columns.filter((c) => !exclude.has(c));
  const m = toMatrix(ready, { columns: features });

  let labels: number[];
  let classes: ClassLabel[] = [];
  if (task === "regression") {
    labels = targetValues.map((v, i) => {
      const n = typeof v === "bigint" ? Number(v) : v;
      if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`toXY: target "${target}" row ${i} is ${JSON.stringify(v)}, not a finite number`);
      return n;
    });
  } else {
    const encoder = options.classes
      ? LabelEncoder.fromJSON({ kind: LabelEncoder.kind, options: {}, state: { classes: [...options.classes] } })
      : new LabelEncoder().fit(targetValues);
    try {
      labels = Array.from(encoder.encode(targetValues));
    } catch (e) {
      throw new Error(`toXY: target "${target}": ${(e as Error).message}`, { cause: e });
    }
    classes = [...encoder.classes];
  }
  const tf = await loadTf();
  const x = tf.tensor2d(m.data, m.shape, "float32");
  const y = tf.tensor1d(labels, "float32");
  return new XY(x, y, labels, classes, m.columns, target, task);
}
