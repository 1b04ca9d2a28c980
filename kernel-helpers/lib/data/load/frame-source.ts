/**
 * From a loaded frame's row index back to the file: the line (and character column) where a data
 * row's record starts, counted the way Polars' reader counts rows (blank lines before the header
 * are skipped; after it, every line is a row, a blank one included; a quoted field may span
 * lines). Frames returned by the CSV reader remember their source here, so that later reports
 * (`coerce`, `onBadValue: "null"`) can name `file:line:column` instead of a row index.
 */
import type { DataFrame } from "../polars";
import { charColumn, forEachRecord, type DelimitedDialect } from "./delimited-scan";

const NL = 10;
const CR = 13;

/** Where a loaded frame's rows came from. */
export interface FrameSource {
  /** The file (or label) named in messages. */
  label: string;
  dialect: DelimitedDialect;
  hasHeader: boolean;
  /** Every column name of the file, in file order (the frame may hold fewer). */
  names: string[];
  /** The parsed bytes again (re-read from disk when needed); undefined when the file changed since. */
  bytes: () => Buffer | undefined;
  /** The file's line of a line of those bytes (when lines were skipped). */
  fileLine?: (line: number) => number;
  /** What the reader changed on the way (values read as missing under `onBadValue: "null"`). */
  report: LoadReport;
}

/** Values a loader read as missing because they did not fit their column's type. */
export interface NulledValues {
  column: string;
  /** The type they did not fit ("f64", "i64", "bool", ...). */
  type: string;
  /** Why the column has that type: set by `schema`, or inferred from its first `inferRows` rows. */
  typeFrom: "schema" | "inferred";
  /** How many values were read as missing. */
  count: number;
  /** The first few, with their file line and character column. */
  first: ValueLocation[];
}

/** What `readCsv` / `parseCsv` changed while loading a frame (see {@link loadReport}). */
export interface LoadReport {
  file: string;
  /** Values read as missing under `onBadValue: "null"`, per column; empty when none were. */
  nulled: NulledValues[];
}

/** A located value: file line, character column, and the field's text. */
export interface ValueLocation {
  line: number;
  column: number;
  value: string;
}

const sources = new WeakMap<DataFrame, FrameSource>();

/** Records where a frame's rows came from (done by the CSV reader for the frame it returns). */
export function rememberSource(df: DataFrame, source: FrameSource): void {
  sources.set(df, source);
}

/** Where a frame's rows came from, if it is a frame the CSV reader returned (not one derived from it). */
export function frameSource(df: DataFrame): FrameSource | undefined {
  return sources.get(df);
}

/**
 * What the CSV reader changed while loading this frame: the values it read as missing under
 * `onBadValue: "null"` (how many per column, the first ones' file:line:column). Undefined for a
 * frame that did not come straight from `readCsv` / `parseCsv` / `readData`.
 * ```ts
 * const df = readCsv("data.csv", { onBadValue: "null" });
 * loadReport(df)?.nulled  // [{ column: "score", type: "f64", count: 2, first: [{ line: 5001, column: 7, value: "n/a?" }, ...] }]
 * ```
 */
export function loadReport(df: DataFrame): LoadReport | undefined {
  return sources.get(df)?.report;
}

/**
 * A walker over records: `next(i)` gives the end (exclusive) of the record starting at byte `i`
 * and the newlines it holds (more than one when a quoted field spans lines). Lines without a
 * quote character are found with indexOf alone.
 */
function recordWalker(buf: Buffer, d: DelimitedDialect): (i: number) => { end: number; newlines: number } {
  const n = buf.length;
  const SEP = d.sep.charCodeAt(0);
  const Q = d.quote.charCodeAt(0);
  let nextQuote = buf.indexOf(Q);
  return (i) => {
    const j = buf.indexOf(NL, i);
    const lineEnd = j < 0 ? n : j + 1;
    if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf(Q, i);
    if (nextQuote === -1 || nextQuote >= lineEnd) return { end: lineEnd, newlines: j < 0 ? 0 : 1 };
    let inQuote = false;
    let fieldStart = i;
    let newlines = 0;
    for (let k = i; k < n; k++) {
      const b = buf[k];
      if (inQuote) {
        if (b === Q) {
          if (buf[k + 1] === Q) k++;
          else inQuote = false;
        } else if (b === NL) newlines++;
      } else if (b === NL) return { end: k + 1, newlines: newlines + 1 };
      else if (b === SEP) fieldStart = k + 1;
      else if (b === Q && k === fieldStart) inQuote = true;
    }
    return { end: n, newlines };
  };
}

/**
 * Line (1-based, of `buf`) and byte offset where each data row starts. `rows` must be ascending;
 * rows past the end are left out.
 */
export function rowStarts(buf: Buffer, d: DelimitedDialect, hasHeader: boolean, rows: readonly number[]): Array<{ row: number; line: number; start: number }> {
  const n = buf.length;
  const next = recordWalker(buf, d);
  let i = 0;
  let line = 1;
  if (hasHeader) {
    while (i < n && (buf[i] === NL || (buf[i] === CR && buf[i + 1] === NL))) {
      i += buf[i] === CR ? 2 : 1;
      line++;
    }
    const h = next(i);
    i = h.end;
    line += h.newlines;
  }
  const out: Array<{ row: number; line: number; start: number }> = [];
  let row = 0;
  for (const want of rows) {
    while (row < want && i < n) {
      const r = next(i);
      i = r.end;
      line += r.newlines;
      row++;
    }
    if (row !== want || i >= n) break;
    out.push({ row, line, start: i });
  }
  return out;
}

/**
 * File line, character column and text of column `name` in the given data rows (ascending) of a
 * frame the CSV reader returned; undefined when its source cannot be read again unchanged.
 */
export function locateRows(src: FrameSource, name: string, rows: readonly number[]): ValueLocation[] | undefined {
  const buf = src.bytes();
  const idx = src.names.indexOf(name);
  if (!buf || idx < 0) return undefined;
  return rowStarts(buf, src.dialect, src.hasHeader, rows).map(({ line, start }) => {
    let column = 1;
    let value = "";
    const rec = buf.subarray(start);
    forEachRecord(rec, src.dialect, (r) => {
      if (r.starts[idx] !== undefined) {
        column = charColumn(rec, 0, r.starts[idx]);
        value = r.fields[idx];
      }
      return false;
    });
    return { line: src.fileLine ? src.fileLine(line) : line, column, value };
  });
}
