// Hyper-parameter search: re-exports only.
export { hp, gridPoints, randomPoints, type Param, type Space, type Point } from "./space";
export { gridSearch, randomSearch, successiveHalving, type HalvingOptions } from "./strategies";
export type { Objective, ObjectiveResult, SearchOptions, SearchResult, Trial, TrialContext } from "./types";
