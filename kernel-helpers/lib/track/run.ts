/** One tracked run: params, per-epoch metrics, final metrics, artifacts, and its liveness. */
import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { currentCell } from "../display/display";
import type { EpochRecord, History, TrainCallback } from "../train/fit/types";
import { openTracking, type TrackingDb } from "./db";
import { hostName, processStartTime } from "./process";

/** Status of a run. `incomplete`: its process died while it was running. */
export type RunStatus = "running" | "finished" | "failed" | "incomplete" | "interrupted";

/** Options of {@link startRun}. */
export interface StartRunOptions {
  /** Experiment (group of comparable runs). Default "default". */
  experiment?: string;
  /** Run name. Default: experiment + start time. */
  name?: string;
  /** Hyper-parameters and settings (JSON). */
  params?: Record<string, unknown>;
  /** Seed the run used. */
  seed?: number;
  /** Data hash (see `dataHash`) or the data itself to hash. */
  dataHash?: string;
  /** tfjs backend (filled in by the training callback when omitted). */
  backend?: string;
  /** Notebook path. Default `$SCIFORGE_NOTEBOOK` / `$JPY_SESSION_NAME`. */
  notebook?: string;
  /** Cell id or label. Default: the kernel's running cell, `cell[N]` (`currentCell()`). */
  cell?: string;
  /** Free-form tags. */
  tags?: Record<string, string | number | boolean>;
  /** Tracking database file (see `trackingPath`). */
  db?: string;
  /** Heartbeat period in ms (default 5000; 0 disables the timer). */
  heartbeatMs?: number;
}

const now = () => Date.now();

/** Bytes of a file, or of all files under a folder. */
function sizeOnDisk(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((a, n) => a + sizeOnDisk(join(path, n)), 0);
}

/**
 * A run being recorded. Each method is one short SQLite transaction, so a crash at any point
 * leaves the file consistent. Use {@link Run.callback} to record epochs from `fit`.
 */
export class Run {
  readonly id: string;
  readonly db: TrackingDb;
  readonly experiment: string;
  readonly name: string;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(options: StartRunOptions = {}) {
    this.db = openTracking(options.db);
    this.id = randomUUID();
    this.experiment = options.experiment ?? "default";
    this.name = options.name ?? `${this.experiment}-${new Date().toISOString()}`;
    const t = now();
    this.db
      .prepare(
        `INSERT INTO runs (id, experiment, name, status, params, backend, data_hash, seed, notebook, cell, pid, pid_start, host, started_at, heartbeat_at, tags)
         VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.id,
        this.experiment,
        this.name,
        JSON.stringify(options.params ?? {}),
        options.backend ?? null,
        options.dataHash ?? null,
        options.seed ?? null,
        options.notebook ?? process.env.SCIFORGE_NOTEBOOK ?? process.env.JPY_SESSION_NAME ?? null,
        options.cell ?? currentCell()?.label ?? null,
        process.pid,
        processStartTime(process.pid) ?? null,
        hostName(),
        t,
        t,
        JSON.stringify(options.tags ?? {}),
      );
    const period = options.heartbeatMs ?? 5000;
    if (period > 0) {
      this.timer = setInterval(() => this.heartbeat(), period);
      this.timer.unref();
    }
  }

  /** Records that the process is alive (done automatically on a timer and at every epoch). */
  heartbeat(): void {
    if (this.ended || !this.db.open) return;
    this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'").run(now(), this.id);
  }

  /** Merges hyper-parameters into the run's params. */
  logParams(params: Record<string, unknown>): void {
    const row = this.db.prepare("SELECT params FROM runs WHERE id = ?").get(this.id) as { params: string };
    this.db.prepare("UPDATE runs SET params = ? WHERE id = ?").run(JSON.stringify({ ...JSON.parse(row.params), ...params }), this.id);
  }

  /** Sets backend / data hash / seed after the start. */
  logInfo(info: { backend?: string; dataHash?: string; seed?: number }): void {
    this.db
      .prepare("UPDATE runs SET backend = COALESCE(?, backend), data_hash = COALESCE(?, data_hash), seed = COALESCE(?, seed) WHERE id = ?")
      .run(info.backend ?? null, info.dataHash ?? null, info.seed ?? null, this.id);
  }

  /** Records one epoch's metrics (1-based epoch; a repeated epoch replaces the earlier row). */
  logEpoch(epoch: number, metrics: Record<string, number>): void {
    const t = now();
    this.db.transaction(() => {
      this.db.prepare("INSERT OR REPLACE INTO epochs (run_id, epoch, metrics, at) VALUES (?, ?, ?, ?)").run(this.id, epoch, JSON.stringify(metrics), t);
      this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ?").run(t, this.id);
    })();
  }

  /** Merges final (or summary) metrics into the run. */
  logMetrics(metrics: Record<string, number>): void {
    const row = this.db.prepare("SELECT metrics FROM runs WHERE id = ?").get(this.id) as { metrics: string };
    this.db.prepare("UPDATE runs SET metrics = ? WHERE id = ?").run(JSON.stringify({ ...JSON.parse(row.metrics), ...metrics }), this.id);
  }

  /** Records a file or folder the run produced (model bundle, figure, report). */
  logArtifact(name: string, path: string, kind = "file"): void {
    const abs = resolve(path);
    let bytes: number | null = null;
    try {
      bytes = sizeOnDisk(abs);
    } catch {
      bytes = null;
    }
    this.db.prepare("INSERT OR REPLACE INTO artifacts (run_id, name, kind, path, bytes, at) VALUES (?, ?, ?, ?, ?, ?)").run(this.id, name, kind, abs, bytes, now());
  }

  /** A `fit` callback recording backend, every epoch's logs, and an interrupt. */
  callback(): TrainCallback {
    return {
      onTrainBegin: (ctx) => this.logInfo({ backend: ctx.params.backend }),
      onEpochEnd: (epoch: number, logs: EpochRecord) => {
        const m: Record<string, number> = {};
        for (const [k, v] of Object.entries(logs)) if (k !== "epoch" && typeof v === "number" && Number.isFinite(v)) m[k] = v;
        this.logEpoch(epoch, m);
      },
      onTrainEnd: (history: History) => {
        const last = history.epochs[history.epochs.length - 1];
        if (last) {
          const m: Record<string, number> = {};
          for (const [k, v] of Object.entries(last)) if (!["epoch", "seconds", "samplesPerSec"].includes(k) && Number.isFinite(v)) m[k] = v;
          this.logMetrics(m);
        }
        if (history.stopped?.reason === "interrupt") this.end("interrupted", history.stopped.message);
      },
    };
  }

  /** Marks the run finished (with optional final metrics). */
  finish(metrics?: Record<string, number>): void {
    if (metrics) this.logMetrics(metrics);
    this.end("finished");
  }

  /** Marks the run failed with the error's message. */
  fail(error: unknown): void {
    this.end("failed", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }

  /** Ends the run with a status (no-op once ended). */
  end(status: Exclude<RunStatus, "running">, error?: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.db.prepare("UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?").run(status, now(), error ?? null, this.id);
  }

  /** True once finish/fail/end ran. */
  get done(): boolean {
    return this.ended;
  }
}

/** Starts recording a run in the tracking database (status "running" until it ends). */
export function startRun(options: StartRunOptions = {}): Run {
  return new Run(options);
}

/**
 * Runs `body` as a tracked run: finished when it resolves (a returned metrics object is
 * stored), failed when it throws (the error is rethrown).
 * ```ts
 * const acc = await track({ experiment: "iris", params: { lr } }, async (run) => {
 *   await fit(model, x, y, { callbacks: [run.callback()] });
 *   return { accuracy: 0.97 };
 * });
 * ```
 */
export async function track<T>(options: StartRunOptions, body: (run: Run) => Promise<T> | T): Promise<T> {
  const run = startRun(options);
  try {
    const out = await body(run);
    if (out && typeof out === "object" && !Array.isArray(out) && Object.values(out).every((v) => typeof v === "number")) {
      run.finish(out as Record<string, number>);
    } else run.finish();
    return out;
  } catch (e) {
    run.fail(e);
    throw e;
  }
}
