/**
 * Values that do not fit their column's type, found after parsing with Polars expressions (no
 * pass over the file): values that do not parse as the type `schema` sets, and text values in a
 * column whose first `inferRows` rows are all numbers (or all true/false) — the one value that
 * would otherwise turn a numeric column into a text column without a word.
 *
 * The rule for the second kind: after null tokens, a column that is still text although every
 * non-missing value in its first `inferRows` rows parses as a number (or is true/false) has values
 * that break the type the sample gave it. pandas warns about the same situation (`DtypeWarning:
 * Columns have mixed types`). A text value inside the first `inferRows` rows makes the column text
 * from the start (as in pandas and Polars); that is not reported.
 */
import { pl, type DataFrame, type DataType, type Expr } from "../polars";

/** A column to convert to a type, and how. */
export interface TypedColumn {
  column: string;
  /** Short type name for messages ("f64", "i64", "bool", ...). */
  type: string;
  /** Words for messages: "a number", "true or false", "f64". */
  what: string;
  typeFrom: "schema" | "inferred";
  /** The column converted (values that do not convert become null). */
  converted: Expr;
}

/** Counts over a text column: all rows, and the first `inferRows` rows (absent when types were inferred from all rows). */
export interface TextCounts {
  column: string;
  nonNull: number;
  ints: number;
  floats: number;
  sample?: { nonNull: number; numbers: number; bools: number };
}

/** A column whose type the schema sets. */
export function schemaTyped(column: string, dtype: DataType, type: string): TypedColumn {
  return { column, type, what: type, typeFrom: "schema", converted: pl.col(column).cast(dtype, false) };
}

/**
 * Text columns whose sample (first `inferRows` rows) holds only numbers, or only true/false: the
 * type they would have had, and their conversion to it (Int64 when every number in the column is
 * whole). Uses counts already made; no query.
 */
export function typeBreaks(text: readonly TextCounts[]): TypedColumn[] {
  const out: TypedColumn[] = [];
  for (const t of text) {
    const s = t.sample;
    if (!s || s.nonNull === 0) continue;
    if (s.numbers === s.nonNull) {
      const whole = t.ints === t.floats;
      out.push({
        column: t.column, type: whole ? "i64" : "f64", what: "a number", typeFrom: "inferred",
        converted: pl.col(t.column).str.strip().cast(whole ? pl.Int64 : pl.Float64, false),
      });
    } else if (s.bools === s.nonNull) {
      const lower = pl.col(t.column).str.strip().str.toLowerCase();
      out.push({
        column: t.column, type: "bool", what: "true or false", typeFrom: "inferred",
        converted: pl.when(lower.eq(pl.lit("true"))).then(pl.lit(true)).when(lower.eq(pl.lit("false"))).then(pl.lit(false)).otherwise(pl.lit(null).cast(pl.Bool)),
      });
    }
  }
  return out;
}

/** How many values of each column do not convert (present before, missing after). */
export function countBad(df: DataFrame, typed: readonly TypedColumn[]): number[] {
  if (typed.length === 0) return [];
  return df
    .select(...typed.map((t, k) => pl.col(t.column).isNotNull().and(t.converted.isNull()).sum().alias(`b${k}`)))
    .row(0)
    .map(Number);
}

/** Row indexes (0-based) of the first `k` values of a column that do not convert. */
export function firstBadRows(df: DataFrame, t: TypedColumn, k: number): number[] {
  const ROW = "\u0000row";
  return (df
    .select(pl.col(t.column), t.converted.alias("\u0000new"))
    .withRowIndex(ROW)
    .filter(pl.col(t.column).isNotNull().and(pl.col("\u0000new").isNull()))
    .head(k)
    .getColumn(ROW)
    .toArray() as Array<number | bigint>).map(Number);
}
