/**
 * The input history behind Jupyter's `history_request`, kept per user across sessions like
 * IPython's history database: one SQLite file (`history.sqlite` in the user's data folder, e.g.
 * ~/.local/share/sciforge; `SCIFORGE_HISTORY_FILE` names another file, or `off`), with IPython's
 * tables — `sessions`, `history` (session, line, source), `output_history` (the text of the
 * cell's result). Each kernel is one session, numbered when it stores its first cell. Several
 * kernels write to it at once (WAL, busy timeout). The file is opened at the first cell stored,
 * after that cell has answered, so it costs the first result nothing.
 *
 * Requests, as IPython answers them: `tail` (the last n cells, all sessions), `range` (session —
 * 0 this one, negative counted back from it — and lines start ≤ line < stop), `search` (a glob:
 * `*`, `?`, `[…]`, case-sensitive; `unique` drops repeated sources; `n` keeps the last n).
 */
import type { HistoryEntry } from "../protocol/messages";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { openDatabase, type Connection } from "./sqlite";
import { userDataDir } from "./user-dirs";


export interface HistoryRequest {
  hist_access_type?: "tail" | "range" | "search";
  output?: boolean;
  raw?: boolean;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

export function historyFile(env: NodeJS.ProcessEnv = process.env): string | null {
  const f = env.SCIFORGE_HISTORY_FILE;
  if (f === "off" || f === "0") return null;
  return f || join(userDataDir(env), "history.sqlite");
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (session INTEGER PRIMARY KEY AUTOINCREMENT, start TIMESTAMP, end TIMESTAMP, num_cmds INTEGER, remark TEXT);
CREATE TABLE IF NOT EXISTS history (session INTEGER, line INTEGER, source TEXT, source_raw TEXT, PRIMARY KEY (session, line));
CREATE TABLE IF NOT EXISTS output_history (session INTEGER, line INTEGER, output TEXT, PRIMARY KEY (session, line));
`;

export class History {
  private db: Connection | null = null;
  private session = 0;
  private failed = false;

  constructor(private readonly file: string | null = historyFile()) {}

  /** This kernel's session number (0 before it stored anything). */
  get sessionNumber(): number {
    return this.session;
  }

  private open(): Connection | null {
    if (this.db || this.failed || !this.file) return this.db;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const db = openDatabase(this.file);
      db.exec("PRAGMA journal_mode = WAL;");
      db.exec(SCHEMA);
      this.db = db;
    } catch (e) {
      this.failed = true;
      process.stderr.write(`[sciforge kernel] input history off: cannot open ${this.file}: ${(e as Error).message}\n`);
    }
    return this.db;
  }

  private ensureSession(db: Connection): number {
    if (!this.session) {
      db.prepare("INSERT INTO sessions (start, num_cmds, remark) VALUES (?, 0, '')").run(new Date().toISOString());
      this.session = Number((db.prepare("SELECT last_insert_rowid() AS id").get() as { id: number }).id);
    }
    return this.session;
  }

  /** Stores cell `line` of this session (and the text of its result, if any). */
  record(line: number, source: string, output?: string): void {
    const db = this.open();
    if (!db) return;
    try {
      const session = this.ensureSession(db);
      db.prepare("INSERT OR REPLACE INTO history (session, line, source, source_raw) VALUES (?, ?, ?, ?)").run(session, line, source, source);
      if (output !== undefined) db.prepare("INSERT OR REPLACE INTO output_history (session, line, output) VALUES (?, ?, ?)").run(session, line, output);
      db.prepare("UPDATE sessions SET num_cmds = ?, end = ? WHERE session = ?").run(line, new Date().toISOString(), session);
    } catch (e) {
      process.stderr.write(`[sciforge kernel] could not store cell ${line} in the input history: ${(e as Error).message}\n`);
    }
  }

  private pending: Array<[number, string, string | undefined]> = [];

  /**
   * Stores a cell after the reply has gone (the write stays off the cell's critical path); a
   * history request that comes first sees it all the same (query() writes what is pending).
   */
  recordSoon(line: number, source: string, output?: string): void {
    if (this.pending.push([line, source, output]) === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const items = this.pending;
    this.pending = [];
    for (const [line, source, output] of items) this.record(line, source, output);
  }

  /** The answer to a `history_request`. */
  query(r: HistoryRequest): HistoryEntry[] {
    this.flush();
    const db = this.open();
    if (!db) return [];
    const column = r.raw === false ? "source" : "source_raw";
    const select = r.output
      ? `SELECT h.session, h.line, h.${column} AS source, o.output FROM history h LEFT JOIN output_history o ON o.session = h.session AND o.line = h.line`
      : `SELECT h.session, h.line, h.${column} AS source FROM history h`;
    let rows: Array<{ session: number; line: number; source: string; output?: string | null }>;
    const n = r.n ?? null;
    if (r.hist_access_type === "range") {
      const current = this.session || this.nextSession(db);
      const session = !r.session ? current : r.session < 0 ? current + r.session : r.session;
      const stop = r.stop ?? null;
      rows = db.prepare(`${select} WHERE h.session = ? AND h.line >= ?${stop === null ? "" : " AND h.line < ?"} ORDER BY h.session, h.line`).all(...[session, r.start ?? 0, ...(stop === null ? [] : [stop])]) as typeof rows;
    } else if (r.hist_access_type === "search") {
      const group = r.unique ? ` GROUP BY h.${column}` : "";
      const limit = n !== null ? " ORDER BY h.session DESC, h.line DESC LIMIT ?" : " ORDER BY h.session, h.line";
      rows = db.prepare(`${select} WHERE h.${column} GLOB ?${group}${limit}`).all(...[r.pattern ?? "*", ...(n !== null ? [n] : [])]) as typeof rows;
      if (n !== null) rows.reverse();
    } else {
      rows = db.prepare(`${select} ORDER BY h.session DESC, h.line DESC LIMIT ?`).all(n ?? 10) as typeof rows;
      rows.reverse();
    }
    return rows.map((row) => (r.output ? [row.session, row.line, [row.source, row.output ?? null]] : [row.session, row.line, row.source]));
  }

  /** The session this kernel will get (it has stored nothing yet). */
  private nextSession(db: Connection): number {
    const row = db.prepare("SELECT MAX(session) AS s FROM sessions").get() as { s: number | null };
    return (row.s ?? 0) + 1;
  }

  close(): void {
    try {
      this.db?.close();
    } catch {
      // already closed
    }
    this.db = null;
  }
}
