/** Renders a BackendReport as the MIME bundle the extension shows (JSON + text + HTML). */
import { type BackendStatus, type DisplayMetadata, MIME, SCIFORGE_METADATA_KEY, type MimeBundle } from "../../display/mime";
import type { BackendReport } from "./types";
import { adapterName, gpuName } from "./webgpu";

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** The backend in use as a short label: "webgpu (NVIDIA H200)" when WebGPU runs on a GPU, else the rung ("wasm"). */
export function backendLabel(r: Pick<BackendReport, "chosen" | "adapter" | "requested">): string {
  const name = r.chosen ?? r.requested;
  return name === "webgpu" && r.adapter ? `webgpu (${gpuName(r.adapter)})` : name;
}

/** The summary line, with the GPU named after "webgpu" when WebGPU was chosen. */
function headline(r: BackendReport): string {
  const label = backendLabel(r);
  return r.ok && r.chosen && label !== r.chosen && r.summary.startsWith(`${r.chosen} - `) ? `${label}${r.summary.slice(r.chosen.length)}` : r.summary;
}

/** "GPU: NVIDIA H200 (nvidia hopper), driver NVIDIA: 580.159.03" when WebGPU was chosen. */
function gpuLine(r: BackendReport): string | undefined {
  if (!r.ok || r.chosen !== "webgpu" || !r.adapter) return undefined;
  return `GPU: ${adapterName(r.adapter)}${r.adapter.driver ? `, driver ${r.adapter.driver}` : ""}`;
}

/** Plain-text rendering: the summary line and one line per rung. */
export function backendReportText(r: BackendReport): string {
  const lines = [`backend: ${headline(r)}`];
  const gpu = gpuLine(r);
  if (gpu) lines.push(`  ${gpu}`);
  for (const rung of r.rungs) lines.push(`  ${rung.status === "chosen" ? "*" : "-"} ${rung.name}: ${rung.status} - ${rung.reason}`);
  return lines.join("\n");
}

/** HTML rendering: a small table of the rungs. */
export function backendReportHtml(r: BackendReport): string {
  const rows = r.rungs
    .map((g) => `<tr${g.status === "chosen" ? ' style="font-weight:bold"' : ""}><td>${esc(g.name)}</td><td>${esc(g.status)}</td><td>${esc(g.reason)}</td></tr>`)
    .join("");
  const gpu = gpuLine(r);
  return (
    `<div class="sciforge-backend"><p><b>${r.ok ? "Backend" : "Backend refused"}:</b> ${esc(headline(r))}</p>` +
    (gpu ? `<p>${esc(gpu)}</p>` : "") +
    `<table><thead><tr><th>rung</th><th>status</th><th>reason</th></tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

/** The full MIME bundle for `display(bundle(...))`. */
export function backendReportBundle(r: BackendReport): MimeBundle {
  return { [MIME.backend]: r, [MIME.text]: backendReportText(r), [MIME.html]: backendReportHtml(r) };
}

/** What a report tells the front end about the backend in use (none when nothing is chosen). */
export function backendStatus(r: BackendReport): BackendStatus | undefined {
  if (!r.chosen) return undefined;
  const status: BackendStatus = { name: r.chosen, device: r.device };
  if (r.adapter) status.adapter = { device: r.adapter.device, description: r.adapter.description, vendor: r.adapter.vendor };
  return status;
}

/** The display metadata of a report: the backend in use, for the front end's status (SciforgeDisplayMetadata in lib/display/mime.ts). */
export function backendReportMetadata(r: BackendReport): DisplayMetadata {
  const backend = backendStatus(r);
  return backend ? { [SCIFORGE_METADATA_KEY]: { backend } } : {};
}
