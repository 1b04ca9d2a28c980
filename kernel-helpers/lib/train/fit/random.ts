/** Seeded randomness for reproducible training (shuffling, augmentation, dropout masks). */
import { mulberry32 } from "../../random";

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

export { permutation } from "../../random";

/**
 * Runs `body` with Math.random replaced by a seeded generator (tfjs draws its dropout masks'
 * seeds from Math.random), restoring it afterwards even on error.
 */
export async function withSeededMathRandom<T>(seed: number | undefined, body: () => Promise<T>): Promise<T> {
  if (seed === undefined) return body();
  const original = Math.random;
  Math.random = seededRandom(seed ^ 0x5eed);
  try {
    return await body();
  } finally {
    Math.random = original;
  }
}
