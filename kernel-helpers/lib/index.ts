/**
 * The library notebooks import: `import { display, ... } from "sciforge"`.
 * Each area lives in its own folder; this file only re-exports.
 */
export * from "./display/mime";
export * from "./display/display";
export * from "./display/comm";
export * from "./workspace";
export * from "./data";
export * from "./metrics";
export * from "./plot";
export * from "./train";
export * from "./evaluation";
export * from "./learn";
export * from "./track";
export * from "./search";
export * from "./deploy";
