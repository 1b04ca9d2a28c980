// Public API of the data area: re-exports only.
export {};
