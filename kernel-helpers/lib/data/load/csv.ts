/**
 * CSV / TSV loading on Polars' reader, with the checks Polars does not make: ragged rows,
 * unterminated quotes, invalid UTF-8 and unparseable values are reported as file:line:column
 * plus the column name, and nothing half-loaded is returned.
 */
import { readFileSync, statSync, openSync, readSync, closeSync } from "node:fs";
import { pl, dtypeName, type DataFrame, type DataType } from "../polars";
import { DataLoadError } from "../errors";
import { assertUtf8, forEachRecord, validateDelimited, charColumn, type DelimitedDialect } from "./delimited-scan";
import { quickCheckFile, startQuickCheck, type QuickCheck } from "./quick-check";
import { DEFAULT_NA_VALUES, parseDtype, type ColumnType } from "./column-types";
import { memorySource, prepareSource, type Source } from "./csv-input";
import { locateRows, rememberSource, type FrameSource, type NulledValues } from "./frame-source";
import { countBad, firstBadRows, schemaTyped, typeBreaks, type TextCounts, type TypedColumn } from "./bad-values";

export interface ReadCsvOptions {
  /** Field separator. Default: tab for .tsv/.tab files, otherwise sniffed from the first line (`,` `;` `\t` `|`). */
  sep?: string;
  /** Quote character (default `"`; a doubled quote inside a quoted field is a literal quote). */
  quote?: string;
  /** Whether the first record is a header; "auto" (default) decides from the first rows. */
  header?: boolean | "auto";
  /** Tokens read as missing, in every column. Default {@link DEFAULT_NA_VALUES} (NA, nan, empty, ...). */
  naValues?: readonly string[];
  /** Explicit column types; columns not named are inferred. */
  schema?: Record<string, ColumnType>;
  /** Only these columns (by name) in the result. */
  columns?: string[];
  /**
   * Rows looked at to infer types (default 1,000; `null` scans all). A later value that breaks an
   * inferred type makes the reader infer again from all rows, so this only trades speed: Polars'
   * inference costs ~1 ms per 1,000 rows, ~10 ms of a 1M-row load at 10,000.
   */
  inferRows?: number | null;
  /** Read at most this many data rows. */
  nRows?: number;
  /** "utf8" (default) rejects invalid bytes with their location; "utf8-lossy" replaces them. */
  encoding?: "utf8" | "utf8-lossy";
  /** Byte-level validation of field counts and quotes before parsing (default true). */
  validate?: boolean;
  /** Name used in error messages (default: the path). */
  label?: string;
  /** Run the validation in a worker thread while Polars parses (default: for files of 16 MiB or more). */
  parallelCheck?: boolean;
  /**
   * Lines at the top of the file skipped before the header (or the first row), e.g. 1 for
   * scikit-learn's bundled CSVs, whose first line is "150,4,setosa,versicolor,virginica". Errors
   * still name the file's own line numbers.
   */
  skipRows?: number;
  /** Lines that start with this text (e.g. "#") are skipped, before the header or between rows (not inside a quoted field). */
  comment?: string;
  /**
   * A value that does not fit its column's type: one that does not parse as the type `schema`
   * sets, or a text value in a column whose first `inferRows` rows are all numbers (or all
   * true/false). "error" (default): the file is refused at the value's file:line:column. "null":
   * such values are read as missing, and how many, and the first ones' lines, are reported (a
   * warning, and `loadReport(df)`).
   */
  onBadValue?: "error" | "null";
}

const SNIFF_BYTES = 64 * 1024;
const HEAD_BYTES = 4 * SNIFF_BYTES;
/** From this size the quick check runs in a worker thread while Polars parses. */
const PARALLEL_CHECK_BYTES = 16 << 20;

/**
 * Reads a CSV/TSV file into a Polars DataFrame.
 * ```ts
 * const df = readCsv("data/credit_data.csv", { schema: { Income: "f64" } });
 * ```
 * @throws DataLoadError naming file:line:column and the column on malformed input.
 */
export function readCsv(path: string, options: ReadCsvOptions = {}): DataFrame {
  const label = options.label ?? path;
  let size: number;
  let mtime: number;
  let head: Buffer;
  try {
    const st = statSync(path);
    size = st.size;
    mtime = st.mtimeMs;
    const fd = openSync(path, "r");
    try {
      head = Buffer.alloc(Math.min(size, HEAD_BYTES));
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new DataLoadError(`cannot read file: ${(e as Error).message}`, { file: label }, { cause: e });
  }
  let whole: Buffer | undefined = size <= HEAD_BYTES ? head : undefined;
  const full = () => (whole ??= readFileSync(path));
  const sep = options.sep ?? (/\.(tsv|tab)(\.gz)?$/i.test(path) ? "\t" : undefined);
  const src = prepareSource({ label, path, size, head, full }, options);
  // later reports (coerce) read the file again, and only while it is unchanged
  const reread = () => {
    try {
      const st = statSync(path);
      if (st.size !== size || st.mtimeMs !== mtime) return undefined;
      return prepareSource(memorySource(label, readFileSync(path)), options).full();
    } catch {
      return undefined;
    }
  };
  return parseDelimited(src, { ...options, sep }, reread);
}

/**
 * Parses CSV text already in memory (a string or Buffer) into a DataFrame; same options and
 * errors as {@link readCsv}.
 */
export function parseCsv(text: string | Buffer, options: ReadCsvOptions = {}): DataFrame {
  const buf = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const src = prepareSource(memorySource(options.label ?? "<csv text>", buf), options);
  return parseDelimited(src, options, src.full);
}

/** Picks the separator that splits the first line into the most, consistent fields. */
export function sniffSeparator(buf: Buffer, quote = '"'): string {
  const head = buf.subarray(0, SNIFF_BYTES);
  let best = ",";
  let bestScore = 0;
  for (const sep of [",", "\t", ";", "|"]) {
    const counts: number[] = [];
    forEachRecord(head, { sep, quote }, (r) => {
      counts.push(r.fields.length);
      return counts.length < 20;
    });
    if (counts.length > 1 && counts.length * SNIFF_BYTES > head.length) counts.pop(); // last record may be cut
    if (counts.length === 0) continue;
    const consistent = counts.every((c) => c === counts[0]);
    const score = counts[0] > 1 ? counts[0] + (consistent ? 1000 : 0) : 0;
    if (score > bestScore) {
      bestScore = score;
      best = sep;
    }
  }
  return best;
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * Decides whether the first record is a header: yes when none of its fields is a number or missing
 * token while the columns below hold numbers, or (all-text tables) when its values do not recur below.
 */
export function detectHeader(buf: Buffer, d: DelimitedDialect, naValues: readonly string[] = DEFAULT_NA_VALUES): boolean {
  const rows: string[][] = [];
  forEachRecord(buf.subarray(0, SNIFF_BYTES), d, (r) => {
    rows.push(r.fields);
    return rows.length < 51;
  });
  if (rows.length < 2) return true;
  const [first, ...body] = rows;
  const na = new Set(naValues);
  if (first.some((f) => NUMERIC.test(f) || f.trim() === "")) return false;
  let numericBelow = false;
  for (let c = 0; c < first.length; c++) {
    const vals = body.map((r) => r[c]).filter((v) => v !== undefined && !na.has(v));
    if (vals.length > 0 && vals.every((v) => NUMERIC.test(v))) numericBelow = true;
  }
  if (numericBelow) return true;
  // all-text table: a header's values normally never appear again in their column
  return first.every((f, c) => !body.some((r) => r[c] === f));
}

/**
 * Parses a prepared source. Errors found in bytes whose skipped lines were taken out are moved
 * back to the file's own line numbers.
 */
function parseDelimited(src: Source, options: ReadCsvOptions, reread: () => Buffer | undefined): DataFrame {
  try {
    return parseSource(src, options, reread, options.inferRows === undefined ? 1_000 : options.inferRows);
  } catch (e) {
    if (src.fileLine && e instanceof DataLoadError && e.line !== undefined) {
      throw new DataLoadError(e.problem, { file: e.file, line: src.fileLine(e.line), column: e.column, columnName: e.columnName }, { cause: e.cause });
    }
    throw e;
  }
}

/** `sampleRows`: the rows types were first inferred from (null: all), which decides what a type break is. */
function parseSource(src: Source, options: ReadCsvOptions, reread: () => Buffer | undefined, sampleRows: number | null): DataFrame {
  const { label, head } = src;
  if (src.size === 0 || (src.size <= 4096 && head.toString("utf8").trim() === "")) {
    throw new DataLoadError("file is empty (no header, no rows)", { file: label, line: 1, column: 1 });
  }
  const encoding = options.encoding ?? "utf8";
  const quote = options.quote ?? '"';
  const sep = options.sep ?? sniffSeparator(head, quote);
  const dialect = { sep, quote };
  const naValues = options.naValues ?? DEFAULT_NA_VALUES;
  const hasHeader = options.header === undefined || options.header === "auto" ? detectHeader(head, dialect, naValues) : options.header;

  let names: string[] = [];
  forEachRecord(head, dialect, (r) => {
    names = hasHeader ? r.fields : r.fields.map((_, i) => `column_${i + 1}`);
    if (hasHeader) assertUniqueNames(r, head, label);
    return false;
  });
  // float NaN parsed from "nan"-like tokens must become missing; the streamed check can rule that out
  const nanTokens = naValues.filter((t) => /^[-+]?nan$/i.test(t));
  let nanSeen = nanTokens.length > 0;
  // Validation: a streamed quick check of the file on disk (in a worker beside Polars' parser for
  // large files), and the exact validator on the whole file in memory only when it has doubts.
  let waitQuick: (() => QuickCheck) | undefined;
  const parallel = options.parallelCheck ?? src.size >= PARALLEL_CHECK_BYTES;
  const validate = options.validate !== false;
  if (validate && src.path !== undefined && encoding === "utf8") {
    if (parallel) waitQuick = startQuickCheck(src.path, src.size, sep, quote, nanTokens);
    else {
      const q = quickCheckFile(src.path, sep, quote, nanTokens);
      waitQuick = () => q;
    }
  }
  let validated = !validate;
  const finishValidation = () => {
    if (validated) return;
    validated = true;
    const q = waitQuick?.();
    if (q) nanSeen = q.found.some(Boolean);
    if (!q || q.fields < 0) {
      const buf = src.full();
      if (encoding === "utf8") assertUtf8(buf, label, { dialect, names });
      validateDelimited(buf, dialect, label, names);
    }
  };
  if (!parallel) finishValidation();

  const overrides: Record<string, DataType> = {};
  const categories: string[] = [];
  for (const [name, t] of Object.entries(options.schema ?? {})) {
    if (!names.includes(name)) throw new DataLoadError(`schema names a column that is not in the file`, { file: label, columnName: name });
    overrides[name] = parseDtype(t);
    if (t === "category") categories.push(name);
  }
  // Given a list of null tokens, Polars compares every field with each of them, which makes parsing
  // about three times slower. So while parsing only empty fields are null; the other tokens are
  // applied afterwards by expressions, to text columns only (a parsed number cannot be a token).
  // Overridden columns are parsed as text too and cast afterwards, so a token there is no error.
  const asText: Record<string, DataType> = Object.fromEntries(Object.keys(overrides).map((c) => [c, pl.String]));
  const readOpts = {
    sep,
    quoteChar: quote,
    hasHeader,
    missingIsNull: naValues.includes(""),
    // nodejs-polars reads `null` as 0 (all text) and pre-allocates for huge numbers: give a real row count
    inferSchemaLength: options.inferRows === undefined ? 1_000 : options.inferRows === null ? countLines(src.full()) + 1 : options.inferRows,
    dtypes: asText,
    encoding,
    truncateRaggedLines: false,
    ...(options.nRows !== undefined ? { nRows: options.nRows } : {}),
    ...(options.columns ? { columns: options.columns } : {}),
  };
  let df: DataFrame;
  try {
    // nodejs-polars treats a string as a path only for .csv/.tsv names; anything else goes as bytes
    df = pl.readCSV(src.path !== undefined && /\.(csv|tsv)$/i.test(src.path) ? src.path : src.full(), readOpts);
  } catch (e) {
    finishValidation(); // a structural problem found by the validator is the better report
    const problem = locateParseError(e as Error, src.full(), dialect, hasHeader, names, naValues, label, overrides);
    if (problem.retryAsInferred && options.inferRows !== null) {
      // inference looked at too few rows (e.g. "1.5" after 1,000 integers): infer from all rows
      // instead; a column that becomes text that way is checked below against its sample's type
      return parseSource(src, { ...options, inferRows: null }, reread, sampleRows);
    }
    throw problem.error();
  }
  finishValidation(); // throws on malformed input: nothing half-loaded is returned
  df = applyNullTokens(df, naValues, nanSeen);
  const retyped = inferNumericText(df, Object.keys(overrides), sampleRows);
  df = retyped.df;
  // Columns converted to a type: the schema's, and (rule in bad-values.ts) text columns whose
  // first `sampleRows` rows are all numbers or all true/false. Nothing to do, at no cost, when the
  // file has no text columns and no schema.
  const typed: TypedColumn[] = Object.entries(overrides)
    .filter(([c, dtype]) => df.columns.includes(c) && dtypeName(dtype) !== "String")
    .map(([c, dtype]) => schemaTyped(c, dtype, shortDtype(dtype)));
  typed.push(...typeBreaks(retyped.text));
  const source: FrameSource = { label, dialect, hasHeader, names, bytes: reread, fileLine: src.fileLine, report: { file: label, nulled: [] } };
  if (typed.length > 0) {
    const bad = countBad(df, typed);
    const broken = typed.map((t, k) => ({ t, count: bad[k] })).filter((b) => b.count > 0);
    if (broken.length > 0 && options.onBadValue !== "null") {
      const { t, count } = broken[0];
      const [where] = locateRows({ ...source, bytes: src.full, fileLine: undefined }, t.column, firstBadRows(df, t, 1)) ?? [];
      const value = JSON.stringify(where?.value ?? "?");
      const others = broken.length > 1 ? ` Other columns with such values: ${broken.slice(1).map((b) => JSON.stringify(b.t.column)).join(", ")}.` : "";
      const problem = t.typeFrom === "schema"
        ? `cannot parse ${value} as ${t.type} (type set by the schema override; ${count} such value${count === 1 ? "" : "s"} in the column). ` +
          `Fix the value, or pass onBadValue: "null" to read such values as missing.`
        : `cannot parse ${value} as ${t.what}, though the column's first ${Number(sampleRows).toLocaleString("en-US")} rows are all ${t.type === "bool" ? "true or false" : "numbers"} ` +
          `(${count} such value${count === 1 ? "" : "s"} in the column would turn it into text). Fix the value (or add it to naValues if it marks a missing value), or pass schema: { ${JSON.stringify(t.column)}: "str" } to read the column as text, ` +
          `or onBadValue: "null" to read such values as missing.`;
      throw new DataLoadError(problem + others, { file: label, line: where?.line, column: where?.column, columnName: t.column });
    }
    for (const { t, count } of broken) {
      const first = locateRows({ ...source, bytes: src.full }, t.column, firstBadRows(df, t, REPORTED_VALUES)) ?? [];
      source.report.nulled.push({ column: t.column, type: t.type, typeFrom: t.typeFrom, count, first });
    }
    df = df.withColumns(...typed.map((t) => t.converted.alias(t.column)));
    if (source.report.nulled.length > 0) console.warn(describeNulled(label, source.report.nulled));
  }
  if (categories.length > 0) df = df.withColumns(...categories.map((c) => pl.col(c).cast(pl.Categorical)));
  rememberSource(df, source);
  return df;
}

/** How many nulled values the report lists per column (their file lines). */
const REPORTED_VALUES = 5;

/** The warning printed under `onBadValue: "null"`. */
function describeNulled(label: string, nulled: NulledValues[]): string {
  return nulled
    .map((n) => {
      const at = n.first.map((w) => `${w.line}:${w.column} ${JSON.stringify(w.value)}`).join(", ");
      return `${label}: onBadValue "null": ${n.count} value${n.count === 1 ? "" : "s"} of column "${n.column}" not ${n.type} read as missing (first at ${at}${n.count > n.first.length ? ", ..." : ""})`;
    })
    .join("\n");
}

/** A repeated header name is refused: Polars would silently rename the second to `name_duplicated_0`. */
function assertUniqueNames(r: { fields: string[]; starts: number[]; line: number; lineStart: number }, buf: Buffer, label: string): void {
  const seen = new Map<string, number>();
  r.fields.forEach((name, k) => {
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, k);
      return;
    }
    throw new DataLoadError(
      `duplicate column name ${JSON.stringify(name)} (header fields ${first + 1} and ${k + 1}); rename one of them in the file's header (Polars would silently call this one "${name}_duplicated_0")`,
      { file: label, line: r.line, column: charColumn(buf, r.lineStart, r.starts[k]), columnName: name },
    );
  });
}

/** Null tokens other than the empty field: set to null in text columns; "nan"-like tokens also turn float NaN into null. */
function applyNullTokens(df: DataFrame, naValues: readonly string[], nanSeen: boolean): DataFrame {
  const tokens = naValues.filter((t) => t !== "");
  if (tokens.length === 0) return df;
  const text = df.columns.filter((_, i) => dtypeName(df.dtypes[i]) === "String");
  let out: DataFrame = text.length
    ? df.withColumns(pl.when(pl.col(text).isIn(tokens)).then(pl.lit(null).cast(pl.String)).otherwise(pl.col(text)).keepName())
    : df;
  const numericTokens = tokens.filter((t) => NUMERIC.test(t)).map(Number);
  if (numericTokens.length) {
    // a token such as -999 was parsed as a number
    const nums = out.columns.filter((_, i) => /^(Int|UInt|Float)\d+$/.test(dtypeName(out.dtypes[i])));
    if (nums.length) {
      out = out.withColumns(...nums.map((c) => {
        const hit = numericTokens.map((v) => pl.col(c).eq(pl.lit(v))).reduce((a, b) => a.or(b));
        return pl.when(hit).then(pl.lit(null)).otherwise(pl.col(c)).alias(c);
      }));
    }
  }
  if (nanSeen) {
    const floats = out.columns.filter((_, i) => /^Float/.test(dtypeName(out.dtypes[i])));
    if (floats.length) {
      const nans = out.select(pl.col(floats).isNan().sum()).row(0) as number[];
      const withNan = floats.filter((_, k) => Number(nans[k]) > 0);
      if (withNan.length) out = out.withColumns(...withNan.map((c) => pl.when(pl.col(c).isNan()).then(pl.lit(null).cast(pl.Float64)).otherwise(pl.col(c)).alias(c)));
    }
  }
  return out;
}

/**
 * Text columns (not overridden) whose every non-missing value is a number become Int64 or Float64.
 * Also returns, for the columns that stay text, their counts over all rows and over the first
 * `sampleRows` rows (for the type-break check), from the same single query.
 */
function inferNumericText(df: DataFrame, skip: string[], sampleRows: number | null): { df: DataFrame; text: TextCounts[] } {
  const text = df.columns.filter((c, i) => dtypeName(df.dtypes[i]) === "String" && !skip.includes(c));
  if (text.length === 0) return { df, text: [] };
  // multi-column expressions in one query: one per question, not one per column (expression objects are costly)
  // all rows: non-missing, integers, numbers; the sample (first `sampleRows` rows): non-missing, numbers, true/false
  const all = pl.col(text);
  const stripped = all.str.strip();
  const exprs = [
    all.isNotNull().sum().prefix("n\u0000"),
    stripped.cast(pl.Int64, false).isNotNull().sum().prefix("i\u0000"),
    stripped.cast(pl.Float64, false).isNotNull().sum().prefix("f\u0000"),
  ];
  if (sampleRows !== null) {
    const head = all.head(sampleRows);
    const headStripped = head.str.strip();
    exprs.push(
      head.isNotNull().sum().prefix("sn\u0000"),
      headStripped.cast(pl.Float64, false).isNotNull().sum().prefix("sf\u0000"),
      headStripped.str.toLowerCase().isIn(["true", "false"]).sum().prefix("sb\u0000"),
    );
  }
  const counts = df.select(...exprs).row(0).map(Number);
  const m = text.length;
  const part = (k: number) => counts.slice(k * m, (k + 1) * m);
  const [nonNull, ints, floats] = [part(0), part(1), part(2)];
  const stay: TextCounts[] = [];
  const casts = text.flatMap((c, i) => {
    const n = nonNull[i];
    if (n === 0) return [pl.col(c).cast(pl.Float64).alias(c)]; // nothing but missing: a numeric column of nulls, as pandas does
    if (ints[i] === n) return [pl.col(c).str.strip().cast(pl.Int64, false).alias(c)];
    if (floats[i] === n) return [pl.col(c).str.strip().cast(pl.Float64, false).alias(c)];
    const sample = sampleRows === null ? undefined : { nonNull: part(3)[i], numbers: part(4)[i], bools: part(5)[i] };
    stay.push({ column: c, nonNull: n, ints: ints[i], floats: floats[i], sample });
    return [];
  });
  return { df: casts.length ? df.withColumns(...casts) : df, text: stay };
}

/** Polars' short dtype spelling ("f64", "i64", "str", ...). */
function shortDtype(dtype: DataType): string {
  const n = dtypeName(dtype);
  const m = /^(Int|UInt|Float)(\d+)$/.exec(n);
  if (m) return (m[1] === "Int" ? "i" : m[1] === "UInt" ? "u" : "f") + m[2];
  return n === "Bool" ? "bool" : n === "Date" ? "date" : n === "String" ? "str" : n.toLowerCase();
}

/** First data field of `col` that is neither a null token nor parseable as `dtype`. */
function findBadValue(
  buf: Buffer, d: DelimitedDialect, hasHeader: boolean, names: string[], naValues: readonly string[], col: string, dtype: string, exact?: string,
): { line: number; column: number; text: string } | undefined {
  const idx = names.indexOf(col);
  const na = new Set(naValues);
  let where: { line: number; column: number; text: string } | undefined;
  let skip = hasHeader;
  forEachRecord(buf, d, (r) => {
    if (skip) { skip = false; return true; }
    const f = r.fields[idx];
    if (f === undefined || na.has(f)) return true;
    if (f === exact || !fitsDtype(f, dtype)) {
      where = { line: r.line, column: charColumn(buf, r.lineStart, r.starts[idx]), text: f };
      return false;
    }
    return true;
  });
  return where;
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function locateParseError(
  err: Error,
  buf: Buffer,
  d: DelimitedDialect,
  hasHeader: boolean,
  names: string[],
  naValues: readonly string[],
  label: string,
  overrides: Record<string, DataType>,
): { error: () => DataLoadError; retryAsInferred: boolean } {
  const msg = String(err.message ?? err);
  const col = /at column '([^']*)'/.exec(msg)?.[1];
  const value = /could not parse `([\s\S]*?)` as dtype `([^`]+)`/.exec(msg);
  const firstLine = msg.split("\n")[0];
  if (/utf-?8/i.test(firstLine)) assertUtf8(buf, label, { dialect: d, names }); // throws, located
  if (col !== undefined && value) {
    const dtype = value[2];
    const explicit = col in overrides;
    // located only when thrown: the usual outcome is a retry, and locating scans the whole file
    const error = () => {
      const where = findBadValue(buf, d, hasHeader, names, naValues, col, dtype, value[1]);
      const problem = `cannot parse ${JSON.stringify(where?.text ?? value[1])} as ${dtype}` +
        (explicit ? " (type set by the schema override)" : " (type inferred from the first rows; pass schema to override)");
      return new DataLoadError(problem, { file: label, line: where?.line, column: where?.column, columnName: col }, { cause: err });
    };
    return { error, retryAsInferred: !explicit };
  }
  if (/empty/i.test(firstLine)) {
    return { error: () => new DataLoadError("file is empty (no header, no rows)", { file: label, line: 1, column: 1 }, { cause: err }), retryAsInferred: false };
  }
  return { error: () => new DataLoadError(`Polars could not read the file: ${firstLine}`, { file: label }, { cause: err }), retryAsInferred: false };
}

function fitsDtype(text: string, dtype: string): boolean {
  if (/^[iu]\d+$/.test(dtype)) return /^\s*[-+]?\d+\s*$/.test(text);
  if (/^f\d+$/.test(dtype)) return NUMERIC.test(text) || /^\s*[-+]?(inf|infinity|nan)\s*$/i.test(text);
  if (dtype === "bool") return /^(true|false)$/i.test(text.trim());
  if (dtype === "date") return /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
  return true;
}
