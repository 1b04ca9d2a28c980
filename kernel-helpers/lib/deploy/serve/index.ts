// The HTTP predict service: re-exports only.
export { serve, type ServeOptions, type Service } from "./server";
export { DEFAULT_MAX_BODY_BYTES } from "./body";
export { serviceClient, ServiceError, type ServiceClient, type ServiceClientOptions, type PredictResponse, type ServiceHealth } from "./client";
