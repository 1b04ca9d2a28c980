/** Tiny inline SVG bar chart of a histogram, for profile tables. */
import type { ProfileHistogram } from "./types";

/** An inline SVG (width×height px) with one bar per histogram bin. */
export function sparklineSvg(h: ProfileHistogram, width = 80, height = 18): string {
  const max = Math.max(1, ...h.counts);
  const bw = width / Math.max(1, h.counts.length);
  const bars = h.counts
    .map((c, i) => {
      const bh = c === 0 ? 0 : Math.max(1, (c / max) * height);
      return `<rect x="${(i * bw).toFixed(1)}" y="${(height - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}"/>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" fill="#4c78a8" role="img" aria-label="histogram">${bars}</svg>`;
}
