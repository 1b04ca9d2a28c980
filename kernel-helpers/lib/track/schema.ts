/**
 * The tracking database's schema, as numbered migrations. A database records the last one it
 * has in `PRAGMA user_version` (0: none, or a file from before migrations were numbered, which
 * already has version 1's tables). Opening runs the missing ones in order, in one transaction;
 * a file whose version is above the highest known here (written by a newer Sciforge) is
 * refused rather than misread.
 *
 * Written against the API both engines share (better-sqlite3 and node:sqlite): `exec` and
 * `prepare(sql).get()`, no `pragma()` helper.
 *
 * To change the schema, append a migration (never edit a released one): the next number, SQL
 * that turns version N-1 into N (ALTER TABLE ... ADD COLUMN, CREATE INDEX, a table rebuild).
 */

/** Version 1: the tables as first released (every statement idempotent, so a version-0 file that has them is fine). */
export const TRACKING_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  experiment TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running','finished','failed','incomplete','interrupted')),
  params TEXT NOT NULL DEFAULT '{}',
  backend TEXT,
  data_hash TEXT,
  seed INTEGER,
  notebook TEXT,
  cell TEXT,
  pid INTEGER NOT NULL,
  pid_start TEXT,
  host TEXT NOT NULL,
  started_at REAL NOT NULL,
  heartbeat_at REAL NOT NULL,
  ended_at REAL,
  metrics TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  tags TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS runs_experiment ON runs (experiment, started_at);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status);
CREATE TABLE IF NOT EXISTS epochs (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  metrics TEXT NOT NULL,
  at REAL NOT NULL,
  PRIMARY KEY (run_id, epoch)
);
CREATE TABLE IF NOT EXISTS artifacts (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  bytes INTEGER,
  at REAL NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE IF NOT EXISTS predictions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  input TEXT NOT NULL,
  output TEXT NOT NULL,
  at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  prediction_id INTEGER REFERENCES predictions(id),
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  input TEXT NOT NULL,
  label TEXT NOT NULL,
  at REAL NOT NULL,
  used_in_version INTEGER
);
CREATE INDEX IF NOT EXISTS feedback_model ON feedback (model, used_in_version);
`;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order; `version` is its 1-based position. */
export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: "runs, epochs, artifacts, predictions, feedback", sql: TRACKING_SCHEMA }];

/** The schema version this Sciforge writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What {@link migrate} needs of a connection: better-sqlite3's Database and node:sqlite's DatabaseSync both fit. */
export interface MigratableDb {
  exec(sql: string): unknown;
  prepare(sql: string): { get(...params: never[]): unknown };
}

export class SchemaVersionError extends Error {}

export function schemaVersion(db: MigratableDb): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version?: number | bigint } | undefined;
  return Number(row?.user_version ?? 0);
}

/**
 * Brings the database up to the newest version: runs the migrations above its `user_version`
 * in order, in one IMMEDIATE transaction (two processes opening a new file at once: the second
 * waits, then finds nothing to do). Throws {@link SchemaVersionError} for a file newer than
 * `migrations` know. Returns the versions before and after.
 */
export function migrate(db: MigratableDb, file = "the tracking database", migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const refuse = (v: number) =>
    new SchemaVersionError(
      `${file} has tracking schema version ${v}, newer than this Sciforge knows (version ${latest}): ` +
        `it was written by a newer Sciforge. Upgrade Sciforge, or point SCIFORGE_TRACKING_DB at another file.`,
    );
  const seen = schemaVersion(db);
  if (seen > latest) throw refuse(seen);
  if (seen === latest) return { from: seen, to: seen };
  db.exec("BEGIN IMMEDIATE");
  try {
    const from = schemaVersion(db); // another process may have migrated while we waited for the lock
    if (from > latest) throw refuse(from);
    for (const m of migrations.slice(from)) {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
    }
    db.exec("COMMIT");
    return { from, to: latest };
  } catch (e) {
    db.exec("ROLLBACK");
    if (e instanceof SchemaVersionError) throw e;
    throw new Error(`${file}: upgrading the tracking schema failed (left at version ${seen}): ${(e as Error).message}`, { cause: e });
  }
}
