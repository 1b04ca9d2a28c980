/** Small helpers shared by the data area's HTML and text renderings. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A cell value as short text: numbers to 4 significant digits, null as an empty cell. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
  }
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString().replace(/T00:00:00\.000Z$/, "");
  return String(v);
}

/** Lays rows of cells out as a fixed-width text table with a header rule. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.min(40, Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length))));
  const cut = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + "…" : s);
  const line = (cells: string[]) => cells.map((s, c) => cut(s, widths[c]).padEnd(widths[c])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
