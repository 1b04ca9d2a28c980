/** K-fold cross-validation splits. */
import type { DataFrame } from "../polars";
import { seededRandom, permutation } from "./rng";
import { foldsFromAssignment, type Fold } from "./labels";

/** Options shared by the k-fold splitters. */
export interface KFoldOptions {
  /** Shuffle rows before assigning folds (default false). */
  shuffle?: boolean;
  /** Seed of our own generator when shuffling (default 0). */
  seed?: number;
}

/**
 * K-fold splitter. Without shuffling, fold f tests a contiguous block of rows; the first n mod k
 * folds hold one row more than the others (the usual scikit-learn assignment, index for index).
 * With shuffling the rows are permuted by our seeded generator first.
 */
export class KFold {
  constructor(readonly nSplits = 5, readonly options: KFoldOptions = {}) {
    if (!Number.isInteger(nSplits) || nSplits < 2) throw new Error(`KFold: nSplits must be an integer ≥ 2, got ${nSplits}`);
  }

  /** The folds for n rows (or a frame's rows). */
  split(data: number | DataFrame): Fold[] {
    const n = typeof data === "number" ? data : data.height;
    const k = this.nSplits;
    if (k > n) throw new Error(`KFold: ${k} folds for only ${n} rows`);
    const order = this.options.shuffle ? permutation(n, seededRandom(this.options.seed ?? 0)) : Int32Array.from({ length: n }, (_, i) => i);
    const assign = new Int32Array(n);
    const base = Math.floor(n / k);
    const extra = n % k;
    let pos = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let j = 0; j < size; j++) assign[order[pos++]] = f;
    }
    return foldsFromAssignment(assign, k);
  }
}
