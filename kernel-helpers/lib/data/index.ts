// Public API of the data area: re-exports only.
export { pl } from "./polars";
export { DataLoadError, type DataErrorLocation } from "./errors";

export { readCsv, parseCsv, sniffSeparator, detectHeader, type ReadCsvOptions } from "./load/csv";
export { readArff, type ArffAttribute, type ReadArffOptions } from "./load/arff";
export { readJsonLines } from "./load/json-lines";
export { readParquet, readIpc } from "./load/columnar";
export { readData } from "./load/read";
export { loadReport, type LoadReport, type NulledValues, type ValueLocation } from "./load/frame-source";
export { scanData, collectWithProgress, type ScanOptions, type CollectOptions } from "./load/scan";
export { DEFAULT_NA_VALUES, type ColumnType } from "./load/column-types";

export { table, showTable, tableBundle, type TableOptions } from "./table/table";

export { profile, showProfile, classBalance, DataProfile, type ProfileOptions } from "./profile/profile";
export type { DataProfilePayload, ColumnProfile, ProfileHistogram, TargetBalance } from "./profile/types";

export { SimpleImputer, impute, type ImputeStrategy, type ImputerOptions } from "./clean/impute";
export { dropDuplicates, flagDuplicates, countDuplicates, type DuplicateOptions } from "./clean/duplicates";
export { OutlierClipper, clipOutliers, dropOutliers, type OutlierOptions } from "./clean/outliers";
export { coerce, type CoercionFailure, type CoercionResult } from "./clean/coerce";
export { normalizeText, normalizeTextExpr, type NormalizeTextOptions } from "./clean/text";
export { parseDates, type ParseDatesOptions } from "./clean/dates";

export { BaseStep, STEP_JSON_VERSION, type Step, type FrameStep, type StepJSON, type StepSummary, type SavedStep } from "./features/step";
export type { Transformer as DataTransformer, TransformerJSON } from "./features/transformer";
export { stepFromJSON, registerStep, stepKinds, tensorEncoderFromJSON, transformerFromJSON, type StepRestorer } from "./pipeline/registry";
export { StandardScaler, type StandardScalerOptions } from "./features/standard-scaler";
export { MinMaxScaler, type MinMaxScalerOptions } from "./features/min-max-scaler";
export { RobustScaler, type RobustScalerOptions } from "./features/robust-scaler";
export { OneHotEncoder, type OneHotEncoderOptions } from "./features/one-hot-encoder";
export { OrdinalEncoder, type OrdinalEncoderOptions } from "./features/ordinal-encoder";
export { LabelEncoder, type LabelEncoderOptions } from "./features/label-encoder";
export { SequenceOneHot, ALPHABETS, type SequenceOneHotOptions, type EncodedSequences } from "./features/sequence-one-hot";
export { isTensorEncoder, type TensorEncoder, type EncodedBlock } from "./features/tensor-encoder";
export { KmerCounts, type KmerCountsOptions } from "./features/kmer-counts";
export { SlidingWindow, slidingWindows, type SlidingWindowOptions, type Windows, type Signal } from "./features/sliding-window";

export { trainTestSplit, takeRows, type TrainTestSplitOptions, type TrainTestSplit } from "./split/train-test-split";
export { KFold, type KFoldOptions } from "./split/kfold";
export { StratifiedKFold } from "./split/stratified-kfold";
export { GroupKFold } from "./split/group-kfold";
export { groupTrainTestSplit, type GroupSplitOptions } from "./split/group-split";
export type { Fold as SplitFold, LabelsLike as SplitLabels } from "./split/labels";

export { toMatrix, type ToMatrixOptions, type Matrix as DataMatrix } from "./tensor/to-matrix";
export { toTensor, tensorBatches, labelTensor } from "./tensor/to-tensor";

export { Pipeline, type PipelineOptions } from "./pipeline/pipeline";
export { SelectColumns, type SelectColumnsOptions } from "./pipeline/select-columns";
