/**
 * Errors thrown by a timer or a promise nobody awaited (uncaughtException, unhandledRejection):
 * one raised while a cell runs belongs to that cell (shown there at once, and the cell fails);
 * one raised between cells waits for the next cell (shown there, and that cell fails).
 */
import type { ErrorContent } from "../protocol/messages";

/** How many errors from timers and promises, raised while no cell runs, wait for the next cell. */
const MAX_PENDING = 20;

export class BackgroundErrors {
  /** The first error raised while the running cell ran: it fails that cell. */
  private first: ErrorContent | null = null;
  /** Errors raised while no cell ran: they go to (and fail) the next cell. */
  private readonly pending: ErrorContent[] = [];
  private dropped = 0;

  /** The first error that belongs to the running cell (null: none). */
  get cellError(): ErrorContent | null {
    return this.first;
  }

  /** A cell starts: none of its own yet. */
  beginCell(): void {
    this.first = null;
  }

  /** Shows (with `show`) the errors raised since the last cell in the cell that starts; they fail it. */
  showPending(show: (content: ErrorContent) => void): void {
    for (const e of this.pending.splice(0)) {
      show(e);
      this.first ??= e;
    }
    if (this.dropped > 0) {
      process.stderr.write(`[sciforge kernel] ${this.dropped} more background errors were raised between cells (not shown)\n`);
      this.dropped = 0;
    }
  }

  /**
   * Takes an error: with a cell running, `show` shows it there now; between cells it waits
   * (`lastCell`: the execution count of the cell that ran last, 0 before the first).
   */
  report(e: unknown, cellRunning: boolean, lastCell: number, show: (content: ErrorContent) => void): void {
    const err = e as Error;
    const message = err?.message ?? String(e);
    if (cellRunning) {
      const content: ErrorContent = { ename: err?.name ?? "Error", evalue: `(in background) ${message}`, traceback: String(err?.stack ?? e).split("\n") };
      show(content);
      this.first ??= content;
      return;
    }
    const after = lastCell > 0 ? `, after cell[${lastCell}] ended` : "";
    const content: ErrorContent = { ename: err?.name ?? "Error", evalue: `(in background${after}) ${message}`, traceback: String(err?.stack ?? e).split("\n") };
    if (this.pending.length < MAX_PENDING) this.pending.push(content);
    else this.dropped++;
  }
}
