/**
 * The library notebooks import: `import { display, ... } from "sciforge"`.
 * Each area lives in its own folder; this file only re-exports, by name: the display names from
 * their modules, every other area's public names from its index (each name that area's index
 * lists, and nothing else: test/kernel-helpers/api-report.test.ts checks both). The whole surface,
 * with signatures, is in sciforge.api.md (`node esbuild.mjs --api-report` updates it).
 */
export {
  MIME, SCIFORGE_METADATA_KEY, type MimeType, type MimeBundle, type BackendStatus, type SciforgeDisplayMetadata,
  type DisplayMetadata,
} from "./display/mime";
export {
  inKernel, currentCell, registerFormatter, mimeBundleOf, bundle, display, clearOutput, input, interruptRequested,
  REPR, type Reprable, type KernelCell, type DisplayOptions, type Formatter, DisplayHandle, html, markdown, svg, png,
  json,
} from "./display/display";
export {
  registerCommTarget, unregisterCommTarget, openComm, type CommData, type CommMessage, type CommSendOptions, type Comm,
  type CommTargetHandler,
} from "./display/comm";
export {
  pl, DataLoadError, type DataErrorLocation, readCsv, parseCsv, sniffSeparator, detectHeader, type ReadCsvOptions,
  readArff, type ArffAttribute, type ReadArffOptions, readJsonLines, readParquet, readIpc, readData, loadReport,
  type LoadReport, type NulledValues, type ValueLocation, scanData, collectWithProgress, type ScanOptions,
  type CollectOptions, DEFAULT_NA_VALUES, type ColumnType, table, showTable, tableBundle, type TableOptions, profile,
  showProfile, classBalance, DataProfile, type ProfileOptions, type DataProfilePayload, type ColumnProfile,
  type ProfileHistogram, type TargetBalance, SimpleImputer, impute, type ImputeStrategy, type ImputerOptions,
  dropDuplicates, flagDuplicates, countDuplicates, type DuplicateOptions, OutlierClipper, clipOutliers, dropOutliers,
  type OutlierOptions, coerce, type CoercionFailure, type CoercionResult, normalizeText, normalizeTextExpr,
  type NormalizeTextOptions, parseDates, type ParseDatesOptions, BaseStep, STEP_JSON_VERSION, type Step,
  type FrameStep, type StepJSON, type StepSummary, type SavedStep, type DataTransformer, type TransformerJSON,
  stepFromJSON, registerStep, stepKinds, tensorEncoderFromJSON, transformerFromJSON, type StepRestorer, StandardScaler,
  type StandardScalerOptions, MinMaxScaler, type MinMaxScalerOptions, RobustScaler, type RobustScalerOptions,
  OneHotEncoder, type OneHotEncoderOptions, OrdinalEncoder, type OrdinalEncoderOptions, LabelEncoder,
  type LabelEncoderOptions, SequenceOneHot, ALPHABETS, type SequenceOneHotOptions, type EncodedSequences,
  isTensorEncoder, type TensorEncoder, type EncodedBlock, KmerCounts, type KmerCountsOptions, SlidingWindow,
  slidingWindows, type SlidingWindowOptions, type Windows, type Signal, trainTestSplit, takeRows,
  type TrainTestSplitOptions, type TrainTestSplit, KFold, type KFoldOptions, StratifiedKFold, GroupKFold,
  groupTrainTestSplit, type GroupSplitOptions, type SplitFold, type SplitLabels, toMatrix, type ToMatrixOptions,
  type DataMatrix, toTensor, tensorBatches, labelTensor, Pipeline, type PipelineOptions, SelectColumns,
  type SelectColumnsOptions,
} from "./data";
export {
  type Label, type LabelsLike, type NumbersLike, type TensorLike, isTensorLike, type TargetType,
  precisionRecallFscoreSupport, precisionScore, recallScore, f1Score, fbetaScore, type Average, type ZeroDivision,
  type PrfOptions, type PrfResult, accuracyScore, zeroOneLoss, balancedAccuracyScore, type AccuracyOptions,
  type BalancedAccuracyOptions, confusionMatrix, labeledConfusionMatrix, type ConfusionMatrixOptions,
  type LabeledConfusionMatrix, multilabelConfusionMatrix, jaccardScore, hammingLoss, classificationReport,
  classificationReportBoth, type ReportRow, type ClassificationReportDict, type ClassificationReportOptions,
  type ClassificationReportBoth, matthewsCorrcoef, cohenKappaScore, type CohenKappaOptions, logLoss, brierScoreLoss,
  type LogLossOptions, type BrierOptions, calibrationCurve, type CalibrationCurveOptions, type CalibrationCurve,
  groupRates, type GroupRate, type GroupRatesOptions, costThreshold, type CostThreshold, type CostThresholdOptions,
  topKAccuracyScore, type TopKOptions, rocCurve, type RocCurve, type RocCurveOptions, auc, rocAucScore,
  type RocAucOptions, precisionRecallCurve, type PrecisionRecallCurve, type PrecisionRecallCurveOptions,
  averagePrecisionScore, type AveragePrecisionOptions, type RankingAverage, meanSquaredError, rootMeanSquaredError,
  meanAbsoluteError, meanAbsolutePercentageError, r2Score, explainedVarianceScore, type R2Options, type Multioutput,
  type RegressionOptions, type EvaluationTask, type RocCurveData, type PrCurveData, type ClassificationSection,
  type RegressionSection, type MetricsReport,
} from "./metrics";
export {
  type PlotlyFigure, type PlotlyTrace, type PlotlyLayout, type PlotlyAxis, Figure, makeFigure, type FigureOptions,
  plot, plotlyToVegaLite, UnsupportedFigureError, STATIC_MAX_POINTS, renderVegaLite, vegaLiteToSvg, svgToPng,
  type StaticImage, type VegaLiteSpec, plotTrainingCurves, showTrainingCurves, type TrainingHistory,
  type TrainingHistoryLike, type LiveTrainingCurves, plotConfusionMatrix, type ConfusionMatrixData,
  type PlotConfusionOptions, plotRocCurve, plotPrecisionRecallCurve, type PlotCurveOptions, plotClassMetrics,
  plotHistogram, type HistogramOptions, plotPredictedVsActual, plotResiduals, MAX_SCATTER_POINTS, imageGrid,
  type RawImage, type ImagesInput, type ImageGridOptions, type ImageGridItem, type ImageGridPayload, ImageGrid,
  plotCalibrationCurve, type PlotCalibrationOptions, plotCostCurve, plotSaliency, type PlotSaliencyOptions,
  MAX_CURVE_POINTS,
} from "./plot";
export {
  tfjs, type Tfjs, backend, useBackend, currentBackend, ensureBackend, BackendUnavailableError, type UseBackendOptions,
  wasmThreading, WASM_MAX_THREADS, type WasmThreading, BACKEND_LADDER, type BackendChoice, type BackendName,
  type BackendReport, type RungReport, type RungStatus, type GpuAdapterSummary, backendReportBundle, backendReportText,
  backendReportHtml, backendLabel, type LadderEnvironment, type DawnModule, type GpuAdapterLike, buildVGG,
  type VGGOptions, buildResNet, type ResNetOptions, buildCNN1D, type CNN1DOptions, buildMLP, type MLPOptions,
  type CommonModelOptions, type Task, fit, NonFiniteLossError, trainBatch, TrainLoop, type BatchSetup,
  type BatchResult, FitInputError, type FitOptions, type History, type EpochRecord, type StopInfo, type TrainCallback,
  type TrainContext, type TrainParams, type Logs, type LossName, seededRandom, callbacks, trainingBundle, trainingText,
  trainingHtml, type TrainingProgress, type ProgressOptions, type CurvesOptions, type EarlyStoppingOptions,
  type CheckpointOptions, type Schedule, saliency, type SaliencyOptions, type SaliencyMap, fileHandler, saveModel,
  loadModel, loadIdx, parseIdx, type LoadIdxOptions, type IdxArray, loadCifar10, CIFAR10_CLASSES,
  type LoadCifarOptions, loadImageFolder, type LoadImageFolderOptions, augment, type AugmentFn, normalizePixels,
  type ImageSet, type NormalizeOptions,
} from "./train";
export { evaluate, Evaluation, summaryText, type EvaluateOptions, type PredictingModel } from "./evaluation";
export {
  openTracking, closeTracking, trackingPath, reapDeadRuns, DEFAULT_TRACKING_FILE, type TrackingDb, sqliteEngine,
  type SqliteEngineName, Run, startRun, track, type RunStatus, type StartRunOptions, runs, type RunSelection,
  RunComparison, type CompareOptions, type RunRecord, type RunFilter, dataHash, runCard, RunCard, fileFacts,
  type RunCardOptions, type RunCardFacts, type DataFileFacts,
} from "./track";
export {
  hp, gridPoints, randomPoints, type Param, type Space, type Point, gridSearch, randomSearch, successiveHalving,
  type HalvingOptions, type Objective, type ObjectiveResult, type SearchOptions, type SearchResult, type Trial,
  type TrialContext,
} from "./search";
export {
  prune, measureSparsity, type PruneOptions, type PrunedModel, type LayerSparsity, quantize, type QuantizeOptions,
  type QuantizedModel, type QuantizeDtype, compressionReport, CompressionReport, type CompressionReportOptions,
  type CompressionRow, type CompressionVariant, type CompressionMetric, cloneModel, createBundle, describeBundle,
  type Bundle, type BundleTask, type CreateBundleOptions, saveBundle, loadBundle, promoteVersion, currentVersion,
  bundleVersions, type SaveBundleOptions, type LoadBundleOptions, predict, bundleInputs, type Prediction,
  type PredictOptions, type BundleInputs, InputError, schemaFromFrame, validateRows, type ValidRow,
  type ValidateRowsOptions, type InputSchema, type FeatureSpec, type FeatureType, type InputRow, serve,
  type ServeOptions, type Service, DEFAULT_MAX_BODY_BYTES, feedback, retrain, RetrainReport, type RetrainOptions,
  type PromotePolicy, type VersionScore, recordFeedback, recordPredictions, listFeedback, type FeedbackRecord,
  type FeedbackInput,
} from "./deploy";
