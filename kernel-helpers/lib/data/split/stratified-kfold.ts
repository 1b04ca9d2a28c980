/** Stratified k-fold: every fold keeps the class proportions of the whole set. */
import type { DataFrame } from "../polars";
import { seededRandom, shuffleInPlace } from "./rng";
import { foldsFromAssignment, labelValues, classesByAppearance, type Fold, type LabelsLike } from "./labels";
import type { KFoldOptions } from "./kfold";

/**
 * Stratified k-fold splitter. How many rows of each class each fold gets: sort all labels by
 * class (classes in order of first appearance) and deal that sorted list out round-robin to the
 * folds; a fold's share of a class is how many of that class it was dealt. Each class's rows, in
 * row order, then fill fold 0's share, fold 1's, and so on. This reproduces scikit-learn's
 * StratifiedKFold(shuffle=False) index for index. With shuffle, the fold slots within each class
 * are permuted by our seeded generator (not NumPy's).
 */
export class StratifiedKFold {
  constructor(readonly nSplits = 5, readonly options: KFoldOptions = {}) {
    if (!Number.isInteger(nSplits) || nSplits < 2) throw new Error(`StratifiedKFold: nSplits must be an integer ≥ 2, got ${nSplits}`);
  }

  /** The folds for labels `y` (array, Series, or a column name of `df`). */
  split(y: LabelsLike, df?: DataFrame): Fold[] {
    const labels = labelValues(y, df);
    const n = labels.length;
    const k = this.nSplits;
    if (k > n) throw new Error(`StratifiedKFold: ${k} folds for only ${n} rows`);
    const { members } = classesByAppearance(labels);
    if (members.every((m) => m.length < k)) throw new Error(`StratifiedKFold: every class has fewer than ${k} rows`);
    // share[f][c]: rows of class c dealt to fold f when the class-sorted labels are dealt round-robin
    const share = Array.from({ length: k }, () => new Array<number>(members.length).fill(0));
    let pos = 0;
    members.forEach((m, c) => {
      for (let j = 0; j < m.length; j++) share[(pos + j) % k][c]++;
      pos += m.length;
    });
    const rand = this.options.shuffle ? seededRandom(this.options.seed ?? 0) : undefined;
    const assign = new Int32Array(n);
    members.forEach((rows, c) => {
      const slots: number[] = [];
      for (let f = 0; f < k; f++) for (let j = 0; j < share[f][c]; j++) slots.push(f);
      if (rand) shuffleInPlace(slots, rand);
      rows.forEach((r, j) => (assign[r] = slots[j]));
    });
    return foldsFromAssignment(assign, k);
  }
}
