// Public API of the metrics area: re-exports only.
export {};
