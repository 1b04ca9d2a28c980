/** The `runs` API: query and compare what was tracked. */
import { openTracking, reapDeadRuns } from "./db";
import { compareRuns, type CompareOptions, type RunComparison } from "./compare";
import { getRun, listRuns, type RunFilter, type RunRecord } from "./records";

/** Which runs to compare: ids, a filter, or records. */
export type RunSelection = string[] | RunFilter | RunRecord[];

/** Options naming the database file (default: see `trackingPath`). */
export interface DbOption {
  db?: string;
}

function select(selection: RunSelection, db?: string): RunRecord[] {
  const conn = openTracking(db);
  if (Array.isArray(selection)) {
    return selection.map((s) => {
      if (typeof s !== "string") return s;
      const r = getRun(conn, s);
      if (!r) throw new Error(`runs.compare: no run with id ${s}`);
      return r;
    });
  }
  return listRuns(conn, selection).reverse();
}

/**
 * Tracked runs in the SQLite file next to the notebook.
 * ```ts
 * display(await runs.compare({ experiment: "iris" }))
 * ```
 */
export const runs = {
  /** Runs matching a filter (experiment, status, limit), newest first. */
  list(filter: RunFilter & DbOption = {}): RunRecord[] {
    return listRuns(openTracking(filter.db), filter);
  },
  /** One run with its epochs and artifacts. */
  get(id: string, options: DbOption = {}): RunRecord | undefined {
    return getRun(openTracking(options.db), id);
  },
  /** Table + plotly comparison of runs (ids, a filter, or records), oldest first. */
  compare(selection: RunSelection = {}, options: CompareOptions & DbOption = {}): Promise<RunComparison> {
    return compareRuns(select(selection, options.db), options);
  },
  /** Marks runs of dead processes "incomplete" now (also done on every open and every read); returns their ids. */
  reap(options: DbOption = {}): string[] {
    return reapDeadRuns(openTracking(options.db));
  },
};
