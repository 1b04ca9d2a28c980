/** HTML and text renderings of a data profile. */
import type { DataProfilePayload } from "./types";
import { sparklineSvg } from "./sparkline";
import { escapeHtml, formatCell, textTable } from "../table/html";

const f = (v: unknown) => (v === undefined ? "" : formatCell(v));

/** The profile as an HTML table with inline sparkline histograms. */
export function profileHtml(p: DataProfilePayload): string {
  const out: string[] = [];
  out.push(`<div class="sciforge-profile"><div><b>${p.rows.toLocaleString("en-US")} rows × ${p.columns} columns</b> · ` +
    `${p.missingCells.toLocaleString("en-US")} missing cells · ${p.duplicateRows.toLocaleString("en-US")} duplicate rows</div>`);
  out.push("<table><thead><tr><th>column</th><th>type</th><th>missing</th><th>distinct</th><th>min</th><th>max</th><th>mean</th><th>std</th>" +
    "<th>25%</th><th>50%</th><th>75%</th><th>outliers</th><th>top values</th><th>distribution</th></tr></thead><tbody>");
  for (const c of p.columnProfiles) {
    const top = c.top.slice(0, 3).map((t) => `${escapeHtml(formatCell(t.value))} (${t.count})`).join(", ");
    const miss = c.missing > 0 ? `<span style="color:#c0392b">${c.missing} (${c.missingPct.toFixed(1)}%)</span>` : "0";
    out.push(`<tr><td><b>${escapeHtml(c.name)}</b></td><td>${escapeHtml(c.dtype)}</td><td>${miss}</td><td>${c.distinct}</td>` +
      [c.min, c.max, c.mean, c.std, c.q25, c.median, c.q75, c.outliers].map((v) => `<td>${escapeHtml(f(v))}</td>`).join("") +
      `<td>${top}</td><td>${c.histogram ? sparklineSvg(c.histogram) : ""}</td></tr>`);
  }
  out.push("</tbody></table>");
  if (p.target) {
    out.push(`<div>target <b>${escapeHtml(p.target.column)}</b>: ` +
      p.target.classes.map((k) => `${escapeHtml(k.value)} ${k.count} (${(100 * k.fraction).toFixed(1)}%)`).join(" · ") +
      ` — min/max ratio ${p.target.imbalanceRatio.toFixed(2)}</div>`);
  }
  out.push("</div>");
  return out.join("");
}

/** The profile as a plain-text table. */
export function profileText(p: DataProfilePayload): string {
  const header = ["column", "type", "missing", "distinct", "min", "max", "mean", "std", "25%", "50%", "75%", "outliers", "top"];
  const rows = p.columnProfiles.map((c) => [
    c.name, c.dtype, c.missing > 0 ? `${c.missing} (${c.missingPct.toFixed(1)}%)` : "0", String(c.distinct),
    ...[c.min, c.max, c.mean, c.std, c.q25, c.median, c.q75, c.outliers].map(f),
    c.top.slice(0, 2).map((t) => `${formatCell(t.value)}:${t.count}`).join(" "),
  ]);
  let s = `${p.rows} rows × ${p.columns} columns, ${p.missingCells} missing cells, ${p.duplicateRows} duplicate rows\n` + textTable(header, rows);
  if (p.target) {
    s += `\ntarget ${p.target.column}: ` + p.target.classes.map((k) => `${k.value} ${k.count} (${(100 * k.fraction).toFixed(1)}%)`).join(", ");
  }
  return s;
}
