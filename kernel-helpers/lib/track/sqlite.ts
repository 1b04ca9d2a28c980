/**
 * One SQLite API over two engines, so tracking, serve and feedback run on any Node:
 * - `node:sqlite` (built into Node: 22.13+ and 23.4+ without a flag, 22.5–22.12 with
 *   `--experimental-sqlite`), preferred: no native module, no Node-ABI lock;
 * - `better-sqlite3`, the fallback (Node 20 and early 22): a native module built for one ABI.
 * When neither loads, {@link openSqlite} throws one error naming the Node version and both causes.
 * Only the subset the library uses: prepare (run/get/all), exec, transaction, pragma, close.
 * `SCIFORGE_SQLITE=node:sqlite|better-sqlite3` forces one engine (tests).
 */

/** A value SQLite can bind. */
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqliteRunResult {
  changes: number | bigint;
  lastInsertRowid: number | bigint;
}

/** Parameters bind by position; each must be a {@link SqlValue} (both engines refuse the rest). */
export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  /** The first row (a plain object), or undefined. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export type SqliteEngineName = "node:sqlite" | "better-sqlite3";

export interface SqliteDb {
  /** Which engine serves this connection. */
  readonly engine: SqliteEngineName;
  /** The file (or ":memory:"). */
  readonly name: string;
  /** False after {@link close}. */
  readonly open: boolean;
  /** True inside a transaction (BEGIN … COMMIT/ROLLBACK, by {@link transaction} or by exec). */
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): this;
  /** Wraps `fn` in BEGIN/COMMIT (ROLLBACK when it throws); nested calls use savepoints (as better-sqlite3). */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  /** `PRAGMA source`: the rows, or with `simple` the first column of the first row (as better-sqlite3). */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): this;
}

export interface OpenSqliteOptions {
  /** Busy timeout in ms (default 5000). */
  timeout?: number;
  readonly?: boolean;
}

// --- node:sqlite -------------------------------------------------------------------------------

interface NodeSqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): Record<string, unknown> | undefined;
  all(...params: unknown[]): Array<Record<string, unknown>>;
}
interface NodeSqliteDatabase {
  /** Node 22.16+ / 24. */
  readonly isTransaction?: boolean;
  prepare(sql: string): NodeSqliteStatement;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean; timeout?: number }) => NodeSqliteDatabase;
}

// --- better-sqlite3 ----------------------------------------------------------------------------

interface BetterStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface BetterDatabase {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): BetterStatement;
  exec(sql: string): unknown;
  transaction<F extends (...args: never[]) => unknown>(fn: F): F;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}
type BetterModule = new (path: string, options?: { timeout?: number; readonly?: boolean }) => BetterDatabase;

/** Rows of node:sqlite have a null prototype: plain objects, as better-sqlite3 returns. */
function plain<T>(row: T): T {
  if (row && typeof row === "object" && Object.getPrototypeOf(row) === null) Object.setPrototypeOf(row, Object.prototype);
  return row;
}

class NodeSqliteDb implements SqliteDb {
  readonly engine = "node:sqlite" as const;
  private depth = 0;
  private closed = false;
  private readonly db: NodeSqliteDatabase;

  constructor(
    mod: NodeSqliteModule,
    readonly name: string,
    options: OpenSqliteOptions,
  ) {
    this.db = new mod.DatabaseSync(name, options.readonly ? { readOnly: true } : {});
    // foreign keys: on by default in both engines (better-sqlite3 is built with SQLITE_DEFAULT_FOREIGN_KEYS=1)
    this.db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.timeout ?? 5000))}`);
  }

  get open(): boolean {
    return !this.closed;
  }

  get inTransaction(): boolean {
    // older node:sqlite has no isTransaction: only transactions begun by transaction() are known
    return this.db.isTransaction ?? this.depth > 0;
  }

  prepare(sql: string): SqliteStatement {
    const s = this.db.prepare(sql);
    return {
      run: (...p) => s.run(...p),
      get: (...p) => plain(s.get(...p)),
      all: (...p) => s.all(...p).map(plain),
    };
  }

  exec(sql: string): this {
    this.db.exec(sql);
    return this;
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const nested = this.depth > 0;
      const sp = `sciforge_tx_${this.depth}`;
      this.db.exec(nested ? `SAVEPOINT ${sp}` : "BEGIN");
      this.depth++;
      let result: R;
      try {
        result = fn(...args);
        if (result && typeof (result as { then?: unknown }).then === "function") throw new TypeError("Transaction function cannot return a promise");
      } catch (err) {
        this.depth--;
        this.db.exec(nested ? `ROLLBACK TO ${sp}; RELEASE ${sp}` : "ROLLBACK");
        throw err;
      }
      this.depth--;
      try {
        this.db.exec(nested ? `RELEASE ${sp}` : "COMMIT");
      } catch (err) {
        if (!nested) this.db.exec("ROLLBACK");
        throw err;
      }
      return result;
    };
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.db.prepare(`PRAGMA ${source}`).all().map(plain);
    if (!options.simple) return rows;
    const first = rows[0];
    return first ? Object.values(first)[0] : undefined;
  }

  close(): this {
    if (!this.closed) this.db.close();
    this.closed = true;
    return this;
  }
}

class BetterSqliteDb implements SqliteDb {
  readonly engine = "better-sqlite3" as const;
  private readonly db: BetterDatabase;

  constructor(
    Database: BetterModule,
    readonly name: string,
    options: OpenSqliteOptions,
  ) {
    this.db = new Database(name, { timeout: options.timeout ?? 5000, readonly: options.readonly ?? false });
  }

  get open(): boolean {
    return this.db.open;
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  prepare(sql: string): SqliteStatement {
    return this.db.prepare(sql) as SqliteStatement;
  }

  exec(sql: string): this {
    this.db.exec(sql);
    return this;
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return this.db.transaction(fn as (...args: never[]) => unknown) as unknown as (...args: A) => R;
  }

  pragma(source: string, options?: { simple?: boolean }): unknown {
    return this.db.pragma(source, options);
  }

  close(): this {
    this.db.close();
    return this;
  }
}

// --- choosing the engine -----------------------------------------------------------------------

type Engine = { name: SqliteEngineName; open(file: string, options: OpenSqliteOptions): SqliteDb };

let chosen: Engine | undefined;

function loadNodeSqlite(): NodeSqliteModule {
  // Node 22 prints "ExperimentalWarning: SQLite is an experimental feature" on first load: not
  // something a notebook user can act on, so that one warning is dropped.
  const emit = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === "string" ? warning : warning?.message;
    if (/SQLite is an experimental feature/i.test(String(text))) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    const viaBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:sqlite") as NodeSqliteModule | undefined;
    const mod = viaBuiltin ?? (require("node:sqlite") as NodeSqliteModule);
    if (typeof mod?.DatabaseSync !== "function") throw new Error("node:sqlite has no DatabaseSync");
    new mod.DatabaseSync(":memory:").close();
    return mod;
  } finally {
    process.emitWarning = emit;
  }
}

function loadBetterSqlite(): BetterModule {
  const mod = require("better-sqlite3") as BetterModule | { default: BetterModule };
  const Database = typeof mod === "function" ? mod : mod.default;
  // the native binding loads on first use: open one in memory to know it fits this Node's ABI
  new Database(":memory:").close();
  return Database;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0];
}

/** Picks the engine once per process (see the module comment); throws a clear error when none loads. */
export function sqliteEngine(): SqliteEngineName {
  return engine().name;
}

function engine(): Engine {
  if (chosen) return chosen;
  const forced = process.env.SCIFORGE_SQLITE;
  const order: SqliteEngineName[] = forced === "better-sqlite3" ? ["better-sqlite3"] : forced === "node:sqlite" ? ["node:sqlite"] : ["node:sqlite", "better-sqlite3"];
  const why: string[] = [];
  for (const name of order) {
    try {
      if (name === "node:sqlite") {
        const mod = loadNodeSqlite();
        chosen = { name, open: (file, o) => new NodeSqliteDb(mod, file, o) };
      } else {
        const Database = loadBetterSqlite();
        chosen = { name, open: (file, o) => new BetterSqliteDb(Database, file, o) };
      }
      return chosen;
    } catch (err) {
      why.push(`${name}: ${firstLine(err)}`);
    }
  }
  const abi = process.versions.modules ? ` (ABI ${process.versions.modules})` : "";
  throw new Error(
    `SQLite (tracking, serve logs, feedback) is not available on Node ${process.version}${abi}: ` +
      `${why.join("; ")}. node:sqlite comes with Node 22.13 or later (22.5+ with --experimental-sqlite); ` +
      `better-sqlite3 must be built for the Node that runs it. Run the kernel with Node 22.13+ (VS Code: setting sciforge.nodePath), ` +
      `or rebuild it for this Node (npm rebuild better-sqlite3).`,
  );
}

/** Opens (creating if needed) a SQLite database file with whichever engine this Node has. */
export function openSqlite(file: string, options: OpenSqliteOptions = {}): SqliteDb {
  return engine().open(file, options);
}

/** For tests: forget the chosen engine (after changing SCIFORGE_SQLITE). */
export function resetSqliteEngine(): void {
  chosen = undefined;
}
