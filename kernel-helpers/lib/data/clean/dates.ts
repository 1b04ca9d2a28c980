/** Date parsing of text columns with a report of what did not parse. */
import { pl, type DataFrame } from "../polars";
import { assertColumns } from "../features/transformer";
import { addFileLines, exampleAt, type CoercionFailure } from "./coerce";

/** Options for {@link parseDates}. */
export interface ParseDatesOptions {
  /** strftime format, e.g. "%d/%m/%Y"; default: ISO (YYYY-MM-DD, or with time for datetime). */
  format?: string;
  /** "date" (default) or "datetime" (milliseconds). */
  type?: "date" | "datetime";
  /** Throw on any value that does not parse (default false: it becomes missing and is reported). */
  strict?: boolean;
}

/**
 * Parses text columns into Date (or Datetime) columns. Unparseable values become missing and
 * are listed in `failures` with their rows (and file lines, for a frame straight from the CSV reader).
 */
export function parseDates(df: DataFrame, columns: string[], options: ParseDatesOptions = {}): { df: DataFrame; failures: CoercionFailure[] } {
  assertColumns("parseDates", df, columns);
  const isDatetime = options.type === "datetime";
  const fmt = options.format ?? (isDatetime ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d");
  const parse = (c: string) => {
    const s = pl.col(c).cast(pl.String).str.strip();
    return isDatetime ? s.str.strptime(pl.Datetime("ms"), fmt) : s.str.strptime(pl.Date, fmt);
  };
  let out = df.withRowIndex("\u0000row").withColumns(...columns.map((c) => parse(c).alias(`\u0000new_${c}`)));
  const failures: CoercionFailure[] = [];
  for (const c of columns) {
    const bad = out.filter(pl.col(`\u0000new_${c}`).isNull().and(pl.col(c).isNotNull()));
    if (bad.height > 0) {
      const ex = bad.head(5).select(pl.col("\u0000row"), pl.col(c).cast(pl.String).alias("v")).toRecords() as Record<string, unknown>[];
      failures.push(addFileLines(df, { column: c, from: "String", to: isDatetime ? "datetime" : "date", failed: bad.height, examples: ex.map((r) => ({ row: Number(r["\u0000row"]), value: r.v })) }));
    }
  }
  if (options.strict && failures.length) {
    const f = failures[0];
    throw new Error(`parseDates: ${f.failed} value(s) of column "${f.column}" do not match "${fmt}", e.g. ${exampleAt(f)}: ${JSON.stringify(f.examples[0].value)}`);
  }
  out = out.withColumns(...columns.map((c) => pl.col(`\u0000new_${c}`).alias(c))).select(...df.columns.map((c) => pl.col(c)));
  return { df: out, failures };
}
