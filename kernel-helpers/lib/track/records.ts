/** Reading runs back from the tracking database as plain objects. */
import { reapDeadRuns, type TrackingDb } from "./db";
import type { RunStatus } from "./run";

/** A run as stored. */
export interface RunRecord {
  id: string;
  experiment: string;
  name: string;
  status: RunStatus;
  params: Record<string, unknown>;
  backend: string | null;
  dataHash: string | null;
  seed: number | null;
  notebook: string | null;
  cell: string | null;
  pid: number;
  host: string;
  startedAt: number;
  heartbeatAt: number;
  endedAt: number | null;
  metrics: Record<string, number>;
  error: string | null;
  tags: Record<string, unknown>;
  /** Per-epoch metrics, epoch order. */
  epochs: Array<{ epoch: number } & Record<string, number>>;
  artifacts: Array<{ name: string; kind: string; path: string; bytes: number | null }>;
}

/** Filter of {@link listRuns}. */
export interface RunFilter {
  experiment?: string;
  status?: RunStatus | RunStatus[];
  /** Newest first, at most this many. */
  limit?: number;
}

interface RunRow {
  id: string;
  experiment: string;
  name: string;
  status: RunStatus;
  params: string;
  backend: string | null;
  data_hash: string | null;
  seed: number | null;
  notebook: string | null;
  cell: string | null;
  pid: number;
  host: string;
  started_at: number;
  heartbeat_at: number;
  ended_at: number | null;
  metrics: string;
  error: string | null;
  tags: string;
}

function toRecord(db: TrackingDb, r: RunRow): RunRecord {
  const epochs = (db.prepare("SELECT epoch, metrics FROM epochs WHERE run_id = ? ORDER BY epoch").all(r.id) as Array<{ epoch: number; metrics: string }>).map(
    (e) => ({ ...(JSON.parse(e.metrics) as Record<string, number>), epoch: e.epoch }),
  );
  const artifacts = db.prepare("SELECT name, kind, path, bytes FROM artifacts WHERE run_id = ? ORDER BY at").all(r.id) as RunRecord["artifacts"];
  return {
    id: r.id,
    experiment: r.experiment,
    name: r.name,
    status: r.status,
    params: JSON.parse(r.params),
    backend: r.backend,
    dataHash: r.data_hash,
    seed: r.seed,
    notebook: r.notebook,
    cell: r.cell,
    pid: r.pid,
    host: r.host,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    endedAt: r.ended_at,
    metrics: JSON.parse(r.metrics),
    error: r.error,
    tags: JSON.parse(r.tags),
    epochs,
    artifacts,
  };
}

/**
 * One run by id (undefined when absent). Runs of dead processes are reaped first, so a run whose
 * kernel died reads "incomplete" even on a connection opened while it was alive.
 */
export function getRun(db: TrackingDb, id: string): RunRecord | undefined {
  reapDeadRuns(db);
  const r = db.prepare("SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
  return r ? toRecord(db, r) : undefined;
}

/** Runs matching a filter, newest first (dead processes' runs are reaped first, as in {@link getRun}). */
export function listRuns(db: TrackingDb, filter: RunFilter = {}): RunRecord[] {
  reapDeadRuns(db);
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.experiment !== undefined) {
    where.push("experiment = ?");
    args.push(filter.experiment);
  }
  if (filter.status !== undefined) {
    const s = Array.isArray(filter.status) ? filter.status : [filter.status];
    where.push(`status IN (${s.map(() => "?").join(",")})`);
    args.push(...s);
  }
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at DESC, rowid DESC ${filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ""}`;
  return (db.prepare(sql).all(...args) as RunRow[]).map((r) => toRecord(db, r));
}
