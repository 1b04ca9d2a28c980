/**
 * Lazy scans for files too large to load whole: Polars plans the query and reads only what it
 * needs; {@link collectWithProgress} pulls the result in row batches and shows progress.
 */
import { statSync } from "node:fs";
import { pl, type DataFrame, type LazyDataFrame, type DataType } from "../polars";
import { DataLoadError } from "../errors";
import { display, REPR, type DisplayHandle } from "../../display/display";
import { MIME } from "../../display/mime";
import { DEFAULT_NA_VALUES, parseDtype, type ColumnType } from "./column-types";

/** Options for {@link scanData}. */
export interface ScanOptions {
  /** CSV separator (default: tab for .tsv, else comma). */
  sep?: string;
  /** CSV: first line is a header (default true). */
  header?: boolean;
  /** CSV: missing-value tokens (default {@link DEFAULT_NA_VALUES}). */
  naValues?: readonly string[];
  /** CSV: full explicit schema (all columns), otherwise inferred from `inferRows` rows. */
  schema?: Record<string, ColumnType>;
  inferRows?: number;
}

/**
 * Lazily scans a CSV/TSV, Parquet, Arrow IPC or JSON Lines file: nothing is read until `collect`.
 * Filter and select before collecting so Polars pushes them down into the reader.
 * ```ts
 * const lf = scanData("huge.parquet").filter(pl.col("y").gt(0)).select("a", "y");
 * const df = await collectWithProgress(lf);
 * ```
 */
export function scanData(path: string, options: ScanOptions = {}): LazyDataFrame {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new DataLoadError(`cannot read file: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  if (size === 0) throw new DataLoadError("file is empty", { file: path, line: 1, column: 1 });
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? "";
  if (ext === "parquet" || ext === "pq") return pl.scanParquet(path);
  if (ext === "arrow" || ext === "ipc" || ext === "feather") return pl.scanIPC(path);
  if (ext === "jsonl" || ext === "ndjson") return pl.scanJson(path, { inferSchemaLength: options.inferRows ?? 10_000 });
  const schema: Record<string, DataType> | undefined = options.schema
    ? Object.fromEntries(Object.entries(options.schema).map(([k, t]) => [k, parseDtype(t)]))
    : undefined;
  return pl.scanCSV(path, {
    sep: options.sep ?? (ext === "tsv" || ext === "tab" ? "\t" : ","),
    hasHeader: options.header ?? true,
    nullValues: [...(options.naValues ?? DEFAULT_NA_VALUES)],
    inferSchemaLength: options.inferRows ?? 10_000,
    ...(schema ? { schema } : {}),
  });
}

/** Options for {@link collectWithProgress}. */
export interface CollectOptions {
  /** Rows per batch (default 250,000). */
  batchRows?: number;
  /** Total rows, when known, for a percentage (otherwise rows so far are shown). */
  totalRows?: number;
  /** Show a progress display that updates in place (default true). */
  progress?: boolean;
  /** Called with each batch; when given, batches are not kept (constant memory) and an empty frame is returned. */
  onBatch?: (batch: DataFrame, offset: number) => void;
  label?: string;
}

function progressBundle(label: string, rows: number, total: number | undefined, done: boolean) {
  const pct = total ? Math.min(100, (100 * rows) / total) : undefined;
  const text = `${label}: ${rows.toLocaleString("en-US")} rows${total ? ` of ${total.toLocaleString("en-US")} (${pct!.toFixed(0)}%)` : ""}${done ? " — done" : ""}`;
  const bar = pct !== undefined ? `<progress max="100" value="${pct.toFixed(1)}" style="width:240px"></progress> ` : "";
  return { [REPR]: () => ({ [MIME.html]: `<div>${bar}<code>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</code></div>`, [MIME.text]: text }) };
}

/**
 * Collects a lazy frame batch by batch (each batch is a slice of the query), updating a progress
 * display between batches. With `onBatch` the batches are streamed to the callback instead of kept
 * (constant memory for files larger than memory). Each batch re-runs the plan with a row slice:
 * Parquet/IPC readers jump to it, a CSV scan reads the file up to it — for a big CSV prefer a
 * filtering/aggregating query, or convert it to Parquet once.
 */
export async function collectWithProgress(lf: LazyDataFrame, options: CollectOptions = {}): Promise<DataFrame> {
  const batchRows = options.batchRows ?? 250_000;
  const label = options.label ?? "loading";
  const show = options.progress ?? true;
  let handle: DisplayHandle | undefined;
  const parts: DataFrame[] = [];
  let offset = 0;
  for (;;) {
    const batch = lf.slice(offset, batchRows).collectSync();
    if (batch.height > 0) {
      if (options.onBatch) options.onBatch(batch, offset);
      else parts.push(batch);
    }
    offset += batch.height;
    const done = batch.height < batchRows;
    if (show) {
      const b = progressBundle(label, offset, options.totalRows, done);
      if (!handle) handle = display(b);
      else handle.update(b);
    }
    if (done) break;
    await new Promise((r) => setImmediate(r)); // let an interrupt or other output through
  }
  if (parts.length === 0) return lf.slice(0, 0).collectSync();
  return parts.length === 1 ? parts[0] : pl.concat(parts, { how: "vertical", rechunk: true });
}
