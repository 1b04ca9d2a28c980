/** Renders a BackendReport as the MIME bundle the extension shows (JSON + text + HTML). */
import { MIME, type MimeBundle } from "../../display/mime";
import type { BackendReport } from "./types";

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** Plain-text rendering: the summary line and one line per rung. */
export function backendReportText(r: BackendReport): string {
  const lines = [`backend: ${r.summary}`];
  for (const rung of r.rungs) lines.push(`  ${rung.status === "chosen" ? "*" : "-"} ${rung.name}: ${rung.status} - ${rung.reason}`);
  return lines.join("\n");
}

/** HTML rendering: a small table of the rungs. */
export function backendReportHtml(r: BackendReport): string {
  const rows = r.rungs
    .map((g) => `<tr${g.status === "chosen" ? ' style="font-weight:bold"' : ""}><td>${esc(g.name)}</td><td>${esc(g.status)}</td><td>${esc(g.reason)}</td></tr>`)
    .join("");
  return (
    `<div class="sciforge-backend"><p><b>${r.ok ? "Backend" : "Backend refused"}:</b> ${esc(r.summary)}</p>` +
    `<table><thead><tr><th>rung</th><th>status</th><th>reason</th></tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

/** The full MIME bundle for `display(bundle(...))`. */
export function backendReportBundle(r: BackendReport): MimeBundle {
  return { [MIME.backend]: r, [MIME.text]: backendReportText(r), [MIME.html]: backendReportHtml(r) };
}
