// The feedback loop: re-exports only.
export { feedback } from "./api";
export { retrain, RetrainReport, type RetrainOptions, type PromotePolicy, type VersionScore } from "./retrain";
export { recordFeedback, recordPredictions, listFeedback, type FeedbackRecord, type FeedbackInput } from "./store";
