// Experiment tracking: re-exports only.
export { openTracking, closeTracking, trackingPath, reapDeadRuns, DEFAULT_TRACKING_FILE, type TrackingDb } from "./db";
export { sqliteEngine, type SqliteEngineName } from "./sqlite";
export { Run, startRun, track, type RunStatus, type StartRunOptions } from "./run";
export { runs, type RunSelection } from "./runs";
export { RunComparison, type CompareOptions } from "./compare";
export type { RunRecord, RunFilter } from "./records";
export { dataHash } from "./hash";
export { runCard, RunCard, fileFacts, type RunCardOptions, type RunCardFacts, type DataFileFacts } from "./run-card";
