/**
 * The tracking database: one SQLite file (node:sqlite where this Node has it, else better-sqlite3:
 * see ./sqlite.ts), opened in WAL mode with a busy timeout so several kernels can write at once.
 * Every write is a single short transaction, so a kernel killed at any moment leaves a consistent
 * file; runs it left "running" are marked "incomplete" at the next open and at every read of runs
 * (their pid is gone or a zombie) — see {@link reapDeadRuns}.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { openSqlite, type SqliteDb } from "./sqlite";
import { migrate } from "./schema";
import { hostName, runProcessAlive } from "./process";

/** An open tracking database connection. */
export type TrackingDb = SqliteDb;

/** File name used next to the notebook when no path is given. */
export const DEFAULT_TRACKING_FILE = "sciforge-runs.sqlite";

/** Runs on other hosts whose heartbeat is older than this are considered dead (ms). */
export const STALE_HEARTBEAT_MS = 10 * 60 * 1000;

const open = new Map<string, TrackingDb>();

/**
 * Where runs are recorded: `path` when given, else `$SCIFORGE_TRACKING_DB`, else
 * `sciforge-runs.sqlite` in the kernel's working directory (the notebook's folder).
 */
export function trackingPath(path?: string): string {
  return resolve(path ?? process.env.SCIFORGE_TRACKING_DB ?? join(process.cwd(), DEFAULT_TRACKING_FILE));
}

/**
 * Opens (creating if needed) the tracking database at `path` (see {@link trackingPath}); one
 * cached connection per file and process. Sets WAL, busy_timeout 10 s, and reaps dead runs.
 */
export function openTracking(path?: string): TrackingDb {
  const file = trackingPath(path);
  const cached = open.get(file);
  if (cached?.open) return cached;
  mkdirSync(dirname(file), { recursive: true });
  const db = openSqlite(file, { timeout: 10_000 });
  db.pragma("busy_timeout = 10000");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db, file);
  reapDeadRuns(db);
  open.set(file, db);
  return db;
}

/** Closes a cached connection (tests, or before deleting the file). */
export function closeTracking(path?: string): void {
  const file = trackingPath(path);
  open.get(file)?.close();
  open.delete(file);
}

/**
 * Marks "running" runs whose process is gone as "incomplete": on this host when the pid is dead
 * or a zombie (or now belongs to a process started at another time),
 * elsewhere when the heartbeat is older than {@link STALE_HEARTBEAT_MS}. Returns their ids.
 */
export function reapDeadRuns(db: TrackingDb, now = Date.now()): string[] {
  const host = hostName();
  const rows = db.prepare("SELECT id, pid, pid_start, host, heartbeat_at FROM runs WHERE status = 'running'").all() as Array<{
    id: string;
    pid: number;
    pid_start: string | null;
    host: string;
    heartbeat_at: number;
  }>;
  const dead = rows.filter((r) => (r.host === host ? !runProcessAlive(r.pid, r.pid_start) : now - r.heartbeat_at > STALE_HEARTBEAT_MS));
  if (dead.length === 0) return [];
  const mark = db.prepare(
    "UPDATE runs SET status = 'incomplete', ended_at = heartbeat_at, error = COALESCE(error, ?) WHERE id = ? AND status = 'running'",
  );
  db.transaction(() => {
    for (const r of dead) mark.run(`process ${r.pid} on ${r.host} ended without finishing the run (kernel killed or crashed)`, r.id);
  })();
  return dead.map((r) => r.id);
}
