// Public API of the evaluation area (above metrics and plot: one call → metrics, figures and the report display): re-exports only.
export { evaluate, Evaluation, summaryText } from "./evaluate";
export type { EvaluateOptions } from "./evaluate";
export type { PredictingModel } from "./evaluate-inputs";
