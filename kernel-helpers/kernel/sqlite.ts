/**
 * A small synchronous SQLite connection for the kernel's own files (the input history): Node's
 * built-in `node:sqlite` where this Node has it (22.5+), else better-sqlite3 (which ships with
 * Sciforge). Both give prepared statements with `run` / `get` / `all` and positional parameters.
 */
import { createRequire } from "node:module";

export interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface Connection {
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
  /** Which driver opened it: "node:sqlite" or "better-sqlite3". */
  readonly driver: string;
}

const load = createRequire(__filename);

/** node:sqlite, without the ExperimentalWarning it prints on first load (it would land in a cell's output). */
function nodeSqlite(): { DatabaseSync: new (path: string, options?: { timeout?: number }) => Omit<Connection, "driver"> } | null {
  const emit = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: unknown[]) => {
    if (!/SQLite/i.test(String(w))) (emit as (...a: unknown[]) => void).call(process, w, ...rest);
  }) as typeof process.emitWarning;
  try {
    return load("node:sqlite");
  } catch {
    return null;
  } finally {
    process.emitWarning = emit;
  }
}

export function openDatabase(path: string, busyTimeoutMs = 5000): Connection {
  const builtin = process.env.SCIFORGE_SQLITE === "better-sqlite3" ? null : nodeSqlite();
  if (builtin) {
    const db = new builtin.DatabaseSync(path, { timeout: busyTimeoutMs });
    return Object.assign(db, { driver: "node:sqlite" }) as unknown as Connection;
  }
  const Database = load("better-sqlite3") as new (path: string, options?: { timeout?: number }) => Omit<Connection, "driver">;
  const db = new Database(path, { timeout: busyTimeoutMs });
  return Object.assign(db, { driver: "better-sqlite3" }) as unknown as Connection;
}
