/** HTML rendering of a metrics report: summary table, per-class table and the pictures. */
import type { Figure } from "../plot/figure";
import type { MetricsReport } from "../metrics/metrics-report";
import type { ReportRow } from "../metrics/classification/report";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function fmt(v: number, digits = 4): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

const TABLE = 'style="border-collapse:collapse;font-family:sans-serif;font-size:13px;margin:4px 12px 8px 0"';
const CELL = 'style="padding:2px 10px;text-align:right;border-bottom:1px solid #ddd"';
const HEAD = 'style="padding:2px 10px;text-align:right;border-bottom:2px solid #999"';

/** The text/html part of evaluate()'s bundle. */
export function reportHtml(report: MetricsReport, figures: Record<string, Figure>): string {
  const parts: string[] = [`<div class="sciforge-metrics-report"><b>${esc(report.task)} evaluation</b>, ${report.nSamples} samples`];
  const summary = Object.entries(report.summary)
    .map(([k, v]) => `<tr><td ${CELL} style="text-align:left">${esc(k)}</td><td ${CELL}>${fmt(v)}</td></tr>`)
    .join("");
  parts.push(`<div style="display:flex;flex-wrap:wrap;align-items:flex-start"><table ${TABLE}><tr><th ${HEAD}>metric</th><th ${HEAD}>value</th></tr>${summary}</table>`);
  const c = report.classification;
  if (c) {
    const rows = Object.entries(c.report)
      .map(([name, r]) => {
        if (typeof r === "number") return `<tr><td ${CELL}><i>${esc(name)}</i></td><td ${CELL}></td><td ${CELL}></td><td ${CELL}>${fmt(r)}</td><td ${CELL}></td></tr>`;
        const row = r as ReportRow;
        const avg = name.endsWith(" avg");
        const label = avg ? `<i>${esc(name)}</i>` : esc(name);
        return `<tr><td ${CELL}>${label}</td><td ${CELL}>${fmt(row.precision)}</td><td ${CELL}>${fmt(row.recall)}</td><td ${CELL}>${fmt(row["f1-score"])}</td><td ${CELL}>${Number.isInteger(row.support) ? row.support : fmt(row.support, 2)}</td></tr>`;
      })
      .join("");
    parts.push(
      `<table ${TABLE}><tr><th ${HEAD}></th><th ${HEAD}>precision</th><th ${HEAD}>recall</th><th ${HEAD}>f1-score</th><th ${HEAD}>support</th></tr>${rows}</table>`,
    );
  }
  parts.push("</div>");
  const images = Object.entries(figures)
    .filter(([, f]) => f.png)
    .map(([name, f]) => `<img alt="${esc(name)}" src="data:image/png;base64,${f.png!.toString("base64")}" style="max-width:480px;margin:4px">`);
  if (images.length) parts.push(`<div style="display:flex;flex-wrap:wrap">${images.join("")}</div>`);
  if (report.notes.length) parts.push(`<div style="color:#666;font-size:12px">${report.notes.map(esc).join("; ")}</div>`);
  parts.push("</div>");
  return parts.join("");
}
