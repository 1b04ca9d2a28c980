/** Data profile (MIME.dataProfile): dataset overview, class balance and one row per column with a histogram. */
import { el, fmt, incoming, isRecord, jsonRenderer } from "./dom";
import type { DataProfilePayload } from "../../kernel-helpers/lib/payloads";

const CSS = `
.sciforge-profile{overflow-x:auto}
.sciforge-profile td:nth-child(9){text-align:left;min-width:14em}
.sciforge-profile .hist{display:inline-flex;align-items:flex-end;height:24px;gap:1px}
.sciforge-profile .hist>span{display:inline-block;width:5px;background:var(--vscode-charts-blue,#3794ff)}
.sciforge-profile .warn{color:var(--vscode-editorWarning-foreground,#cca700)}
`;

function histogram(h: unknown): HTMLElement {
  const box = el("span", undefined, "hist");
  if (!isRecord(h) || !Array.isArray(h.counts)) return box;
  const counts = h.counts.map(Number);
  const max = Math.max(1, ...counts);
  for (const c of counts) {
    const bar = el("span");
    bar.style.height = `${Math.max(1, (c / max) * 24).toFixed(0)}px`;
    bar.title = String(c);
    box.appendChild(bar);
  }
  return box;
}

export function renderProfile(payload: unknown, element: HTMLElement): void {
  const p = incoming<DataProfilePayload>(payload, "data profile");
  const root = el("div", undefined, "sciforge-out sciforge-profile");
  root.appendChild(el("div", `${fmt(p.rows)} rows × ${fmt(p.columns)} columns · ${fmt(p.missingCells)} missing cells · ${fmt(p.duplicateRows)} duplicate rows`, "title"));
  const t = p.target;
  if (isRecord(t) && Array.isArray(t.classes)) {
    const line = el("div", `target ${String(t.column)}: ` + t.classes.filter(isRecord).map((c) => `${String(c.value)} ${fmt(c.count)} (${fmt(Number(c.fraction) * 100, 3)}%)`).join(", "), "muted");
    root.appendChild(line);
    if (typeof t.imbalanceRatio === "number" && t.imbalanceRatio < 0.5) root.appendChild(el("div", `class imbalance: smallest/largest = ${fmt(t.imbalanceRatio, 3)}`, "warn"));
  }
  const table = el("table");
  const head = el("tr");
  ["column", "type", "missing", "distinct", "min", "mean", "median", "max", "top", "distribution"].forEach((h) => head.appendChild(el("th", h)));
  table.appendChild(head);
  for (const c of Array.isArray(p.columnProfiles) ? p.columnProfiles.filter(isRecord) : []) {
    const tr = el("tr");
    tr.appendChild(el("td", c.name, "label"));
    tr.appendChild(el("td", `${String(c.kind ?? "")} (${String(c.dtype ?? "")})`, "muted"));
    const miss = el("td", `${fmt(c.missing)}${typeof c.missingPct === "number" && c.missingPct > 0 ? ` (${fmt(c.missingPct, 3)}%)` : ""}`);
    if (typeof c.missingPct === "number" && c.missingPct > 5) miss.className = "warn";
    tr.appendChild(miss);
    tr.appendChild(el("td", fmt(c.distinct)));
    tr.appendChild(el("td", fmt(c.min)));
    tr.appendChild(el("td", fmt(c.mean)));
    tr.appendChild(el("td", fmt(c.median)));
    tr.appendChild(el("td", fmt(c.max)));
    const top = Array.isArray(c.top) ? c.top.filter(isRecord).slice(0, 3).map((x) => `${String(x.value)} (${fmt(x.count)})`).join(", ") : "";
    tr.appendChild(el("td", top));
    const dist = el("td");
    dist.appendChild(histogram(c.histogram));
    tr.appendChild(dist);
    table.appendChild(tr);
  }
  root.appendChild(table);
  element.replaceChildren(root);
}

export const activate = jsonRenderer("sciforge-profile", CSS, "data profile", renderProfile);
