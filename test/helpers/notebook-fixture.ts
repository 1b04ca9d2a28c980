/** Small nbformat 4.5 notebooks for specs: code cells from sources (ids c0, c1, …). */
export function codeNotebook(sources: string[], metadata: Record<string, unknown> = {}) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: sources.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
  };
}
