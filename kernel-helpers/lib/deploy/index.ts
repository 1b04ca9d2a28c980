// Public API of the deploy area (tracking, search, compression, bundles, serving, feedback): re-exports only.
export * from "./track/index";
export * from "./search/index";
export * from "./compress/index";
export * from "./bundle/index";
export * from "./serve/index";
export * from "./feedback/index";
