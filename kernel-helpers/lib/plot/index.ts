// Public API of the plot area: re-exports only.
export {};
