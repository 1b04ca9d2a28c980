/**
 * Live training progress: one display (MIME.training JSON + text/plain + text/html) updated in
 * place every N batches with loss/metrics, ETA and samples per second.
 */
import { bundle, display, inKernel, type DisplayHandle } from "../../display/display";
import { MIME } from "../../display/mime";
import type { History, Logs, TrainCallback, TrainContext } from "../fit/types";

/** One completed epoch of a {@link TrainingPayload}: metric name → value, plus its timing. */
export interface TrainingEpoch {
  epoch: number;
  seconds: number;
  /** Training samples per second over the epoch. */
  samplesPerSec: number;
  [metric: string]: number;
}

/** Payload of the MIME.training ("application/vnd.sciforge.training+json") display, updated in place. */
export interface TrainingPayload {
  status: "running" | "done" | "stopped";
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Running means of the current epoch (loss, acc, lr…). */
  logs: Record<string, number>;
  /** Completed epochs. */
  history: TrainingEpoch[];
  samplesPerSec: number;
  etaSeconds: number;
  elapsedSeconds: number;
  backend: string;
  /** Why training stopped early, when it did. */
  message?: string;
}

/** The same payload under its older name. */
export type TrainingProgress = TrainingPayload;

/** Options of the progress callback. */
export interface ProgressOptions {
  /** Update every N batches (default: about twice a second, at least every 50 batches). */
  every?: number;
  /** Display id (default: a fresh one). */
  displayId?: string;
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "?";
  s = Math.max(0, Math.round(s));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function fmtLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== "epoch" && k !== "seconds" && k !== "samplesPerSec")
    .map(([k, v]) => `${k} ${k === "lr" ? v.toExponential(2) : v.toFixed(4)}`)
    .join("  ");
}

/** Plain-text rendering of a progress payload (`epochLines: false` leaves out the per-epoch lines). */
export function trainingText(p: TrainingProgress, epochLines = true): string {
  const head =
    p.status === "running"
      ? `epoch ${p.epoch}/${p.epochs}  batch ${p.batch}/${p.batchesPerEpoch}  ${fmtLogs(p.logs)}  | ${Math.round(p.samplesPerSec)} img/s  ETA ${fmtTime(p.etaSeconds)}`
      : `${p.status === "done" ? "done" : "stopped"}: ${p.history.length}/${p.epochs} epochs in ${fmtTime(p.elapsedSeconds)} on ${p.backend}`;
  const lines = [head, ...(epochLines ? p.history : []).map((e) => `  epoch ${e.epoch}: ${fmtLogs(e)}  (${e.seconds.toFixed(1)}s, ${Math.round(e.samplesPerSec)} img/s)`)];
  if (p.message) lines.push(`  ${p.message}`);
  return lines.join("\n");
}

/** HTML rendering of a progress payload (progress bar + epoch table). */
export function trainingHtml(p: TrainingProgress): string {
  const done = p.epochs > 0 ? ((p.epoch - 1 + p.batch / Math.max(1, p.batchesPerEpoch)) / p.epochs) * 100 : 0;
  const pct = p.status === "done" ? 100 : Math.min(100, done);
  const keys = [...new Set(p.history.flatMap((e) => Object.keys(e)))].filter((k) => k !== "epoch");
  const rows = p.history.map((e) => `<tr><td>${e.epoch}</td>${keys.map((k) => `<td>${typeof e[k] === "number" ? (e[k] as number).toPrecision(4) : ""}</td>`).join("")}</tr>`).join("");
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return (
    `<div class="sciforge-training"><div>${esc(trainingText(p, false).split("\n")[0])}</div>` +
    `<progress max="100" value="${pct.toFixed(1)}" style="width:100%"></progress>` +
    (p.message ? `<p><b>${esc(p.message)}</b></p>` : "") +
    (rows ? `<table><thead><tr><th>epoch</th>${keys.map((k) => `<th>${k}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table>` : "") +
    `</div>`
  );
}

/** The MIME bundle of a progress payload. */
export function trainingBundle(p: TrainingProgress) {
  return bundle({ [MIME.training]: p, [MIME.text]: trainingText(p), [MIME.html]: trainingHtml(p) });
}

/** A callback that shows live progress (added by `fit` unless `progress: false`). */
export function progress(options: ProgressOptions = {}): TrainCallback {
  let handle: DisplayHandle | undefined;
  let t0 = 0;
  let lastUpdate = 0;
  let epoch = 0;
  let epochStart = 0;
  let batchesDone = 0;
  const payload = (ctx: TrainContext, status: TrainingProgress["status"], batch: number, logs: Logs): TrainingProgress => {
    const elapsed = (performance.now() - t0) / 1000;
    const epochElapsed = (performance.now() - epochStart) / 1000;
    const sps = epochElapsed > 0 ? (batch * ctx.params.batchSize) / epochElapsed : 0;
    const total = ctx.params.epochs * ctx.params.batchesPerEpoch;
    const perBatch = batchesDone > 0 ? elapsed / batchesDone : NaN;
    return {
      status,
      epoch,
      epochs: ctx.params.epochs,
      batch,
      batchesPerEpoch: ctx.params.batchesPerEpoch,
      logs,
      history: ctx.history.epochs,
      samplesPerSec: sps,
      etaSeconds: status === "running" ? perBatch * (total - batchesDone) : 0,
      elapsedSeconds: elapsed,
      backend: ctx.params.backend,
    };
  };
  return {
    onTrainBegin(ctx) {
      t0 = performance.now();
      const first = payload(ctx, "running", 0, {});
      if (inKernel()) handle = display(trainingBundle(first), { displayId: options.displayId });
      else {
        process.stdout.write(`training ${ctx.params.samples} samples, ${ctx.params.epochs} epochs x ${ctx.params.batchesPerEpoch} batches on ${ctx.params.backend}\n`);
      }
    },
    onEpochBegin(e) {
      epoch = e;
      epochStart = performance.now();
    },
    onBatchEnd(batch, logs, ctx) {
      batchesDone++;
      const now = performance.now();
      const due = options.every ? batch % options.every === 0 : now - lastUpdate > 500 || batch % 50 === 0;
      if (due || batch === ctx.params.batchesPerEpoch) {
        lastUpdate = now;
        handle?.update(trainingBundle(payload(ctx, "running", batch, logs)));
      }
    },
    onEpochEnd(e, logs) {
      // Outside a kernel, display updates are not printed: print one line per epoch instead.
      if (!inKernel()) process.stdout.write(`  epoch ${e}: ${fmtLogs(logs)}  (${logs.seconds.toFixed(1)}s, ${Math.round(logs.samplesPerSec)} img/s)\n`);
    },
    onTrainEnd(history: History, ctx) {
      const p = payload(ctx, history.stopped && history.stopped.reason !== "early-stopping" ? "stopped" : "done", 0, {});
      p.message = history.stopped?.message;
      handle?.update(trainingBundle(p));
      // Outside a kernel, updates are not printed: print the final state once.
      if (!inKernel()) process.stdout.write(trainingText(p, false) + "\n");
    },
  };
}
