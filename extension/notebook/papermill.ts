/**
 * Run facts in papermill's places, so papermill and scrapbook tooling reads a notebook
 * `sciforge run` wrote as one papermill wrote:
 *   metadata.papermill        parameters, default_parameters, environment_variables, version,
 *                             input_path, output_path, start_time, end_time, duration, exception
 *   cell.metadata.papermill   start_time, end_time, duration, status (pending | running |
 *                             completed | failed), exception (null until run, then false/true)
 * Times are ISO 8601, durations seconds, as papermill writes them. And `--log-output`: each
 * cell's outputs written to a stream as they arrive.
 */
import type { Cell, CodeCell, Notebook, Output } from "./nbformat";
import type { ParameterValue } from "./parameters";
import type { RunOptions } from "./runner";
import { stripAnsi } from "./ansi";

export interface PapermillCellMetadata {
  exception: boolean | null;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  status: "pending" | "running" | "completed" | "failed";
}

export interface PapermillMetadata {
  default_parameters: Record<string, ParameterValue>;
  parameters: Record<string, ParameterValue>;
  environment_variables: Record<string, string>;
  version: string;
  input_path: string;
  output_path: string;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  exception: boolean | null;
}

const pending = (): PapermillCellMetadata => ({ exception: null, start_time: null, end_time: null, duration: null, status: "pending" });

function cellMeta(cell: Cell): PapermillCellMetadata {
  const m = cell.metadata as { papermill?: PapermillCellMetadata };
  if (!m.papermill || typeof m.papermill !== "object") m.papermill = pending();
  return m.papermill;
}

export class PapermillRecord {
  private readonly meta: PapermillMetadata;
  private t0 = 0;
  private readonly cellStarted = new Map<Cell, number>();

  constructor(
    private readonly nb: Notebook,
    o: { parameters: Record<string, ParameterValue>; inputPath: string; outputPath: string; version: string },
  ) {
    this.meta = {
      default_parameters: {},
      parameters: o.parameters,
      environment_variables: {},
      version: o.version,
      input_path: o.inputPath,
      output_path: o.outputPath,
      start_time: null,
      end_time: null,
      duration: null,
      exception: null,
    };
    nb.metadata.papermill = this.meta;
    for (const c of nb.cells) (c.metadata as Record<string, unknown>).papermill = pending();
  }

  /** Adds the per-cell bookkeeping to a run's options (their own callbacks still run, after it). */
  hook(o: RunOptions): RunOptions {
    return {
      ...o,
      onCellStart: (e) => {
        if (this.t0 === 0) this.start();
        const m = cellMeta(e.cell);
        this.cellStarted.set(e.cell, Date.now());
        Object.assign(m, { start_time: new Date().toISOString(), status: "running", exception: false });
        o.onCellStart?.(e);
      },
      onCellEnd: (e) => {
        const m = cellMeta(e.cell);
        const end = Date.now();
        m.end_time = new Date(end).toISOString();
        m.duration = (end - (this.cellStarted.get(e.cell) ?? end)) / 1000;
        if (e.ok) m.status = "completed";
        else {
          Object.assign(m, { status: "failed", exception: true });
          this.meta.exception = true;
        }
        o.onCellEnd?.(e);
      },
    };
  }

  private start(): void {
    this.t0 = Date.now();
    this.meta.start_time = new Date(this.t0).toISOString();
    this.meta.exception = null;
    // the injected-parameters cell came in after the constructor
    for (const c of this.nb.cells) cellMeta(c);
  }

  /**
   * After the run (papermill's notebook_complete): end time and duration; cells before the
   * first failure that never ran and are not code (markdown, raw) count as completed, as
   * papermill marks them. Code cells a tag selection skipped stay pending.
   */
  finish(failed: boolean): void {
    if (this.t0 === 0) this.start();
    const end = Date.now();
    this.meta.end_time = new Date(end).toISOString();
    this.meta.duration = (end - this.t0) / 1000;
    if (failed) this.meta.exception = true;
    for (const c of this.nb.cells) {
      const m = cellMeta(c);
      if (m.status === "failed") break;
      if (m.status === "pending" && c.cell_type !== "code") m.status = "completed";
    }
    this.nb.metadata.papermill = this.meta;
  }
}

function outputText(o: Output): string {
  switch (o.output_type) {
    case "stream":
      return String(Array.isArray(o.text) ? o.text.join("") : o.text);
    case "error":
      return (o.traceback.length ? o.traceback.join("\n") : `${o.ename}: ${o.evalue}`) + "\n";
    default: {
      const plain = o.data["text/plain"];
      const text = plain !== undefined ? (Array.isArray(plain) ? plain.join("") : String(plain)) : `<${Object.keys(o.data).join(", ")}>`;
      return text.endsWith("\n") ? text : text + "\n";
    }
  }
}

/**
 * `--log-output`: writes each cell's new outputs to `out` as they arrive (stream text as it
 * comes, a result's or display's text/plain, an error's traceback); ANSI codes stripped
 * unless `out` is a terminal. Updates of a display already shown are not repeated.
 */
export function logOutputs(o: RunOptions, out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): RunOptions {
  const tty = Boolean(out.isTTY);
  let cell: CodeCell | null = null;
  let seen: Output[] = [];
  let streamLen = 0;
  let atLineStart = true;
  const write = (s: string) => {
    if (!s) return;
    out.write(tty ? s : stripAnsi(s));
    atLineStart = s.endsWith("\n");
  };
  return {
    ...o,
    onCellStart: (e) => {
      cell = e.cell;
      seen = [];
      streamLen = 0;
      o.onCellStart?.(e);
    },
    onOutput: (c) => {
      if (c === cell) {
        const outs = c.outputs;
        // cleared (clear_output): start over with what is there now
        if (seen.some((s, i) => outs[i] !== s)) {
          seen = [];
          streamLen = 0;
        }
        const last = seen.at(-1);
        if (last?.output_type === "stream") {
          const t = outputText(last);
          write(t.slice(streamLen));
          streamLen = t.length;
        }
        for (const next of outs.slice(seen.length)) {
          if (!atLineStart) write("\n"); // stdout without a newline, then stderr: each on its own line
          const t = outputText(next);
          write(t);
          streamLen = t.length;
        }
        seen = [...outs];
      }
      o.onOutput?.(c);
    },
    onCellEnd: (e) => {
      if (!atLineStart) write("\n");
      cell = null;
      o.onCellEnd?.(e);
    },
  };
}

/** {@link logOutputs} when `on`, else options as they are. */
export function logOutputsIf(on: boolean): (o: RunOptions) => RunOptions {
  return on ? (o) => logOutputs(o) : (o) => o;
}
