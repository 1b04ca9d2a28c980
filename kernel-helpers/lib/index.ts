/**
 * The library notebooks import: `import { display, ... } from "sciforge"`.
 * Each area lives in its own folder, and its index lists its public names (no `export *` inside an
 * area: test/kernel-helpers/api-report.test.ts checks it); this file only re-exports the areas.
 * The whole surface, with signatures, is in sciforge.api.md (`node esbuild.mjs --api-report` updates it).
 */
export * from "./display";
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
