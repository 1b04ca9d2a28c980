/** Small HTML helpers for deploy-area displays (tables with escaped cells). */

/** Escapes text for HTML. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Formats a cell value: numbers to 4 significant digits, objects as compact JSON. */
export function fmt(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** An HTML table of rows (columns in the given order). */
export function htmlTable(columns: string[], rows: Array<Record<string, unknown>>, caption?: string): string {
  const head = columns.map((c) => `<th>${esc(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${esc(fmt(r[c]))}</td>`).join("")}</tr>`).join("");
  return `<table class="sciforge-table">${caption ? `<caption>${esc(caption)}</caption>` : ""}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A fixed-width text table (the text/plain fallback). */
export function textTable(columns: string[], rows: Array<Record<string, unknown>>): string {
  const cells = rows.map((r) => columns.map((c) => fmt(r[c])));
  const width = columns.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const line = (vals: string[]) => vals.map((v, j) => v.padEnd(width[j])).join("  ").trimEnd();
  return [line(columns), line(width.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
