/**
 * Metrics report (MIME.metricsReport): headline metrics, the classification report table and a
 * confusion matrix heat map — or the regression summary. Labels are data: text only.
 */
import { el, fmt, incoming, isRecord, jsonRenderer } from "./dom";
import type { MetricsReportPayload } from "../../kernel-helpers/lib/payloads";

const CSS = `
.sciforge-metrics .summary{display:flex;flex-wrap:wrap;gap:6px 18px;margin:4px 0 8px}
.sciforge-metrics .summary b{font-weight:600}
.sciforge-metrics .cm td.cell{text-align:center;min-width:36px}
.sciforge-metrics .cm th.pred{writing-mode:initial}
.sciforge-metrics .section{margin-top:10px}
`;

const SUMMARY_ORDER = ["accuracy", "balancedAccuracy", "f1Macro", "f1Weighted", "precisionMacro", "recallMacro", "rocAuc", "averagePrecision", "logLoss", "matthewsCorrcoef", "cohenKappa", "mse", "rmse", "mae", "r2"];

function summary(s: Record<string, unknown>): HTMLElement {
  const box = el("div", undefined, "summary");
  const keys = Object.keys(s).sort((a, b) => (SUMMARY_ORDER.indexOf(a) + 1 || 99) - (SUMMARY_ORDER.indexOf(b) + 1 || 99));
  for (const k of keys) {
    const span = el("span");
    span.appendChild(el("span", `${k} `, "muted"));
    span.appendChild(el("b", fmt(s[k])));
    box.appendChild(span);
  }
  return box;
}

function reportTable(report: Record<string, unknown>, labels: string[]): HTMLTableElement {
  const table = el("table", undefined, "report");
  const head = el("tr");
  ["", "precision", "recall", "f1-score", "support"].forEach((h) => head.appendChild(el("th", h)));
  table.appendChild(head);
  const rows = [...labels, ...Object.keys(report).filter((k) => !labels.includes(k))];
  for (const name of rows) {
    const r = report[name];
    const tr = el("tr");
    tr.appendChild(el("td", name, "label"));
    if (isRecord(r)) ["precision", "recall", "f1-score", "support"].forEach((k) => tr.appendChild(el("td", fmt(r[k], 3))));
    else {
      tr.appendChild(el("td", ""));
      tr.appendChild(el("td", ""));
      tr.appendChild(el("td", fmt(r, 3)));
      tr.appendChild(el("td", ""));
    }
    table.appendChild(tr);
  }
  return table;
}

function confusion(matrix: number[][], labels: string[], normalized?: number[][]): HTMLTableElement {
  const table = el("table", undefined, "cm");
  const head = el("tr");
  head.appendChild(el("th", "true \\ predicted"));
  labels.forEach((l) => head.appendChild(el("th", l, "pred")));
  table.appendChild(head);
  const max = Math.max(1, ...matrix.flat());
  matrix.forEach((row, i) => {
    const tr = el("tr");
    tr.appendChild(el("th", labels[i] ?? String(i), "label"));
    row.forEach((v, j) => {
      const frac = normalized?.[i]?.[j] ?? v / max;
      const td = el("td", fmt(v), "cell");
      td.style.background = `rgba(55, 148, 255, ${(0.08 + 0.72 * Math.max(0, Math.min(1, frac))).toFixed(2)})`;
      td.title = normalized ? `${labels[i]} → ${labels[j]}: ${(frac * 100).toFixed(1)}% of ${labels[i]}` : "";
      tr.appendChild(td);
    });
    table.appendChild(tr);
  });
  return table;
}

export function renderMetricsReport(json: unknown, element: HTMLElement): void {
  const payload = incoming<MetricsReportPayload>(json, "metrics report");
  const root = el("div", undefined, "sciforge-out sciforge-metrics");
  const task = typeof payload.task === "string" ? payload.task : "";
  root.appendChild(el("div", `Metrics report${task ? ` · ${task}` : ""}${typeof payload.nSamples === "number" ? ` · ${payload.nSamples} samples` : ""}`, "title"));
  if (isRecord(payload.summary)) root.appendChild(summary(payload.summary));
  const c = payload.classification;
  if (isRecord(c)) {
    const labels = Array.isArray(c.labels) ? c.labels.map(String) : [];
    if (isRecord(c.report)) {
      const sec = el("div", undefined, "section");
      sec.appendChild(el("div", "Classification report", "title"));
      sec.appendChild(reportTable(c.report, labels));
      root.appendChild(sec);
    }
    if (Array.isArray(c.confusionMatrix)) {
      const sec = el("div", undefined, "section");
      sec.appendChild(el("div", "Confusion matrix", "title"));
      sec.appendChild(confusion(c.confusionMatrix as number[][], labels, Array.isArray(c.confusionMatrixNormalized) ? (c.confusionMatrixNormalized as number[][]) : undefined));
      root.appendChild(sec);
    }
  }
  const r = payload.regression;
  if (isRecord(r) && isRecord(r.residuals)) {
    const sec = el("div", undefined, "section");
    sec.appendChild(el("div", "Residuals", "title"));
    sec.appendChild(summary(r.residuals));
    root.appendChild(sec);
  }
  if (Array.isArray(payload.notes)) for (const n of payload.notes) root.appendChild(el("div", n, "muted"));
  element.replaceChildren(root);
}

export const activate = jsonRenderer("sciforge-metrics", CSS, "metrics report", renderMetricsReport);
