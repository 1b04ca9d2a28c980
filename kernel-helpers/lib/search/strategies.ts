/** Search strategies: grid, random, and successive halving. */
import { interruptRequested } from "../display/display";
import { Leaderboard } from "./leaderboard";
import { bestTrial, runPoints, runTrial } from "./runner";
import { gridPoints, randomPoints, type Point, type Space } from "./space";
import type { SearchOptions, SearchResult, Trial } from "./types";

/**
 * Tries every combination of the space's grid values; each trial is a tracked run.
 * Stops before the next trial when the kernel is interrupted.
 * ```ts
 * const res = await gridSearch({ space: { lr: hp.choice([1e-3, 1e-2]), units: hp.choice([16, 32]) }, objective: async (p, { run }) => … });
 * ```
 */
export function gridSearch<S extends Space>(options: SearchOptions<S>): Promise<SearchResult<S>> {
  return runPoints("Grid search", options, gridPoints(options.space));
}

/** Tries `trials` random points of the space (seeded); each trial is a tracked run. */
export function randomSearch<S extends Space>(options: SearchOptions<S> & { trials: number }): Promise<SearchResult<S>> {
  return runPoints("Random search", options, randomPoints(options.space, options.trials, options.seed ?? 0));
}

/** Options of {@link successiveHalving}. */
export interface HalvingOptions<S extends Space> extends SearchOptions<S> {
  /** Random configurations in the first round. */
  configs: number;
  /** Budget of the first round (e.g. epochs). */
  minBudget: number;
  /** Largest budget (default minBudget · eta^rounds). */
  maxBudget?: number;
  /** Keep the best 1/eta each round and multiply the budget by eta (default 3). */
  eta?: number;
}

/**
 * Successive halving: evaluates `configs` random points with `minBudget`, keeps the best 1/eta,
 * multiplies the budget by eta, and repeats until one configuration (or maxBudget) remains.
 * Each evaluation is a tracked run; the objective reads `ctx.budget`.
 */
export async function successiveHalving<S extends Space>(options: HalvingOptions<S>): Promise<SearchResult<S> & { rounds: number }> {
  const direction = options.direction ?? "max";
  const eta = options.eta ?? 3;
  if (eta < 2) throw new Error("successiveHalving: eta must be at least 2");
  const board = new Leaderboard("Successive halving", direction, options.display !== false);
  let pool = randomPoints(options.space, options.configs, options.seed ?? 0);
  let budget = options.minBudget;
  const trials: Trial<Point<S>>[] = [];
  let rounds = 0;
  let stopped: "interrupt" | undefined;
  let index = 0;
  while (pool.length > 0 && !stopped) {
    rounds++;
    const round: Trial<Point<S>>[] = [];
    for (const p of pool) {
      if (interruptRequested()) {
        stopped = "interrupt";
        break;
      }
      const t = await runTrial(options, p, index++, budget);
      trials.push(t);
      round.push(t);
      if (t.status === "interrupted") stopped = "interrupt";
      board.update(trials, `round ${rounds}, budget ${budget}${stopped ? ", interrupted" : ""}`);
      if (stopped) break;
    }
    const keep = Math.floor(pool.length / eta);
    if (stopped || keep < 1 || (options.maxBudget !== undefined && budget * eta > options.maxBudget)) break;
    const sign = direction === "max" ? -1 : 1;
    pool = round
      .filter((t) => t.status === "finished" && t.score !== undefined)
      .sort((a, b) => sign * (a.score! - b.score!))
      .slice(0, keep)
      .map((t) => t.params);
    budget *= eta;
  }
  const last = trials.filter((t) => t.budget === budget);
  return { trials, best: bestTrial(last.length ? last : trials, direction), stopped, rounds };
}
