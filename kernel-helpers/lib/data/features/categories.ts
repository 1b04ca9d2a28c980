/** Learning the sorted category list of a column (shared by the encoders). */
import { pl, dtypeOf, isNumericDtype, type DataFrame, type Dtypes, type Expr } from "../polars";

/** A category value; `null` stands for missing. */
export type Category = string | number | boolean | null;

/**
 * Distinct values of a column, sorted (numbers numerically, strings by code point), with `null`
 * last when the column has missing values.
 */
export function learnCategories(df: DataFrame, column: string): Category[] {
  const s = df.getColumn(column);
  const numeric = isNumericDtype(s.dtype);
  const vals = (numeric || String(s.dtype).includes("Bool") ? s : s.cast(pl.String)).unique().toArray() as unknown[];
  const present = vals.filter((v) => v !== null && v !== undefined).map((v) => (typeof v === "bigint" ? Number(v) : v)) as Exclude<Category, null>[];
  present.sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  return vals.length > present.length ? [...present, null] : present;
}

/** The column as an expression comparable with the category values (categoricals become strings). */
export function comparable(types: Dtypes, column: string): Expr {
  const dtype = dtypeOf(types, column);
  return isNumericDtype(dtype) || String(dtype).includes("Bool") ? pl.col(column) : pl.col(column).cast(pl.String);
}

/** Name of an encoded column: `column_value` (`column_null` for missing). */
export function categoryColumnName(column: string, value: Category): string {
  return `${column}_${value === null ? "null" : String(value)}`;
}
