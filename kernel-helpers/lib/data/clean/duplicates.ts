/** Duplicate rows: drop them or flag them. */
import { pl, type DataFrame } from "../polars";

/** Options for {@link dropDuplicates} and {@link flagDuplicates}. */
export interface DuplicateOptions {
  /** Columns that define a duplicate (default: all). */
  subset?: string[];
  /** Which copy survives: "first" (default), "last", or "none" (drop every copy). */
  keep?: "first" | "last" | "none";
}

/** Drops rows that repeat an earlier row (or a later one, with keep: "last"); row order is kept. */
export function dropDuplicates(df: DataFrame, options: DuplicateOptions = {}): DataFrame {
  return df.unique({ subset: options.subset, keep: options.keep ?? "first", maintainOrder: true });
}

/**
 * Adds a Bool column (default name "duplicate") that is true on rows repeating an earlier row
 * (keep "first"), a later row (keep "last"), or any other row (keep "none").
 */
export function flagDuplicates(df: DataFrame, options: DuplicateOptions & { name?: string } = {}): DataFrame {
  const cols = options.subset ?? df.columns;
  const key = pl.struct(cols.map((c) => pl.col(c)));
  const keep = options.keep ?? "first";
  const flag = keep === "none" ? key.isDuplicated() : keep === "first" ? key.isFirstDistinct().not() : key.reverse().isFirstDistinct().not().reverse();
  return df.withColumns(flag.alias(options.name ?? "duplicate"));
}

/** Number of rows that repeat an earlier row. */
export function countDuplicates(df: DataFrame, subset?: string[]): number {
  return df.height - df.unique({ subset, keep: "first" }).height;
}
