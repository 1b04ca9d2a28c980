/**
 * Tables → tfjs tensors. @tensorflow/tfjs is loaded on the first call, so loading the data area
 * does not load tfjs; the first call also runs the backend ladder (and shows its report), so
 * tensors are made on the fastest backend, never on tfjs's slow cpu fallback by accident.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import type { DataFrame } from "../polars";
import { ensureBackend } from "../../train/backend/ladder";
import { tfjs } from "../../train/tf";
import { toMatrix, prepareForMatrix, checkMemory, type ToMatrixOptions } from "./to-matrix";

/** The tfjs module (the kernel's one instance), with the backend chosen. */
export async function loadTf(): Promise<typeof tfTypes> {
  await ensureBackend();
  return tfjs();
}

/**
 * A 2-D tensor [rows, columns] of the frame's numeric columns, after an optional fitted pipeline.
 * ```ts
 * const x = await toTensor(test, { pipeline, exclude: ["Status"] });
 * ```
 */
export async function toTensor(df: DataFrame, options: ToMatrixOptions = {}): Promise<tfTypes.Tensor2D> {
  const tf = await loadTf();
  const m = toMatrix(df, options);
  return tf.tensor2d(m.data, m.shape, options.dtype ?? "float32");
}

/**
 * Tensors of at most `batchSize` rows each, built one at a time so a large table never becomes
 * one huge tensor. Dispose each batch when done with it.
 */
export async function* tensorBatches(df: DataFrame, options: ToMatrixOptions & { batchSize?: number } = {}): AsyncGenerator<tfTypes.Tensor2D> {
  const tf = await loadTf();
  const { df: ready, columns } = prepareForMatrix(df, options);
  const batch = options.batchSize ?? 65_536;
  checkMemory(Math.min(batch, ready.height), columns.length, options.maxBytes);
  for (let off = 0; off < ready.height; off += batch) {
    const m = toMatrix(ready.slice(off, batch), { columns, dtype: options.dtype, maxBytes: options.maxBytes });
    yield tf.tensor2d(m.data, m.shape, options.dtype ?? "float32");
  }
}

/** A 1-D tensor of labels (e.g. LabelEncoder codes) for classification targets. */
export async function labelTensor(codes: ArrayLike<number>, dtype: "int32" | "float32" = "int32"): Promise<tfTypes.Tensor1D> {
  const tf = await loadTf();
  return tf.tensor1d(Array.from(codes), dtype);
}
