/**
 * Micro-batching for the predict service: requests that arrive while one batch is being computed
 * are merged into the next `predict` call (one pipeline + one model run for many requests), which
 * is what keeps latency flat under a burst of concurrent requests.
 */
import type { Bundle } from "../bundle/bundle";
import { predict, type Prediction } from "../bundle/predict";

interface Pending {
  rows: Array<Record<string, unknown>>;
  resolve: (p: Prediction[]) => void;
  reject: (e: unknown) => void;
}

/** Batches `predict` calls on one bundle, up to `maxRows` rows per batch. */
export class PredictBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly bundle: Bundle,
    private readonly maxRows = 4096,
  ) {}

  /** Predicts validated rows, possibly together with other waiting requests. */
  predict(rows: Array<Record<string, unknown>>): Promise<Prediction[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length && (batch.length === 0 || rows + this.queue[0].rows.length <= this.maxRows)) {
      const p = this.queue.shift()!;
      batch.push(p);
      rows += p.rows.length;
    }
    try {
      const all = await predict(this.bundle, batch.flatMap((p) => p.rows));
      let o = 0;
      for (const p of batch) {
        p.resolve(all.slice(o, o + p.rows.length));
        o += p.rows.length;
      }
    } catch {
      // One request's rows broke the batch: answer each request on its own.
      for (const p of batch) await predict(this.bundle, p.rows).then(p.resolve, p.reject);
    }
    if (this.queue.length) setImmediate(() => void this.flush());
    else this.scheduled = false;
  }
}
