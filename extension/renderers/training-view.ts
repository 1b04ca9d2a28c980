/**
 * Drawing of a live training payload (MIME.training): status line, progress bar, current metrics,
 * loss / metric curves per epoch (SVG) and the epoch table. The one drawing both the notebook
 * renderer (training.renderer.ts) and the Training Dashboard webview (host/dashboard.ts, which
 * loads the renderer's bundle) use. Tolerant of missing fields: everything is read defensively.
 */
import type { TrainingEpoch, TrainingPayload } from "../../kernel-helpers/lib/payloads";
import { BASE_CSS, el, ensureStyle, fmt, incoming, isRecord, renderError, svgEl, type Incoming } from "./dom";

export const TRAINING_CSS = `
.sciforge-training .curves{display:flex;gap:16px;flex-wrap:wrap}
.sciforge-training svg text{fill:var(--vscode-descriptionForeground,#888);font-size:10px}
.sciforge-training .legend span{margin-right:12px}
`;

const COLORS = ["var(--vscode-charts-blue,#3794ff)", "var(--vscode-charts-orange,#d18616)", "var(--vscode-charts-green,#89d185)", "var(--vscode-charts-purple,#b180d7)", "var(--vscode-charts-red,#f14c4c)"];

type Row = Incoming<TrainingEpoch>;

function numbers(history: Row[], key: string): number[] {
  return history.map((h) => h[key]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
}

function curve(history: Row[], keys: string[], title: string): SVGSVGElement | null {
  const series = keys.map((k) => [k, numbers(history, k)] as const).filter(([, v]) => v.length > 0);
  if (series.length === 0 || history.length < 1) return null;
  const w = 320, h = 150, pad = 28;
  const all = series.flatMap(([, v]) => v);
  const lo = Math.min(...all), hi = Math.max(...all);
  const span = hi - lo || 1;
  const n = Math.max(...series.map(([, v]) => v.length));
  const svg = svgEl("svg", { width: w, height: h, class: "sciforge-curve", "data-title": title });
  const x = (i: number) => pad + (n <= 1 ? 0 : (i / (n - 1)) * (w - pad - 8));
  const y = (v: number) => h - pad + 8 - ((v - lo) / span) * (h - pad - 8);
  svg.appendChild(svgEl("line", { x1: pad, y1: h - pad + 8, x2: w - 8, y2: h - pad + 8, stroke: "currentColor", "stroke-opacity": 0.3 }));
  const t = svgEl("text", { x: pad, y: 10 });
  t.textContent = title;
  svg.appendChild(t);
  for (const [label, v] of [[fmt(hi, 3), 0], [fmt(lo, 3), 1]] as const) {
    const tx = svgEl("text", { x: 0, y: v === 0 ? 22 : h - pad + 8 });
    tx.textContent = label;
    svg.appendChild(tx);
  }
  series.forEach(([k, v], i) => {
    const color = COLORS[i % COLORS.length];
    const pts = v.map((val, j) => `${x(j).toFixed(1)},${y(val).toFixed(1)}`).join(" ");
    svg.appendChild(svgEl("polyline", { points: pts, fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": k.startsWith("val_") ? "5 3" : "", class: `series series-${k.replace(/[^\w-]/g, "_")}` }));
    v.forEach((val, j) => svg.appendChild(svgEl("circle", { cx: x(j).toFixed(1), cy: y(val).toFixed(1), r: 2.5, fill: color })));
  });
  return svg;
}

export function renderTraining(payload: unknown, element: HTMLElement): void {
  const p = incoming<TrainingPayload>(payload, "training payload");
  const root = el("div", undefined, "sciforge-out sciforge-training");
  const epochs = Number(p.epochs) || 0;
  const epoch = Number(p.epoch) || 0;
  const batch = Number(p.batch) || 0;
  const perEpoch = Math.max(1, Number(p.batchesPerEpoch) || 1);
  const status = typeof p.status === "string" ? p.status : "running";
  const history = Array.isArray(p.history) ? (p.history.filter(isRecord) as Row[]) : [];
  const pct = status === "done" ? 100 : epochs > 0 ? Math.min(100, ((Math.max(0, epoch - 1) + batch / perEpoch) / epochs) * 100) : 0;
  const head =
    status === "running"
      ? `Training · epoch ${epoch}/${epochs} · batch ${batch}/${perEpoch}`
      : `Training ${status} · ${history.length}/${epochs} epochs${typeof p.elapsedSeconds === "number" ? ` in ${fmt(p.elapsedSeconds, 3)} s` : ""}`;
  root.appendChild(el("div", head, `title status-${status.replace(/\W/g, "")}`));
  const extra: string[] = [];
  if (typeof p.backend === "string" && p.backend) extra.push(`backend ${p.backend}`);
  if (typeof p.samplesPerSec === "number" && p.samplesPerSec > 0) extra.push(`${Math.round(p.samplesPerSec)} samples/s`);
  if (status === "running" && typeof p.etaSeconds === "number" && Number.isFinite(p.etaSeconds)) extra.push(`ETA ${Math.round(p.etaSeconds)} s`);
  if (extra.length) root.appendChild(el("div", extra.join(" · "), "muted"));
  const bar = el("div", undefined, "bar");
  const fill = el("div");
  fill.style.width = `${pct.toFixed(1)}%`;
  bar.appendChild(fill);
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-valuenow", pct.toFixed(0));
  root.appendChild(bar);
  if (isRecord(p.logs) && Object.keys(p.logs).length) {
    root.appendChild(el("div", Object.entries(p.logs).map(([k, v]) => `${k} ${fmt(v)}`).join("   "), "logs"));
  }
  if (typeof p.message === "string" && p.message) root.appendChild(el("div", p.message, "message"));
  const keys = [...new Set(history.flatMap((h) => Object.keys(h)))].filter((k) => !["epoch", "seconds", "samplesPerSec"].includes(k));
  const lossKeys = keys.filter((k) => /loss/i.test(k));
  const metricKeys = keys.filter((k) => !/loss/i.test(k) && k !== "lr");
  const curves = el("div", undefined, "curves");
  const c1 = curve(history, lossKeys, "loss");
  const c2 = curve(history, metricKeys, "metrics");
  if (c1) curves.appendChild(c1);
  if (c2) curves.appendChild(c2);
  if (curves.childElementCount) {
    root.appendChild(curves);
    const legend = el("div", undefined, "legend muted");
    [...lossKeys, ...metricKeys].forEach((k) => legend.appendChild(el("span", k)));
    root.appendChild(legend);
  }
  if (history.length) {
    const table = el("table");
    const tr = el("tr");
    ["epoch", ...keys, "seconds"].forEach((k) => tr.appendChild(el("th", k)));
    table.appendChild(tr);
    for (const h of history) {
      const row = el("tr");
      ["epoch", ...keys, "seconds"].forEach((k) => row.appendChild(el("td", fmt(h[k]))));
      table.appendChild(row);
    }
    root.appendChild(table);
  }
  element.replaceChildren(root);
}


/** Styles once, then the drawing (a readable error in place of a broken payload): what the dashboard calls. */
export function drawTraining(payload: unknown, element: HTMLElement): void {
  ensureStyle("sciforge-base", BASE_CSS);
  ensureStyle("sciforge-training", TRAINING_CSS);
  try {
    renderTraining(payload, element);
  } catch (e) {
    renderError(element, "training monitor", e);
  }
}
