/** Types shared by the search strategies. */
import type { Run } from "../track/run";
import type { Point, Space } from "./space";

/** What an objective returns: a score, or a score with extra metrics to record. */
export type ObjectiveResult = number | { score: number; metrics?: Record<string, number> };

/** Context given to each trial. */
export interface TrialContext {
  /** The tracked run of this trial (pass `run.callback()` to `fit`). */
  run: Run;
  /** 0-based trial number. */
  trial: number;
  /** Budget (e.g. epochs) for successive halving; undefined for grid/random search. */
  budget?: number;
}

/** Trains and evaluates one configuration. */
export type Objective<S extends Space> = (params: Point<S>, ctx: TrialContext) => Promise<ObjectiveResult> | ObjectiveResult;

/** One evaluated configuration. */
export interface Trial<P = Record<string, unknown>> {
  index: number;
  params: P;
  score?: number;
  metrics: Record<string, number>;
  status: "finished" | "failed" | "interrupted";
  error?: string;
  runId: string;
  budget?: number;
  seconds: number;
}

/** Options every search strategy takes. */
export interface SearchOptions<S extends Space> {
  space: S;
  objective: Objective<S>;
  /** Is a higher score better ("max", default) or a lower one ("min")? */
  direction?: "max" | "min";
  /** Experiment name in the tracking DB (default "search"). */
  experiment?: string;
  /** Tracking database file. */
  db?: string;
  /** Seed of the random/halving sampler (default 0). */
  seed?: number;
  /** Show the live leaderboard (default true). */
  display?: boolean;
  /** Extra params recorded with every trial (e.g. dataset name). */
  fixed?: Record<string, unknown>;
}

/** What a search returns. */
export interface SearchResult<S extends Space> {
  trials: Trial<Point<S>>[];
  /** Best finished trial (undefined when none finished). */
  best?: Trial<Point<S>>;
  /** Set when the user interrupted the search. */
  stopped?: "interrupt";
}
