/** Tables → dense row-major numeric matrices (the step before tensors), with memory checks. */
import { freemem } from "node:os";
import { pl, columnDtypes, dtypeOf, dtypeName, isNumericDtype, type DataFrame } from "../polars";
import type { FrameStep } from "../features/step";

/** Options for {@link toMatrix} and the tensor functions. */
export interface ToMatrixOptions {
  /** Columns, in order (default: all columns after the pipeline, minus `exclude`). */
  columns?: string[];
  /** Columns left out (e.g. the target). */
  exclude?: string[];
  /** A fitted pipeline or step applied first (transform only: it must be fitted on training data). */
  pipeline?: Pick<FrameStep, "transform">;
  /** Refuse to build more than this many bytes at once (default: half the free memory, at most 2 GiB). */
  maxBytes?: number;
  /** Element type (default "float32"). */
  dtype?: "float32" | "int32";
}

/** A dense matrix: `data` is row-major [rows, columns]. */
export interface Matrix {
  data: Float32Array | Int32Array;
  shape: [number, number];
  columns: string[];
}

/** The frame after the pipeline, and the columns that go into the matrix. */
export function prepareForMatrix(df: DataFrame, options: ToMatrixOptions): { df: DataFrame; columns: string[] } {
  const out = options.pipeline ? options.pipeline.transform(df) : df;
  const exclude = options.exclude ?? [];
  const columns = (options.columns ?? out.columns).filter((c) => !exclude.includes(c));
  const missingCols = columns.filter((c) => !out.columns.includes(c));
  if (missingCols.length) throw new Error(`toMatrix: no column(s) ${missingCols.join(", ")} after the pipeline (has ${out.columns.join(", ")})`);
  const types = columnDtypes(out);
  const bad = columns.filter((c) => {
    const t = dtypeOf(types, c);
    return !isNumericDtype(t) && !String(t).includes("Bool");
  });
  if (bad.length) throw new Error(`toMatrix: column(s) ${bad.map((c) => `"${c}" (${dtypeOf(types, c)})`).join(", ")} are not numeric; encode them first (OneHotEncoder, OrdinalEncoder)`);
  // multi-column expressions (few expression objects): missing values, then NaN in float columns
  const badCount = new Map<string, number>();
  if (columns.length) {
    const nulls = out.select(pl.col(columns).isNull().sum()).row(0) as number[];
    columns.forEach((c, k) => badCount.set(c, Number(nulls[k])));
  }
  const floats = columns.filter((c) => /^Float/.test(dtypeName(dtypeOf(types, c))));
  if (floats.length) {
    const nans = out.select(pl.col(floats).isNan().sum()).row(0) as number[];
    floats.forEach((c, k) => badCount.set(c, (badCount.get(c) ?? 0) + Number(nans[k])));
  }
  const withNull = columns.filter((c) => (badCount.get(c) ?? 0) > 0);
  if (withNull.length) throw new Error(`toMatrix: missing or NaN values in ${withNull.map((c) => `"${c}" (${badCount.get(c)})`).join(", ")}; impute or drop them first`);
  return { df: out, columns };
}

/** Checks that rows × columns elements fit the memory budget. */
export function checkMemory(rows: number, cols: number, maxBytes?: number): void {
  const bytes = rows * cols * 4;
  const limit = maxBytes ?? Math.min(2 ** 31, freemem() / 2);
  if (bytes > limit) {
    throw new Error(`toMatrix: ${rows} × ${cols} values need ${(bytes / 2 ** 20).toFixed(0)} MiB, over the ${(limit / 2 ** 20).toFixed(0)} MiB budget; use tensorBatches() or pass maxBytes`);
  }
}

/**
 * Converts numeric columns to a dense row-major matrix (Float32 by default). Refuses missing/NaN
 * values and non-numeric columns with a message naming them.
 */
export function toMatrix(df: DataFrame, options: ToMatrixOptions = {}): Matrix {
  const { df: out, columns } = prepareForMatrix(df, options);
  checkMemory(out.height, columns.length, options.maxBytes);
  const n = out.height;
  const m = columns.length;
  const int = options.dtype === "int32";
  const data = int ? new Int32Array(n * m) : new Float32Array(n * m);
  columns.forEach((c, j) => {
    const col = out.getColumn(c).cast(int ? pl.Int32 : pl.Float32).toTypedArray() as Float32Array | Int32Array;
    for (let i = 0, p = j; i < n; i++, p += m) data[p] = col[i];
  });
  return { data, shape: [n, m], columns };
}
