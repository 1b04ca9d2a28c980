/** Runs trials one by one as tracked runs, keeping the leaderboard current and honouring interrupts. */
import { interruptRequested } from "../display/display";
import { startRun } from "../track/run";
import { Leaderboard } from "./leaderboard";
import type { Point, Space } from "./space";
import type { SearchOptions, SearchResult, Trial } from "./types";

/** Runs one trial of `options.objective` as a tracked run. */
export async function runTrial<S extends Space>(options: SearchOptions<S>, params: Point<S>, index: number, budget?: number): Promise<Trial<Point<S>>> {
  const run = startRun({
    experiment: options.experiment ?? "search",
    name: `${options.experiment ?? "search"} #${index}${budget !== undefined ? ` (budget ${budget})` : ""}`,
    params: { ...(options.fixed ?? {}), ...params, ...(budget !== undefined ? { budget } : {}) },
    seed: options.seed,
    db: options.db,
  });
  const t0 = performance.now();
  try {
    const out = await options.objective(params, { run, trial: index, budget });
    const score = typeof out === "number" ? out : out.score;
    const metrics = typeof out === "number" ? {} : (out.metrics ?? {});
    const seconds = (performance.now() - t0) / 1000;
    if (interruptRequested()) {
      run.logMetrics({ ...metrics, score });
      run.end("interrupted", "interrupted by the user");
      return { index, params, score, metrics, status: "interrupted", runId: run.id, budget, seconds };
    }
    run.finish({ ...metrics, score });
    return { index, params, score, metrics, status: "finished", runId: run.id, budget, seconds };
  } catch (e) {
    run.fail(e);
    return { index, params, metrics: {}, status: "failed", error: (e as Error).message, runId: run.id, budget, seconds: (performance.now() - t0) / 1000 };
  }
}

/** Best finished trial by score. */
export function bestTrial<T extends Trial<unknown>>(trials: T[], direction: "max" | "min"): T | undefined {
  const done = trials.filter((t) => t.status === "finished" && t.score !== undefined && Number.isFinite(t.score));
  if (done.length === 0) return undefined;
  return done.reduce((a, b) => ((direction === "max" ? b.score! > a.score! : b.score! < a.score!) ? b : a));
}

/** Evaluates a fixed list of points in order (grid and random search). */
export async function runPoints<S extends Space>(title: string, options: SearchOptions<S>, points: Point<S>[]): Promise<SearchResult<S>> {
  const direction = options.direction ?? "max";
  const board = new Leaderboard(title, direction, options.display !== false);
  const trials: Trial<Point<S>>[] = [];
  let stopped: "interrupt" | undefined;
  board.update(trials, `0/${points.length}`);
  for (let i = 0; i < points.length; i++) {
    if (interruptRequested()) {
      stopped = "interrupt";
      break;
    }
    const t = await runTrial(options, points[i], i);
    trials.push(t);
    if (t.status === "interrupted") stopped = "interrupt";
    board.update(trials, stopped ? `interrupted after ${trials.length}/${points.length}` : `${trials.length}/${points.length}`);
    if (stopped) break;
  }
  if (stopped && trials.length === points.length) board.update(trials, "interrupted");
  return { trials, best: bestTrial(trials, direction), stopped };
}
