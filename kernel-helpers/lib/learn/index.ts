// Public API of the learn area (frame → model inputs, model → numbers, cross-validation): re-exports only.
export { toXY, XY, type ToXYOptions, type ClassLabel } from "./xy";
export { predictProba, predictClasses, predictValues, type ModelInput, type PredictProbaOptions, type PredictClassesOptions } from "./predict";
export {
  crossValidate,
  crossValScore,
  CrossValidation,
  SCORERS,
  type CrossValidateOptions,
  type CrossValModel,
  type FoldContext,
  type Scorer,
  type ScorerInput,
  type ScoringName,
} from "./cross-validation";
