/** Type coercion with a report of the values that did not convert. */
import { pl, columnDtypes, dtypeOf, dtypeName, type DataFrame } from "../polars";
import { parseDtype, columnTypeName, type ColumnType } from "../load/column-types";
import { assertColumns } from "../features/transformer";

/** What failed for one column: how many values, and the first few with their 0-based row. */
export interface CoercionFailure {
  column: string;
  from: string;
  to: string;
  failed: number;
  examples: { row: number; value: unknown }[];
}

/** Result of {@link coerce}: the converted frame (failed values set to missing) and the failures. */
export interface CoercionResult {
  df: DataFrame;
  failures: CoercionFailure[];
  /** True when every value converted. */
  ok: boolean;
}

/**
 * Converts columns to the given types. Values that do not convert become missing and are listed
 * in `failures` (column, count, first examples with row numbers) — nothing fails silently.
 * Text is trimmed before converting to numbers. With `strict: true`, any failure throws.
 * ```ts
 * const { df: clean, failures } = coerce(df, { Income: "f64", Age: "i64" });
 * ```
 */
export function coerce(df: DataFrame, types: Record<string, ColumnType>, options: { strict?: boolean; examples?: number } = {}): CoercionResult {
  const cols = Object.keys(types);
  assertColumns("coerce", df, cols);
  const withIdx = df.withRowIndex("\u0000row");
  const failures: CoercionFailure[] = [];
  const dtypes = columnDtypes(df);
  const exprs = cols.map((c) => {
    const target = parseDtype(types[c]);
    const src = dtypeOf(dtypes, c);
    const isText = /String|Utf8|Categorical/.test(String(src));
    const input = isText ? pl.col(c).cast(pl.String).str.strip() : pl.col(c);
    const out = types[c] === "category" ? input.cast(pl.Categorical) : input.cast(target, false);
    return { c, out, src, target };
  });
  const converted = withIdx.withColumns(...exprs.map((e) => e.out.alias(`\u0000new_${e.c}`)));
  for (const e of exprs) {
    const bad = converted.filter(pl.col(`\u0000new_${e.c}`).isNull().and(pl.col(e.c).isNotNull()));
    if (bad.height > 0) {
      const ex = bad.head(options.examples ?? 5).select(pl.col("\u0000row"), pl.col(e.c).cast(pl.String).alias("v")).toRecords() as { "\u0000row": number; v: unknown }[];
      failures.push({
        column: e.c, from: dtypeName(e.src), to: columnTypeName(types[e.c]), failed: bad.height,
        examples: ex.map((r) => ({ row: Number(r["\u0000row"]), value: r.v })),
      });
    }
  }
  if (options.strict && failures.length > 0) {
    const f = failures[0];
    throw new Error(`coerce: ${f.failed} value(s) of column "${f.column}" do not convert to ${f.to}, e.g. row ${f.examples[0].row}: ${JSON.stringify(f.examples[0].value)}`);
  }
  const out = converted.withColumns(...cols.map((c) => pl.col(`\u0000new_${c}`).alias(c))).select(...df.columns.map((c) => pl.col(c)));
  return { df: out, failures, ok: failures.length === 0 };
}
