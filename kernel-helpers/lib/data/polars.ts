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

/** A frame's column dtypes by name (see {@link columnDtypes}). */
export type Dtypes = ReadonlyMap<string, DataType>;

/**
 * Every column's dtype by name, from two native calls (`df.columns`, `df.dtypes`) that each
 * cover all columns. Read it once per step and look columns up in it: `df.getColumn(c).dtype`
 * materializes a Series (~0.5 ms a column), and reading the lists again per column grows with
 * the square of the frame's width (seconds at a few thousand columns).
 */
export function columnDtypes(df: DataFrame): Dtypes {
  const types = df.dtypes;
  return new Map(df.columns.map((c, i) => [c, types[i]]));
}

/** A column's dtype from {@link columnDtypes}; an unknown column is an error naming the ones there are. */
export function dtypeOf(types: Dtypes, column: string): DataType {
  const t = types.get(column);
  if (t === undefined) throw new Error(`no column "${column}" in the frame (has ${[...types.keys()].join(", ")})`);
  return t;
}

/**
 * A column as Float64: the column itself when it already is (a cast there copies the data in
 * this Polars version, which doubles the cost of elementwise steps), else a cast.
 */
export function asFloat(types: Dtypes, column: string): Expr {
  return dtypeName(dtypeOf(types, column)) === "Float64" ? pl.col(column) : pl.col(column).cast(pl.Float64);
}
