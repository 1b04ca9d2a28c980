/** Side-by-side comparison of tracked runs: a table and a plotly figure of their curves. */
import { REPR } from "../display/display";
import { MIME, type MimeBundle } from "../display/mime";
import { type Figure, makeFigure } from "../plot/figure";
import type { PlotlyTrace } from "../plot/plotly";
import { htmlTable, textTable } from "./html";
import type { RunRecord } from "./records";

/** Options of `runs.compare`. */
export interface CompareOptions {
  /** Metric drawn per epoch (default: "val_acc" when runs have it, else "loss"). */
  metric?: string;
  /** Render static SVG/PNG fallbacks for the figure (default true). */
  static?: boolean;
}

/** What `runs.compare` returns; `display(comparison)` shows the table and the figure. */
export class RunComparison {
  constructor(
    readonly runs: RunRecord[],
    /** Table columns: name, status, params…, metrics…. */
    readonly columns: string[],
    /** One row per run. */
    readonly rows: Array<Record<string, unknown>>,
    /** Metric drawn in the figure. */
    readonly metric: string,
    readonly figure: Figure,
  ) {}

  [REPR](): MimeBundle {
    const table = htmlTable(this.columns, this.rows, `${this.runs.length} runs`);
    return {
      ...this.figure.bundle,
      [MIME.html]: `${table}${this.figure.svg ? `<div>${this.figure.svg}</div>` : ""}`,
      [MIME.text]: textTable(this.columns, this.rows),
    };
  }
}

/** Builds the comparison of `runs` (table of params and final metrics + per-epoch curves). */
export async function compareRuns(runs: RunRecord[], options: CompareOptions = {}): Promise<RunComparison> {
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const columns = ["name", "status", ...paramKeys.map((k) => `param.${k}`), ...metricKeys, "epochs", "backend", "dataHash"];
  const rows = runs.map((r) => {
    const row: Record<string, unknown> = { name: r.name, status: r.status, epochs: r.epochs.length, backend: r.backend, dataHash: r.dataHash, id: r.id };
    for (const k of paramKeys) row[`param.${k}`] = r.params[k];
    for (const k of metricKeys) row[k] = r.metrics[k];
    return row;
  });
  const metric = options.metric ?? (runs.some((r) => r.epochs.some((e) => "val_acc" in e)) ? "val_acc" : "loss");
  const traces: PlotlyTrace[] = runs
    .filter((r) => r.epochs.some((e) => metric in e))
    .map((r) => {
      const pts = r.epochs.filter((e) => metric in e);
      return { type: "scatter", mode: "lines+markers", name: `${r.name} (${r.status})`, x: pts.map((e) => e.epoch), y: pts.map((e) => e[metric]) } as PlotlyTrace;
    });
  if (traces.length === 0) {
    // No per-epoch data: compare final metric values as bars.
    const key = options.metric ?? metricKeys[0] ?? "score";
    traces.push({ type: "bar", name: key, x: runs.map((r) => r.name), y: runs.map((r) => r.metrics[key] ?? null) } as PlotlyTrace);
  }
  const figure = await makeFigure(
    {
      data: traces,
      layout: { title: { text: `Runs: ${metric}` }, xaxis: { title: { text: "epoch" } }, yaxis: { title: { text: metric } }, width: 560, height: 380, template: "plotly_white" },
    },
    { static: options.static },
  );
  return new RunComparison(runs, columns, rows, metric, figure);
}
