// Model compression: re-exports only.
export { prune, measureSparsity, type PruneOptions, type PrunedModel, type LayerSparsity } from "./prune";
export { quantize, type QuantizeOptions, type QuantizedModel, type QuantizeDtype } from "./quantize";
export { compressionReport, CompressionReport, type CompressionReportOptions, type CompressionRow, type CompressionVariant, type CompressionMetric } from "./report";
export { cloneModel } from "./artifacts";
