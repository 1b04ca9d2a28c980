/** Colours shared by the figures (plotly and the static renderer use the same ones). */

/** Tableau 10, the default categorical palette of Vega and close to plotly's. */
export const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
] as const;

/** The i-th palette colour (cycling). */
export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}
