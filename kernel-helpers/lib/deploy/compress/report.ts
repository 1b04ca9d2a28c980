/** Side-by-side report of compressed models: size on disk, inference latency, accuracy delta. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { REPR } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import { saveModel } from "../../train/io/file-handler";
import { htmlTable, textTable } from "../../track/html";
import { dirBytes } from "./artifacts";
import { accuracyOf, measureLatency, r2Of } from "./evaluate";
import { measureSparsity } from "./prune";

/** A model to compare; `dir` is where it is saved (the report saves it to a temp folder otherwise). */
export interface CompressionVariant {
  name: string;
  model: LayersModel;
  dir?: string;
}

/** How variants are scored: "accuracy" (classifiers, the default) or "r2" (one-output regression). */
export type CompressionMetric = "accuracy" | "r2";

/** One row of the report. */
export interface CompressionRow {
  name: string;
  /** Bytes of the saved folder (model.json + weights.bin). */
  bytes: number;
  /** Bytes of weights.bin gzip-compressed (shows what sparsity buys when shipped compressed). */
  gzipBytes: number;
  /** bytes / original bytes. */
  sizeRatio: number;
  /** The metric the rows are scored with. */
  metric: CompressionMetric;
  /** Held-out score (accuracy or R²); scoreDelta = score − the original's. */
  score: number;
  scoreDelta: number;
  /** Held-out accuracy (metric "accuracy"; NaN with another metric). */
  accuracy: number;
  /** accuracy − original accuracy (NaN with another metric). */
  accuracyDelta: number;
  /** Median / p99 ms of one `predict` over the whole evaluation set. */
  latencyMs: number;
  latencyP99Ms: number;
  /** Zeros among kernel weights. */
  sparsity: number;
}

/** Options of {@link compressionReport}. */
export interface CompressionReportOptions {
  original: LayersModel;
  /** Folder of the saved original (saved to a temp folder when omitted). */
  originalDir?: string;
  variants: CompressionVariant[];
  /** Held-out inputs and class-index labels (for "r2": target values in the model's output units). */
  x: Tensor;
  y: Tensor | ArrayLike<number>;
  /** "accuracy" (default) or "r2" for a regression model. */
  metric?: CompressionMetric;
  /** predict() calls timed per model (default 20). */
  repeats?: number;
}

/** What {@link compressionReport} returns; displays as a table. */
export class CompressionReport {
  constructor(readonly rows: CompressionRow[]) {}
  /** The row of a variant by name. */
  row(name: string): CompressionRow | undefined {
    return this.rows.find((r) => r.name === name);
  }
  [REPR](): MimeBundle {
    const m = this.rows[0]?.metric ?? "accuracy";
    const cols = ["name", "bytes", "gzipBytes", "sizeRatio", m, `${m}Delta`, "latencyMs", "latencyP99Ms", "sparsity"];
    const rows = this.rows.map((r) => ({ ...r, [m]: r.score, [`${m}Delta`]: r.scoreDelta })) as Array<Record<string, unknown>>;
    const what = m === "r2" ? "R²" : "accuracy";
    return { [MIME.html]: htmlTable(cols, rows, `Compression: size on disk, latency, ${what} vs. original`), [MIME.text]: textTable(cols, rows) };
  }
}

/**
 * Compares compressed variants with the original on the same held-out set, side by side: size on
 * disk (and gzipped weights), predict latency, accuracy (or R² with `metric: "r2"`) and its
 * delta, kernel sparsity. Returns the report; it displays as a table (a cell's last value, or `display(report)`).
 * ```ts
 * await compressionReport({ original: model, variants: [{ name: "uint8", model: q.model, dir: q.dir }], x: xTest, y: yTest });
 * ```
 */
export async function compressionReport(options: CompressionReportOptions): Promise<CompressionReport> {
  const temp = mkdtempSync(join(tmpdir(), "sciforge-compress-"));
  try {
    const measure = async (name: string, model: LayersModel, dir: string | undefined, base?: CompressionRow): Promise<CompressionRow> => {
      let where = dir;
      if (!where) {
        where = join(temp, name.replace(/[^\w.-]+/g, "_"));
        await saveModel(model, where);
      }
      const bytes = dirBytes(where);
      const gzipBytes = gzipSync(readFileSync(join(where, "weights.bin")), { level: 9 }).length;
      const metric = options.metric ?? "accuracy";
      const score = metric === "r2" ? r2Of(model, options.x, options.y) : accuracyOf(model, options.x, options.y);
      const lat = measureLatency(model, options.x, options.repeats ?? 20);
      return {
        name,
        bytes,
        gzipBytes,
        sizeRatio: base ? bytes / base.bytes : 1,
        metric,
        score,
        scoreDelta: base ? score - base.score : 0,
        accuracy: metric === "accuracy" ? score : NaN,
        accuracyDelta: metric === "accuracy" ? (base ? score - base.score : 0) : NaN,
        latencyMs: lat.p50,
        latencyP99Ms: lat.p99,
        sparsity: measureSparsity(model).sparsity,
      };
    };
    const base = await measure("original", options.original, options.originalDir);
    const rows = [base];
    for (const v of options.variants) rows.push(await measure(v.name, v.model, v.dir, base));
    const report = new CompressionReport(rows);
    return report;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
