/**
 * Executes a notebook's code cells in order on a kernel client, papermill-style:
 * parameters injected, optional tag selection, per-cell timeout, stop at the first error
 * (or go on with allowErrors), timings recorded in cell metadata like nbclient does.
 *
 * Nothing hangs: a cell that outlives its timeout, or a run that is stopped (Ctrl-C), is
 * interrupted; a cell the interrupt does not stop (a loop after an await) gets `interruptGraceS`
 * more seconds, then the kernel is killed and the cell is marked with why.
 */
import { EventEmitter } from "node:events";
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
  /** How to interrupt a cell that ran out of time (or when the run is stopped). */
  interrupt?: () => Promise<void>;
  /** How to end a kernel whose cell did not stop after the interrupt; without it that cell is abandoned. */
  kill?: () => Promise<void>;
  /** Seconds a cell gets to stop after the interrupt before the kernel is killed. Default 5. */
  interruptGraceS?: number;
  /** Stops the run from outside (Ctrl-C, SIGTERM). */
  stop?: RunStop;
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
  /** Why the run was stopped from outside (RunStop's reason), else null. */
  stopped: string | null;
  /** Whether the kernel was killed because a cell did not stop. */
  killed: boolean;
}

export const DEFAULT_INTERRUPT_GRACE_S = 5;

/**
 * Stops a run from outside. `stop(reason)`: the running cell is interrupted (and the kernel
 * killed if it does not stop within the grace period) and no further cell runs. `kill()`: the
 * kernel is killed now (a second Ctrl-C).
 */
export class RunStop extends EventEmitter {
  reason: string | null = null;
  forced = false;
  stop(reason: string): void {
    if (this.reason) return;
    this.reason = reason;
    this.emit("stop");
  }
  kill(reason = "killed"): void {
    this.reason ??= reason;
    if (this.forced) return;
    this.forced = true;
    this.emit("kill");
  }
}

/** Resolves with why the kernel died once it has (null if it has not within `ms`). */
function deathOf(client: KernelChannel, ms: number): Promise<string | null> {
  if (client.dead) return Promise.resolve(client.dead);
  return new Promise((resolve) => {
    const done = (reason: string | null) => {
      clearTimeout(timer);
      client.off("dead", onDead);
      resolve(reason);
    };
    const onDead = (reason: string) => done(reason);
    const timer = setTimeout(() => done(null), ms);
    client.on("dead", onDead);
  });
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
  let killed = false;
  const graceS = o.interruptGraceS ?? DEFAULT_INTERRUPT_GRACE_S;
  for (const cell of nb.cells) if (cell.cell_type === "code" && selected.includes(nb.cells.indexOf(cell))) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  for (let k = 0; k < selected.length; k++) {
    if (o.stop?.reason) break;
    const index = selected[k];
    const cell = nb.cells[index] as CodeCell;
    const code = sourceText(cell.source);
    o.onCellStart?.({ index, position: k + 1, total: selected.length, cell });
    const t0 = Date.now();
    const timing: Record<string, string> = { "shell.execute_request": new Date().toISOString() };
    let timedOut = false;
    // Interrupt, then (after the grace period, or at once when forced) kill the kernel.
    let interrupting = false;
    let cellKilled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let abandon!: (e: Error) => void;
    const abandoned = new Promise<never>((_, reject) => (abandon = reject));
    abandoned.catch(() => {});
    const killNow = async () => {
      if (cellKilled) return;
      cellKilled = true;
      clearTimeout(graceTimer);
      try {
        await o.kill?.();
      } catch {
        // gone already
      }
      // Whatever the connection says (a remote or attached kernel may say nothing), this cell is over.
      abandon(new KernelDiedError("the kernel was killed"));
    };
    const escalate = () => {
      if (interrupting) return;
      interrupting = true;
      void o.interrupt?.().catch(() => {});
      graceTimer = setTimeout(() => void killNow(), graceS * 1000);
    };
    const timer = o.timeoutS && o.timeoutS > 0 ? setTimeout(() => ((timedOut = true), escalate()), o.timeoutS * 1000) : undefined;
    const onStop = () => escalate();
    const onKill = () => void killNow();
    o.stop?.on("stop", onStop);
    o.stop?.on("kill", onKill);
    let ok = false;
    const fail = (ename: string, evalue: string, output = true) => {
      if (output) cell.outputs.push({ output_type: "error", ename, evalue, traceback: [evalue] });
      failure ??= { cellNumber: index + 1, cellId: cell.id, ename, evalue };
    };
    let kernelGone = false;
    try {
      const r = await Promise.race([
        client.execute(code, {
          stopOnError: !o.allowErrors,
          onOutput: (m) => {
            if (m.header.msg_type === "execute_input") timing["iopub.execute_input"] = m.header.date;
            if (collector.add(cell.outputs, m)) o.onOutput?.(cell);
          },
        }),
        abandoned,
      ]);
      timing["shell.execute_reply"] = new Date().toISOString();
      cell.execution_count = r.executionCount;
      ok = r.reply.status === "ok" && !timedOut;
      if (!ok) {
        const err = r.reply.status === "error" ? r.reply : { ename: "Aborted", evalue: "the kernel aborted this cell" };
        if (timedOut) {
          fail("CellTimeoutError", `cell ${index + 1} ran longer than the ${o.timeoutS} s timeout and was interrupted`);
        } else if (err.ename === "KernelExit") {
          // process.exit(code) in the cell: the kernel answered and exits with that code.
          kernelGone = true;
          const reason = await deathOf(client, 10_000);
          const code = /exited with code (\d+)/.exec(reason ?? "")?.[1] ?? /process\.exit\((\d+)\)/.exec(err.evalue)?.[1];
          const how = reason && !/exited with code/.test(reason) ? `: ${reason}` : ` (process.exit(${code}) in the cell)`;
          fail("KernelExit", `the kernel exited with code ${code} while running cell ${index + 1}${how}`, false);
        } else {
          fail(err.ename, err.evalue, false);
        }
      }
    } catch (e) {
      kernelGone = true;
      const died = e instanceof KernelDiedError;
      if (cellKilled) {
        killed = true;
        const how = o.kill ? "the kernel was killed" : "the run gave up on it (the kernel, not started by this run, was left running)";
        const waited = o.stop?.forced ? "" : ` within ${graceS} s of the interrupt`;
        if (timedOut) {
          fail("CellTimeoutError", `cell ${index + 1} ran longer than the ${o.timeoutS} s timeout and did not stop${waited}: ${how}`);
        } else {
          fail("KeyboardInterrupt", `the run was stopped (${o.stop?.reason}) while cell ${index + 1} ran, and the cell did not stop${waited}: ${how}`);
        }
      } else {
        const ename = died ? "DeadKernelError" : "RunnerError";
        const what = e instanceof KernelLostError ? "Lost the kernel" : "Kernel died";
        fail(ename, died ? `${what} while running cell ${index + 1}: ${(e as Error).message}` : (e as Error).message);
      }
      o.onOutput?.(cell);
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      o.stop?.off("stop", onStop);
      o.stop?.off("kill", onKill);
    }
    cell.metadata.execution = timing;
    executed++;
    o.onCellEnd?.({ index, position: k + 1, total: selected.length, cell, seconds: (Date.now() - t0) / 1000, ok });
    if (kernelGone) break; // nothing after a dead kernel can run
    if (!ok && (!o.allowErrors || timedOut)) break;
  }
  return { notebook: nb, executed, failure, seconds: (Date.now() - started) / 1000, stopped: o.stop?.reason ?? null, killed };
}
