// Public API of the train area: re-exports only.
export {};
