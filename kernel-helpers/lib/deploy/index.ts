// Public API of the deploy area (compression, bundles, serving, feedback): re-exports only.
export * from "./compress/index";
export * from "./bundle/index";
export * from "./serve/index";
export * from "./feedback/index";
