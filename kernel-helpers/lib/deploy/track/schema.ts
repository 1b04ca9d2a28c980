/** The tracking database's tables (created on open; every statement is idempotent). */
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
