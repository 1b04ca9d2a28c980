// Model bundles: re-exports only.
export { createBundle, describeBundle, type Bundle, type BundleTask, type CreateBundleOptions } from "./bundle";
export { saveBundle, loadBundle, promoteVersion, currentVersion, bundleVersions, type SaveBundleOptions, type LoadBundleOptions } from "./files";
export { predict, bundleInputs, type Prediction, type PredictOptions, type BundleInputs } from "./predict";
export { InputError, schemaFromFrame, validateRows, type ValidRow, type ValidateRowsOptions, type InputSchema, type FeatureSpec, type FeatureType, type InputRow } from "./schema";
