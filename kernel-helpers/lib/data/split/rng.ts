/**
 * The seeded random numbers behind shuffled splits. Our own, reproducible across runs and
 * machines; it is not NumPy's generator, so shuffled splits do not equal scikit-learn's for the
 * same seed.
 */
import { mulberry32 } from "../../random";

export { shuffleInPlace, permutation } from "../../random";

/** A function returning uniform numbers in [0, 1), fully determined by `seed`. */
export function seededRandom(seed: number): () => number {
  return mulberry32(Math.floor(seed) ^ 0x9e3779b9);
}
