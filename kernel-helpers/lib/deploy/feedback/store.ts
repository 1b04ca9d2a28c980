/** Predictions and user corrections, recorded in the tracking database. */
import type { Bundle } from "../bundle/bundle";
import { InputError, validateRows, fillableFeatures } from "../bundle/schema";
import { bundleInputs, type Prediction } from "../bundle/predict";
import type { TrackingDb } from "../../track/db";

/** A user correction: the input row and its true label. */
export interface FeedbackRecord {
  id: number;
  predictionId: number | null;
  model: string;
  /** Version that made the prediction. */
  version: number;
  input: Record<string, number | string | boolean>;
  /** Corrected label: class name (or index) for classification, a number for regression. */
  label: string | number;
  at: number;
  /** Version trained with it (null until a retrain used it). */
  usedInVersion: number | null;
}

/** A correction to record: a prediction id (its input is reused) or a row, plus the true label. */
export interface FeedbackInput {
  predictionId?: number;
  row?: Record<string, unknown> | unknown[];
  label: string | number;
}

/** Stores predictions; returns their ids (in order). */
export function recordPredictions(db: TrackingDb, bundle: Bundle, rows: Array<Record<string, unknown>>, preds: Prediction[]): number[] {
  const ins = db.prepare("INSERT INTO predictions (model, version, input, output, at) VALUES (?, ?, ?, ?, ?)");
  const t = Date.now();
  return db.transaction(() => rows.map((r, i) => Number(ins.run(bundle.name, bundle.version, JSON.stringify(r), JSON.stringify(preds[i]), t).lastInsertRowid)))();
}

/** Checks a corrected label against the bundle (a class name or index, or a number for regression). */
export function checkLabel(bundle: Bundle, label: unknown): string | number {
  if (bundle.task === "regression") {
    if (typeof label !== "number" || !Number.isFinite(label)) throw new InputError(`label must be a finite number, got ${JSON.stringify(label)}`);
    return label;
  }
  const n = bundle.task === "binary" ? 2 : (bundle.labels?.length ?? (bundle.model.outputs[0].shape[1] as number));
  if (typeof label === "number" && Number.isInteger(label) && label >= 0 && label < n) return label;
  if (typeof label === "string" && bundle.labels?.includes(label)) return label;
  throw new InputError(`label must be one of ${bundle.labels ? bundle.labels.map((l) => JSON.stringify(l)).join(", ") : `0..${n - 1}`}, got ${JSON.stringify(label)}`);
}

/** Records corrections (validated against the bundle); returns their ids. */
export function recordFeedback(db: TrackingDb, bundle: Bundle, items: FeedbackInput[]): number[] {
  const getPred = db.prepare("SELECT input, model, version FROM predictions WHERE id = ?");
  const ins = db.prepare("INSERT INTO feedback (prediction_id, model, version, input, label, at) VALUES (?, ?, ?, ?, ?, ?)");
  const prepared = items.map((it, i) => {
    if (it === null || typeof it !== "object") throw new InputError(`feedback ${i}: expected { predictionId | row, label }`);
    const label = checkLabel(bundle, it.label);
    if (it.predictionId !== undefined) {
      const p = getPred.get(it.predictionId) as { input: string; model: string; version: number } | undefined;
      if (!p || p.model !== bundle.name) throw new InputError(`feedback ${i}: no prediction ${JSON.stringify(it.predictionId)} of model ${bundle.name}`, [], 404);
      return { pid: it.predictionId, input: p.input, version: p.version, label };
    }
    if (it.row === undefined) throw new InputError(`feedback ${i}: give predictionId or row`);
    const [row] = validateRows([it.row], bundle.schema, { allowMissing: fillableFeatures(bundle.pipeline) });
    if (bundle.encoder) {
      // Refuse now what a retrain could not encode (a letter outside the alphabet, a wrong length…).
      try {
        bundleInputs(bundle, [row]);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(`feedback ${i}: ${e.message.replace(/\brow 0, /g, "")}`, e.details, e.status);
        throw e;
      }
    }
    return { pid: null, input: JSON.stringify(row), version: bundle.version, label };
  });
  const t = Date.now();
  return db.transaction(() => prepared.map((p) => Number(ins.run(p.pid, bundle.name, p.version, p.input, JSON.stringify(p.label), t).lastInsertRowid)))();
}

interface FeedbackRow {
  id: number;
  prediction_id: number | null;
  model: string;
  version: number;
  input: string;
  label: string;
  at: number;
  used_in_version: number | null;
}

/** Corrections recorded for a model (by default only those no retrain used yet). */
export function listFeedback(db: TrackingDb, model: string, options: { includeUsed?: boolean } = {}): FeedbackRecord[] {
  const rows = db
    .prepare(`SELECT * FROM feedback WHERE model = ? ${options.includeUsed ? "" : "AND used_in_version IS NULL"} ORDER BY id`)
    .all(model) as FeedbackRow[];
  return rows.map((r) => ({
    id: r.id,
    predictionId: r.prediction_id,
    model: r.model,
    version: r.version,
    input: JSON.parse(r.input),
    label: JSON.parse(r.label),
    at: r.at,
    usedInVersion: r.used_in_version,
  }));
}

/** Marks corrections as used by a new version. */
export function markFeedbackUsed(db: TrackingDb, ids: number[], version: number): void {
  const upd = db.prepare("UPDATE feedback SET used_in_version = ? WHERE id = ?");
  db.transaction(() => ids.forEach((id) => upd.run(version, id)))();
}
