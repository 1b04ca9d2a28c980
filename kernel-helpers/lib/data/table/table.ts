/** Rich display of a Polars DataFrame as an HTML table (plus a text fallback). */
import type { DataFrame } from "../polars";
import { columnDtypes, dtypeOf, dtypeName } from "../polars";
import { REPR, display, registerFormatter, type Reprable, type DisplayHandle } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import { escapeHtml, formatCell, textTable } from "./html";

/** Options for {@link table}. */
export interface TableOptions {
  /** Rows shown: the first half and the last half of this many (default 20). */
  maxRows?: number;
  /** Columns shown before the rest are elided (default 30). */
  maxColumns?: number;
  /** Caption above the table. */
  caption?: string;
}

/** The MIME bundle of a DataFrame: text/html table with dtypes and shape, text/plain fallback. */
export function tableBundle(df: DataFrame, options: TableOptions = {}): MimeBundle {
  const maxRows = options.maxRows ?? 20;
  const maxCols = options.maxColumns ?? 30;
  const cols = df.columns.slice(0, maxCols);
  const moreCols = df.width - cols.length;
  const sub = df.select(...cols);
  const elide = df.height > maxRows;
  const headN = elide ? Math.ceil(maxRows / 2) : df.height;
  const tailN = elide ? Math.floor(maxRows / 2) : 0;
  const head = sub.head(headN).toRecords() as Record<string, unknown>[];
  const tail = tailN > 0 ? (sub.tail(tailN).toRecords() as Record<string, unknown>[]) : [];
  const dtypes = columnDtypes(df);
  const types = cols.map((c) => dtypeName(dtypeOf(dtypes, c)));
  const shape = `${df.height.toLocaleString("en-US")} rows × ${df.width} columns`;
  const toCells = (r: Record<string, unknown>) => cols.map((c) => formatCell(r[c]));
  const h: string[] = [];
  h.push(`<div class="sciforge-table">`);
  if (options.caption) h.push(`<div><b>${escapeHtml(options.caption)}</b></div>`);
  h.push(`<table><thead><tr><th></th>${cols.map((c, i) => `<th title="${escapeHtml(types[i])}">${escapeHtml(c)}<br><small>${escapeHtml(types[i])}</small></th>`).join("")}${moreCols > 0 ? "<th>…</th>" : ""}</tr></thead><tbody>`);
  const row = (i: number, r: Record<string, unknown>) =>
    `<tr><th>${i}</th>${toCells(r).map((s, k) => (r[cols[k]] === null ? `<td style="color:#999">null</td>` : `<td>${escapeHtml(s)}</td>`)).join("")}${moreCols > 0 ? "<td>…</td>" : ""}</tr>`;
  head.forEach((r, i) => h.push(row(i, r)));
  if (elide) h.push(`<tr><th>…</th>${cols.map(() => "<td>…</td>").join("")}${moreCols > 0 ? "<td>…</td>" : ""}</tr>`);
  tail.forEach((r, i) => h.push(row(df.height - tailN + i, r)));
  h.push(`</tbody></table><small>${shape}${moreCols > 0 ? ` (${moreCols} columns not shown)` : ""}</small></div>`);
  const textRows = [...head.map(toCells), ...(elide ? [cols.map(() => "…")] : []), ...tail.map(toCells)];
  const text = textTable(cols.map((c, i) => `${c} (${types[i]})`), textRows) + `\n${shape}`;
  return { [MIME.html]: h.join(""), [MIME.text]: text };
}

/**
 * Wraps a DataFrame so that it displays as a rich table: `table(df)` as a cell's last value, or
 * `display(table(df, { maxRows: 50 }))`.
 */
export function table(df: DataFrame, options: TableOptions = {}): Reprable {
  return { [REPR]: () => tableBundle(df, options) };
}

/** Displays a DataFrame as a rich table now; returns the display handle. */
export function showTable(df: DataFrame, options: TableOptions = {}): DisplayHandle {
  return display(table(df, options));
}

/** Whether a value is a nodejs-polars DataFrame (any copy of the package). */
export function isDataFrame(v: object): v is DataFrame {
  return (v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "DataFrame" && Array.isArray((v as DataFrame).columns) && typeof (v as DataFrame).getColumn === "function";
}

// A DataFrame that is a cell's value, or passed to display(), shows as the rich table.
registerFormatter({ name: "polars.DataFrame", test: isDataFrame, bundle: (v) => tableBundle(v as DataFrame) });
