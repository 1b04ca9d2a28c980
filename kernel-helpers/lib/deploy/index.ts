// Public API of the deploy area (tracking, search, compression, bundles, serving, feedback): re-exports only.
export {};
