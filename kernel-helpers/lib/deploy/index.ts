// Public API of the deploy area (compression, bundles, serving, feedback): re-exports only.
export {
  prune, measureSparsity, type PruneOptions, type PrunedModel, type LayerSparsity, quantize, type QuantizeOptions,
  type QuantizedModel, type QuantizeDtype, compressionReport, CompressionReport, type CompressionReportOptions,
  type CompressionRow, type CompressionVariant, type CompressionMetric, cloneModel,
} from "./compress/index";
export {
  createBundle, describeBundle, type Bundle, type BundleTask, type CreateBundleOptions, saveBundle, loadBundle,
  promoteVersion, currentVersion, bundleVersions, type SaveBundleOptions, type LoadBundleOptions, predict,
  bundleInputs, type Prediction, type PredictOptions, type BundleInputs, InputError, schemaFromFrame, validateRows,
  type ValidRow, type ValidateRowsOptions, type InputSchema, type FeatureSpec, type FeatureType, type InputRow,
} from "./bundle/index";
export {
  serve, type ServeOptions, type Service, DEFAULT_MAX_BODY_BYTES, serviceClient, ServiceError, type ServiceClient,
  type ServiceClientOptions, type PredictResponse, type ServiceHealth,
} from "./serve/index";
export {
  feedback, retrain, RetrainReport, type RetrainOptions, type PromotePolicy, type VersionScore, recordFeedback,
  recordPredictions, listFeedback, type FeedbackRecord, type FeedbackInput,
} from "./feedback/index";
