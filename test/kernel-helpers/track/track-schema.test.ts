// The tracking schema's numbered migrations on real SQLite files: a file from before migrations
// were numbered (today's tables, user_version 0) is upgraded and keeps its runs; a file from a
// newer Sciforge is refused naming both versions; migrations run in order, all or nothing.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { openSqlite, type SqliteDb } from "../../../kernel-helpers/lib/track/sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openTracking, closeTracking } from "../../../kernel-helpers/lib/track/db";
import { getRun } from "../../../kernel-helpers/lib/track/records";
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion, SchemaVersionError, TRACKING_SCHEMA, type Migration, type MigratableDb } from "../../../kernel-helpers/lib/track/schema";

/** better-sqlite3's constructor through the SQLite adapter: node:sqlite where this Node has it (the Node 20/22/24 matrix runs this spec). */
const Database = class {
  constructor(file: string, options?: { readonly?: boolean }) {
    return openSqlite(file, options);
  }
} as unknown as new (file: string, options?: { readonly?: boolean }) => SqliteDb;

const dir = mkdtempSync(join(tmpdir(), "sciforge-track-schema-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file as Sciforge wrote it before migrations were numbered: the tables, user_version 0, one finished run. */
function oldFile(name: string): string {
  const file = join(dir, name);
  const db = new Database(file);
  db.exec(TRACKING_SCHEMA);
  db.prepare(
    "INSERT INTO runs (id, experiment, name, status, pid, host, started_at, heartbeat_at, ended_at, metrics) VALUES ('r1', 'old', 'first', 'finished', 1, 'h', 1, 2, 3, '{\"acc\":0.9}')",
  ).run();
  assert.equal(db.pragma("user_version", { simple: true }), 0);
  db.close();
  return file;
}

test("an old file (today's tables, user_version 0) is upgraded on open and keeps its runs", () => {
  const file = oldFile("old.sqlite");
  const db = openTracking(file);
  try {
    assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    const run = getRun(db, "r1");
    assert.equal(run?.status, "finished");
    assert.deepEqual(run?.metrics, { acc: 0.9 });
  } finally {
    closeTracking(file);
  }
  // seen from another connection: the version is in the file
  const raw = new Database(file, { readonly: true });
  assert.equal(raw.pragma("user_version", { simple: true }), SCHEMA_VERSION);
  raw.close();
  // opening again is a no-op
  const again = new Database(file);
  assert.deepEqual(migrate(again, file), { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
  again.close();
});

test("a new file gets every migration", () => {
  const db = new Database(join(dir, "new.sqlite"));
  assert.deepEqual(migrate(db), { from: 0, to: SCHEMA_VERSION });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const t of ["artifacts", "epochs", "feedback", "predictions", "runs"]) assert.ok(tables.includes(t), t);
  db.close();
});

test("a file from a newer Sciforge is refused, naming both versions, and left as it was", () => {
  const file = join(dir, "future.sqlite");
  const db = new Database(file);
  db.exec("CREATE TABLE runs (id TEXT PRIMARY KEY, shape_from_the_future BLOB)");
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 7}`);
  db.close();
  assert.throws(
    () => openTracking(file),
    (e: Error) => {
      assert.ok(e instanceof SchemaVersionError);
      assert.match(e.message, new RegExp(`future\\.sqlite has tracking schema version ${SCHEMA_VERSION + 7}, newer than this Sciforge knows \\(version ${SCHEMA_VERSION}\\)`));
      assert.match(e.message, /Upgrade Sciforge/);
      return true;
    },
  );
  const raw = new Database(file, { readonly: true });
  assert.equal(raw.pragma("user_version", { simple: true }), SCHEMA_VERSION + 7);
  assert.deepEqual(
    (raw.prepare("PRAGMA table_info(runs)").all() as { name: string }[]).map((c) => c.name),
    ["id", "shape_from_the_future"],
  );
  raw.close();
});

const later: Migration[] = [
  ...MIGRATIONS,
  { version: MIGRATIONS.length + 1, name: "runs.owner", sql: "ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT 'nobody'" },
  { version: MIGRATIONS.length + 2, name: "owner index", sql: "CREATE INDEX runs_owner ON runs (owner)" },
];

test("pending migrations run in order on an old file, in one transaction", () => {
  const file = oldFile("ordered.sqlite");
  const db = new Database(file);
  assert.deepEqual(migrate(db, file, later), { from: 0, to: later.length });
  assert.equal(schemaVersion(db), later.length);
  assert.equal((db.prepare("SELECT owner FROM runs WHERE id = 'r1'").get() as { owner: string }).owner, "nobody");
  assert.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'runs_owner'").get());
  db.close();
});

test("a migration that fails rolls all of them back: the file stays at its version", () => {
  const file = oldFile("broken.sqlite");
  const db = new Database(file);
  const broken: Migration[] = [...later.slice(0, -1), { version: later.length, name: "bad", sql: "CREATE INDEX nope ON no_such_table (x)" }];
  assert.throws(() => migrate(db, file, broken), /broken\.sqlite: upgrading the tracking schema failed \(left at version 0\): no such table: main\.no_such_table/);
  assert.equal(schemaVersion(db), 0);
  assert.ok(!(db.prepare("PRAGMA table_info(runs)").all() as { name: string }[]).some((c) => c.name === "owner"), "the column of the earlier migration was rolled back");
  assert.ok(!db.inTransaction);
  db.close();
});

test("the same migrate works on node:sqlite (Node 22.5+)", async (t) => {
  type NodeSqlite = { DatabaseSync: new (file: string) => MigratableDb & { close(): void } };
  let sqlite: NodeSqlite;
  try {
    const name = "node:sqlite"; // not in @types/node 20
    sqlite = (await import(name)) as NodeSqlite;
  } catch {
    t.skip(`node:sqlite is not in Node ${process.version}`);
    return;
  }
  const file = join(dir, "node-sqlite.sqlite");
  const db = new sqlite.DatabaseSync(file);
  db.exec(TRACKING_SCHEMA);
  db.exec("INSERT INTO runs (id, experiment, name, status, pid, host, started_at, heartbeat_at) VALUES ('r1', 'old', 'first', 'finished', 1, 'h', 1, 2)");
  assert.deepEqual(migrate(db, file, later), { from: 0, to: later.length });
  assert.equal(schemaVersion(db), later.length);
  assert.deepEqual({ ...(db.prepare("SELECT id, owner FROM runs").get() as object) }, { id: "r1", owner: "nobody" });
  db.exec(`PRAGMA user_version = ${later.length + 1}`);
  assert.throws(() => migrate(db, file, later), new RegExp(`version ${later.length + 1}, newer than this Sciforge knows \\(version ${later.length}\\)`));
  db.close();
});
