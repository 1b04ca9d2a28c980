// The SQLite adapter: node:sqlite and better-sqlite3 answer the same calls the same way (each engine
// that loads on this Node), and when none loads the error names the Node version.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite, resetSqliteEngine, sqliteEngine, type SqliteEngineName } from "../../../kernel-helpers/lib/track/sqlite";

const dir = mkdtempSync(join(tmpdir(), "sciforge-sqlite-test-"));
const root = process.env.SCIFORGE_ROOT ?? process.cwd();
after(() => {
  delete process.env.SCIFORGE_SQLITE;
  resetSqliteEngine();
  rmSync(dir, { recursive: true, force: true });
});

function loads(engine: SqliteEngineName): boolean {
  process.env.SCIFORGE_SQLITE = engine;
  resetSqliteEngine();
  try {
    return sqliteEngine() === engine;
  } catch {
    return false;
  } finally {
    delete process.env.SCIFORGE_SQLITE;
    resetSqliteEngine();
  }
}

// node:sqlite without a flag: 22.13+, 23.4+, 24+
const [major, minor] = process.versions.node.split(".").map(Number);
const hasNodeSqlite = major >= 24 || (major === 23 && minor >= 4) || (major === 22 && minor >= 13);

test("this Node picks node:sqlite when it has it, else better-sqlite3", () => {
  resetSqliteEngine();
  assert.equal(sqliteEngine(), hasNodeSqlite ? "node:sqlite" : "better-sqlite3");
});

for (const engine of ["node:sqlite", "better-sqlite3"] as const) {
  test(`${engine}: prepare/run/get/all, transactions (nested, rolled back), pragma, close`, { skip: !loads(engine) && `${engine} does not load on Node ${process.version}` }, () => {
    process.env.SCIFORGE_SQLITE = engine;
    resetSqliteEngine();
    const db = openSqlite(join(dir, `${engine.replace(":", "-")}.sqlite`), { timeout: 2000 });
    try {
      assert.equal(db.engine, engine);
      assert.equal(db.open, true);
      assert.equal(db.pragma("journal_mode = WAL", { simple: true }), "wal");
      assert.deepEqual(db.pragma("journal_mode"), [{ journal_mode: "wal" }]);
      assert.equal(db.pragma("busy_timeout", { simple: true }), 2000);
      assert.equal(db.pragma("foreign_keys", { simple: true }), 1, "on by default in both engines");
      db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, score REAL, blob BLOB)");
      const ins = db.prepare("INSERT INTO t (name, score, blob) VALUES (?, ?, ?)");
      const r = ins.run("a", 1.5, null);
      assert.equal(Number(r.lastInsertRowid), 1);
      assert.equal(Number(r.changes), 1);
      ins.run("b", null, Buffer.from([1, 2]));
      const row = db.prepare("SELECT id, name, score FROM t WHERE name = ?").get("a");
      assert.deepStrictEqual(row, { id: 1, name: "a", score: 1.5 }, "a plain object");
      assert.equal(db.prepare("SELECT * FROM t WHERE name = ?").get("zzz"), undefined);
      assert.deepStrictEqual(db.prepare("SELECT name FROM t ORDER BY id").all(), [{ name: "a" }, { name: "b" }]);

      assert.equal(db.inTransaction, false);
      db.transaction(() => assert.equal(db.inTransaction, true))();
      const many = db.transaction((names: string[]) => names.map((n) => Number(ins.run(n, 0, null).lastInsertRowid)));
      assert.deepEqual(many(["c", "d"]), [3, 4]);
      const failing = db.transaction(() => {
        ins.run("e", 0, null);
        throw new Error("boom");
      });
      assert.throws(() => failing(), /boom/);
      assert.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM t").get(), { n: 4 }, "the failed transaction left nothing");
      // nested: the inner failure rolls back only the inner part
      const outer = db.transaction(() => {
        ins.run("f", 0, null);
        try {
          db.transaction(() => {
            ins.run("g", 0, null);
            throw new Error("inner");
          })();
        } catch {
          // the outer goes on
        }
        ins.run("h", 0, null);
      });
      outer();
      assert.deepEqual(
        db
          .prepare("SELECT name FROM t WHERE id > 4 ORDER BY id")
          .all()
          .map((x) => (x as { name: string }).name),
        ["f", "h"],
      );
      assert.throws(() => ins.run(undefined as never, 0, null), "undefined is refused (both engines)");
    } finally {
      db.close();
      delete process.env.SCIFORGE_SQLITE;
      resetSqliteEngine();
    }
    assert.equal(db.open, false);
  });
}

test("when no engine loads, the error names the Node version and how to fix it", () => {
  // On this Node one engine is missing or forced off: ask for the other one only in a child.
  const missing: SqliteEngineName = hasNodeSqlite ? "better-sqlite3" : "node:sqlite";
  if (loads(missing)) return; // both load here (e.g. Node 20 with better-sqlite3 and 22 rebuilt): nothing to show
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", `require(${JSON.stringify(join(root, "kernel-helpers/lib/track/db.ts"))}).openTracking(${JSON.stringify(join(dir, "x.sqlite"))})`], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, SCIFORGE_SQLITE: missing },
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`not available on Node ${process.version.replace(/\./g, "\\.")}`));
  assert.match(r.stderr, /Node 22\.13 or later/);
  assert.match(r.stderr, /sciforge\.nodePath/);
});
