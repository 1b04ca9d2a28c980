/**
 * The one place the data area imports nodejs-polars from. Polars stays external in the bundle
 * (native addon), so it is required at run time from node_modules.
 */
import pl from "nodejs-polars";
import type { DataFrame, Series, Expr, LazyDataFrame, DataType } from "nodejs-polars";

export { pl };
export type { DataFrame, Series, Expr, LazyDataFrame, DataType };

/** True for Polars' numeric dtypes (ints, unsigned ints, floats). */
export function isNumericDtype(dtype: DataType): boolean {
  return /^(Int|UInt|Float)\d+$/.test(dtypeName(dtype));
}

/** Short dtype name: "Float64", "Int64", "String", "Bool", "Date", "Categorical", ... */
export function dtypeName(dtype: DataType): string {
  const s = String(dtype);
  const m = /^DataType\((\w+)/.exec(s);
  const name = m ? m[1] : s;
  return name === "Utf8" ? "String" : name;
}

/** Names of the numeric columns of a frame, in order. */
export function numericColumns(df: DataFrame): string[] {
  const types = df.dtypes;
  return df.columns.filter((_, i) => isNumericDtype(types[i]));
}

/**
 * A column's dtype, read from the frame's dtype list: `df.getColumn(c).dtype` materializes the
 * column as a Series first, which costs ~0.5–1 ms per column on a 1M-row frame.
 */
export function columnDtype(df: DataFrame, column: string): DataType {
  const i = df.columns.indexOf(column);
  if (i < 0) throw new Error(`no column "${column}" in the frame (has ${df.columns.join(", ")})`);
  return df.dtypes[i];
}

/**
 * A column as Float64: the column itself when it already is (a cast there copies the data in
 * this Polars version, which doubles the cost of elementwise steps), else a cast.
 */
export function asFloat(df: DataFrame, column: string): Expr {
  return dtypeName(columnDtype(df, column)) === "Float64" ? pl.col(column) : pl.col(column).cast(pl.Float64);
}
