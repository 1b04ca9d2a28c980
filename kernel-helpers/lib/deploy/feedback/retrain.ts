/**
 * Closing the loop: train a new version of a bundle with user corrections, compare it with the
 * current version on the same held-out set, and promote it only when it is not worse.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import type { DataFrame } from "../../data/polars";
import { REPR } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import { fit } from "../../train/fit/fit";
import { tfjs } from "../../train/tf";
import { captureModel, cloneModel } from "../compress/artifacts";
import { classIndices, predictFlat } from "../compress/evaluate";
import type { Bundle } from "../bundle/bundle";
import { saveBundle } from "../bundle/files";
import { bundleInputs, type BundleInputs } from "../bundle/predict";
import { rowsToFrame } from "../bundle/schema";
import { openTracking } from "../../track/db";
import { htmlTable, textTable } from "../../track/html";
import { startRun } from "../../track/run";
import { markFeedbackUsed, type FeedbackRecord } from "./store";

/** When the retrained version becomes the current one. */
export type PromotePolicy = "if-better" | "if-not-worse" | "always" | "never";

/** Options of {@link retrain}. */
export interface RetrainOptions {
  /** Corrections to learn from (e.g. `feedback.list(bundle)`). */
  with: FeedbackRecord[];
  /** Labelled held-out rows (features + target column): both versions are scored on them. */
  holdout: DataFrame;
  /** The original labelled training rows, replayed with the corrections (recommended). */
  train?: DataFrame;
  /** Target column of `train` / `holdout` (default: the bundle's). */
  target?: string;
  /** Start from the current weights (default true) or from fresh ones. */
  warmStart?: boolean;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Times each correction is repeated in the training set (default 1). */
  feedbackWeight?: number;
  /** Default "if-not-worse". */
  promote?: PromotePolicy;
  /** Bundle root to save the new version to (default: where the bundle was loaded from). */
  root?: string;
  /** Tracking database (the retrain is a tracked run). */
  db?: string;
}

/** Scores of one version. */
export interface VersionScore {
  version: number;
  /** Accuracy (classification) or −MSE (regression) on the held-out set: higher is better. */
  score: number;
  metrics: Record<string, number>;
}

/** What {@link retrain} returns; displays as a side-by-side report. */
export class RetrainReport {
  constructor(
    readonly previous: VersionScore,
    readonly candidate: VersionScore,
    readonly promoted: boolean,
    readonly reason: string,
    /** The new version (saved; current only when promoted). */
    readonly bundle: Bundle,
    readonly feedbackRows: number,
    readonly runId: string,
  ) {}

  [REPR](): MimeBundle {
    const keys = [...new Set([...Object.keys(this.previous.metrics), ...Object.keys(this.candidate.metrics)])];
    const rows = [this.previous, this.candidate].map((v) => ({ version: `v${v.version}`, ...v.metrics }));
    const cols = ["version", ...keys];
    const head = `Retrain ${this.bundle.name}: v${this.candidate.version} from v${this.previous.version} with ${this.feedbackRows} correction(s) — ${this.promoted ? "promoted" : "not promoted"} (${this.reason})`;
    return { [MIME.html]: `<div><b>${head.replace(/[&<>]/g, "")}</b>${htmlTable(cols, rows)}</div>`, [MIME.text]: `${head}\n${textTable(cols, rows)}` };
  }
}

function labelIndex(bundle: Bundle, v: unknown): number {
  if (bundle.task === "regression") return Number(v);
  if (typeof v === "string") {
    const i = bundle.labels?.indexOf(v) ?? -1;
    if (i < 0) throw new Error(`retrain: label ${JSON.stringify(v)} is not one of ${bundle.labels?.join(", ")}`);
    return i;
  }
  return Math.round(Number(v));
}

function labelsOf(bundle: Bundle, df: DataFrame, target: string): Float32Array {
  if (!df.columns.includes(target)) throw new Error(`retrain: no target column "${target}" (has ${df.columns.join(", ")})`);
  return Float32Array.from(df.getColumn(target).toArray() as unknown[], (v) => labelIndex(bundle, v));
}

function score(bundle: Bundle, model: LayersModel, x: BundleInputs, y: Float32Array): Record<string, number> {
  const tf = tfjs();
  const xt = tf.tensor(x.data, x.shape);
  try {
    const out = predictFlat(model, xt);
    const n = x.shape[0];
    if (bundle.task === "regression") {
      let se = 0;
      for (let i = 0; i < n; i++) se += (out[i] - y[i]) ** 2;
      return { mse: se / n };
    }
    const pred = classIndices(out, n);
    let ok = 0;
    for (let i = 0; i < n; i++) if (pred[i] === y[i]) ok++;
    return { accuracy: n ? ok / n : 0 };
  } finally {
    xt.dispose();
  }
}

const primary = (bundle: Bundle, m: Record<string, number>) => (bundle.task === "regression" ? -m.mse : m.accuracy);

/**
 * Trains version N+1 of a bundle on its training data plus the corrections, scores both versions
 * on the same held-out rows (and on the corrections), saves the new version, and promotes it
 * according to `promote`. The retrain is a tracked run; used corrections are marked.
 * ```ts
 * const report = await retrain(bundle, { with: feedback.list(bundle), train, holdout: test });
 * report.promoted; report.candidate.version; // 2
 * ```
 */
export async function retrain(bundle: Bundle, options: RetrainOptions): Promise<RetrainReport> {
  const tf = tfjs();
  const target = options.target ?? bundle.target;
  if (!target) throw new Error("retrain: give `target` (the bundle records none)");
  const root = options.root ?? bundle.root;
  if (!root) throw new Error("retrain: give `root` (the bundle was not saved or loaded from a folder)");
  if (options.with.length === 0 && !options.train) throw new Error("retrain: no corrections and no training data");
  const features = bundle.schema.features.map((f) => f.name);

  const hx = bundleInputs(bundle, options.holdout.select(...features));
  const hy = labelsOf(bundle, options.holdout, target);
  const fbFrame = options.with.length ? rowsToFrame(options.with.map((f) => f.input), bundle.schema) : undefined;
  const fx = fbFrame ? bundleInputs(bundle, fbFrame) : undefined;
  const fy = Float32Array.from(options.with, (f) => labelIndex(bundle, f.label));

  // Training set: original rows + corrections (repeated feedbackWeight times).
  const parts: Array<{ x: Float32Array; y: Float32Array; rows: number }> = [];
  if (options.train) {
    const tx = bundleInputs(bundle, options.train.select(...features));
    parts.push({ x: tx.data, y: labelsOf(bundle, options.train, target), rows: tx.shape[0] });
  }
  for (let r = 0; r < (options.feedbackWeight ?? 1) && fx; r++) parts.push({ x: fx.data, y: fy, rows: fx.shape[0] });
  const cols = bundle.inputShape.reduce((a, b) => a * b, 1); // values per row
  const rows = parts.reduce((a, p) => a + p.rows, 0);
  const X = new Float32Array(rows * cols);
  const Y = new Float32Array(rows);
  let o = 0;
  for (const p of parts) {
    X.set(p.x, o * cols);
    Y.set(p.y, o);
    o += p.rows;
  }

  const run = startRun({
    experiment: `retrain:${bundle.name}`,
    name: `${bundle.name} retrain from v${bundle.version}`,
    params: { fromVersion: bundle.version, feedbackRows: options.with.length, trainRows: rows, epochs: options.epochs ?? 5, warmStart: options.warmStart ?? true },
    seed: options.seed,
    db: options.db,
  });
  try {
    let model: LayersModel;
    if (options.warmStart === false) {
      const { artifacts } = await captureModel(bundle.model);
      model = await tf.models.modelFromJSON({ modelTopology: artifacts.modelTopology } as Parameters<typeof tf.models.modelFromJSON>[0]);
    } else model = await cloneModel(bundle.model);
    const xt = tf.tensor(X, [rows, ...bundle.inputShape]);
    const yt = tf.tensor1d(Y);
    try {
      await fit(model, xt, yt, {
        epochs: options.epochs ?? 5,
        batchSize: options.batchSize ?? 32,
        learningRate: options.learningRate,
        seed: options.seed,
        progress: false,
        callbacks: [run.callback()],
      });
    } finally {
      tf.dispose([xt, yt]);
    }

    const prevM: Record<string, number> = { ...prefix(score(bundle, bundle.model, hx, hy), "holdout_") };
    const candM: Record<string, number> = { ...prefix(score(bundle, model, hx, hy), "holdout_") };
    if (fx) {
      Object.assign(prevM, prefix(score(bundle, bundle.model, fx, fy), "feedback_"));
      Object.assign(candM, prefix(score(bundle, model, fx, fy), "feedback_"));
    }
    const unprefix = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => k.startsWith("holdout_")).map(([k, v]) => [k.slice(8), v]));
    const prevScore = primary(bundle, unprefix(prevM));
    const candScore = primary(bundle, unprefix(candM));
    const policy = options.promote ?? "if-not-worse";
    const promoted = policy === "always" || (policy === "if-better" && candScore > prevScore) || (policy === "if-not-worse" && candScore >= prevScore);
    const reason =
      policy === "always" || policy === "never"
        ? `policy "${policy}"`
        : `held-out ${bundle.task === "regression" ? "−MSE" : "accuracy"} ${candScore.toFixed(4)} vs ${prevScore.toFixed(4)} (policy "${policy}")`;

    const candidate: Bundle = {
      ...bundle,
      model,
      version: 0,
      metrics: unprefix(candM),
      metadata: { ...bundle.metadata, retrainedFrom: bundle.version, feedbackRows: options.with.length, retrainRun: run.id },
      createdAt: new Date().toISOString(),
    };
    await saveBundle(candidate, root, { promote: promoted, run });
    markFeedbackUsed(openTracking(options.db), options.with.map((f) => f.id), candidate.version);
    run.finish({ ...candM, previous_holdout_score: prevScore, promoted: promoted ? 1 : 0, version: candidate.version });
    const report = new RetrainReport(
      { version: bundle.version, score: prevScore, metrics: prevM },
      { version: candidate.version, score: candScore, metrics: candM },
      promoted,
      reason,
      candidate,
      options.with.length,
      run.id,
    );
    return report;
  } catch (e) {
    run.fail(e);
    throw e;
  }
}

function prefix(m: Record<string, number>, p: string): Record<string, number> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [p + k, v]));
}
