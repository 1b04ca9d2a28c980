/**
 * Executes a notebook's code cells in order on a kernel client, papermill-style:
 * parameters injected, optional tag selection, per-cell timeout, stop at the first error
 * (or go on with allowErrors), timings recorded in cell metadata like nbclient does.
 */
import { KernelDiedError, KernelLostError, type KernelChannel } from "../jupyter/kernel-api";
import { sourceText, type CodeCell, type Notebook } from "./nbformat";
import { OutputCollector } from "./outputs";
import { injectParameters, type ParameterValue } from "./parameters";

export interface RunOptions {
  parameters?: Record<string, ParameterValue>;
  /** Run only cells carrying one of these tags, plus the untagged setup cells above the last of them. */
  tags?: string[];
  /** Seconds one cell may run before it is interrupted; 0 = no limit. */
  timeoutS?: number;
  /** Keep going after a cell fails (like nbconvert --allow-errors). */
  allowErrors?: boolean;
  /** How to interrupt a cell that ran out of time. */
  interrupt?: () => Promise<void>;
  onCellStart?(e: { index: number; position: number; total: number; cell: CodeCell }): void;
  onCellEnd?(e: { index: number; position: number; total: number; cell: CodeCell; seconds: number; ok: boolean }): void;
  /** Called whenever a cell's outputs changed (live views). */
  onOutput?(cell: CodeCell): void;
}

export interface CellFailure {
  /** 1-based position of the cell in the notebook (all cell types counted). */
  cellNumber: number;
  cellId: string;
  ename: string;
  evalue: string;
}

export interface RunResult {
  notebook: Notebook;
  executed: number;
  failure: CellFailure | null;
  seconds: number;
}

const STEP_TAGS_IGNORED = new Set(["parameters", "injected-parameters"]);

/** Which code cells run for a tag selection (indices into nb.cells). */
export function selectCells(nb: Notebook, tags?: string[]): number[] {
  const code = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === "code" && !c.metadata.tags?.includes("skip-execution"));
  if (!tags || tags.length === 0) return code.map(([, i]) => i);
  const wanted = new Set(tags);
  const hit = (c: (typeof code)[number][0]) => (c.metadata.tags ?? []).some((t) => wanted.has(t));
  const last = Math.max(-1, ...code.filter(([c]) => hit(c)).map(([, i]) => i));
  if (last < 0) throw new Error(`no code cell is tagged ${tags.join(" or ")}`);
  return code
    .filter(([c, i]) => {
      if (hit(c)) return true;
      const own = (c.metadata.tags ?? []).filter((t) => !STEP_TAGS_IGNORED.has(t));
      return i < last && own.length === 0;
    })
    .map(([, i]) => i);
}

export async function runNotebook(nb: Notebook, client: KernelChannel, o: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  injectParameters(nb, o.parameters ?? {});
  const selected = selectCells(nb, o.tags);
  const collector = new OutputCollector();
  let failure: CellFailure | null = null;
  let executed = 0;
  for (const cell of nb.cells) if (cell.cell_type === "code" && selected.includes(nb.cells.indexOf(cell))) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  for (let k = 0; k < selected.length; k++) {
    const index = selected[k];
    const cell = nb.cells[index] as CodeCell;
    const code = sourceText(cell.source);
    o.onCellStart?.({ index, position: k + 1, total: selected.length, cell });
    const t0 = Date.now();
    const timing: Record<string, string> = { "shell.execute_request": new Date().toISOString() };
    let timedOut = false;
    const timer =
      o.timeoutS && o.timeoutS > 0 && o.interrupt
        ? setTimeout(() => {
            timedOut = true;
            void o.interrupt!();
          }, o.timeoutS * 1000)
        : undefined;
    let ok = false;
    try {
      const r = await client.execute(code, {
        stopOnError: !o.allowErrors,
        onOutput: (m) => {
          if (m.header.msg_type === "execute_input") timing["iopub.execute_input"] = m.header.date;
          if (collector.add(cell.outputs, m)) o.onOutput?.(cell);
        },
      });
      timing["shell.execute_reply"] = new Date().toISOString();
      cell.execution_count = r.executionCount;
      ok = r.reply.status === "ok" && !timedOut;
      if (!ok) {
        const err = r.reply.status === "error" ? r.reply : { ename: "Aborted", evalue: "the kernel aborted this cell" };
        if (timedOut) {
          const msg = `cell ${index + 1} ran longer than the ${o.timeoutS} s timeout and was interrupted`;
          cell.outputs.push({ output_type: "error", ename: "CellTimeoutError", evalue: msg, traceback: [msg] });
          failure ??= { cellNumber: index + 1, cellId: cell.id, ename: "CellTimeoutError", evalue: msg };
        } else {
          failure ??= { cellNumber: index + 1, cellId: cell.id, ename: err.ename, evalue: err.evalue };
        }
      }
    } catch (e) {
      const died = e instanceof KernelDiedError;
      const ename = died ? "DeadKernelError" : "RunnerError";
      const what = e instanceof KernelLostError ? "Lost the kernel" : "Kernel died";
      const evalue = died ? `${what} while running cell ${index + 1}: ${(e as Error).message}` : (e as Error).message;
      cell.outputs.push({ output_type: "error", ename, evalue, traceback: [evalue] });
      failure ??= { cellNumber: index + 1, cellId: cell.id, ename, evalue };
      o.onOutput?.(cell);
      clearTimeout(timer);
      o.onCellEnd?.({ index, position: k + 1, total: selected.length, cell, seconds: (Date.now() - t0) / 1000, ok: false });
      executed++;
      break; // nothing after a dead kernel can run
    } finally {
      clearTimeout(timer);
    }
    cell.metadata.execution = timing;
    executed++;
    o.onCellEnd?.({ index, position: k + 1, total: selected.length, cell, seconds: (Date.now() - t0) / 1000, ok });
    if (!ok && (!o.allowErrors || timedOut)) break;
  }
  return { notebook: nb, executed, failure, seconds: (Date.now() - started) / 1000 };
}
