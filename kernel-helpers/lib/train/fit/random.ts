/** Seeded randomness for reproducible training (shuffling, augmentation, dropout masks). */

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of 0..n-1 with `rand`. */
export function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

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
