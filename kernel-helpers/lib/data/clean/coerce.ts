/** Type coercion with a report of the values that did not convert. */
import { pl, columnDtypes, dtypeOf, dtypeName, type DataFrame } from "../polars";
import { parseDtype, columnTypeName, type ColumnType } from "../load/column-types";
import { assertColumns } from "../features/transformer";
import { frameSource, locateRows } from "../load/frame-source";

/**
 * What failed for one column: how many values, and the first few with their 0-based row and, for
 * a frame as the CSV reader returned it, their file line and character column.
 */
export interface CoercionFailure {
  column: string;
  from: string;
  to: string;
  failed: number;
  /** The file the frame was read from (when the examples carry file lines). */
  file?: string;
  examples: { row: number; value: unknown; line?: number; column?: number }[];
}

/**
 * Adds file lines to a failure's examples when `df` is a frame the CSV reader returned (and its
 * file is unchanged since): `coerce(readCsv(path), ...)` reports `file:line:column`, not a row.
 */
export function addFileLines(df: DataFrame, failure: CoercionFailure): CoercionFailure {
  const src = frameSource(df);
  if (!src || failure.examples.length === 0) return failure;
  const rows = failure.examples.map((e) => e.row);
  const where = locateRows(src, failure.column, rows);
  if (!where || where.length !== rows.length) return failure;
  return { ...failure, file: src.label, examples: failure.examples.map((e, k) => ({ ...e, line: where[k].line, column: where[k].column })) };
}

/** Where an example is, for messages: `file:line:column` when known, else `row N`. */
export function exampleAt(f: CoercionFailure, k = 0): string {
  const e = f.examples[k];
  return f.file !== undefined && e.line !== undefined ? `${f.file}:${e.line}:${e.column}` : `row ${e.row}`;
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
 * in `failures` (column, count, first examples with their row and, for a frame straight from
 * `readCsv` / `parseCsv`, their file line and column) — nothing fails silently.
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
      failures.push(addFileLines(df, {
        column: e.c, from: dtypeName(e.src), to: columnTypeName(types[e.c]), failed: bad.height,
        examples: ex.map((r) => ({ row: Number(r["\u0000row"]), value: r.v })),
      }));
    }
  }
  if (options.strict && failures.length > 0) {
    const f = failures[0];
    throw new Error(`coerce: ${f.failed} value(s) of column "${f.column}" do not convert to ${f.to}, e.g. ${exampleAt(f)}: ${JSON.stringify(f.examples[0].value)}`);
  }
  const out = converted.withColumns(...cols.map((c) => pl.col(`\u0000new_${c}`).alias(c))).select(...df.columns.map((c) => pl.col(c)));
  return { df: out, failures, ok: failures.length === 0 };
}
