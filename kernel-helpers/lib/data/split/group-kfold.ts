/** Group k-fold: all rows of a group land in the same fold (no group in both train and test). */
import type { DataFrame } from "../polars";
import { foldsFromAssignment, labelValues, classesByAppearance, type Fold, type LabelsLike } from "./labels";

/**
 * Group k-fold splitter: groups are taken largest first and each goes to the fold that holds the
 * fewest rows so far (lowest fold number on ties), which balances fold sizes. Deterministic;
 * groups of equal size are taken in order of first appearance.
 */
export class GroupKFold {
  constructor(readonly nSplits = 5) {
    if (!Number.isInteger(nSplits) || nSplits < 2) throw new Error(`GroupKFold: nSplits must be an integer ≥ 2, got ${nSplits}`);
  }

  /** The folds for group labels (array, Series, or a column name of `df`). */
  split(groups: LabelsLike, df?: DataFrame): Fold[] {
    const g = labelValues(groups, df);
    const { codes, members } = classesByAppearance(g);
    const k = this.nSplits;
    if (members.length < k) throw new Error(`GroupKFold: ${k} folds need at least ${k} groups, got ${members.length}`);
    const order = members.map((_, i) => i).sort((a, b) => members[b].length - members[a].length || a - b);
    const load = new Array<number>(k).fill(0);
    const foldOf = new Int32Array(members.length);
    for (const grp of order) {
      let best = 0;
      for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
      foldOf[grp] = best;
      load[best] += members[grp].length;
    }
    const assign = new Int32Array(g.length);
    for (let i = 0; i < g.length; i++) assign[i] = foldOf[codes[i]];
    return foldsFromAssignment(assign, k);
  }
}
