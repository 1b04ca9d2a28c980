/**
 * Error rates per group (e.g. per age band or marital status): the first check of whether a
 * classifier treats groups differently — selection rate, true/false positive rates, precision.
 */
import type { Label, LabelsLike } from "../input";
import { toLabelColumn } from "../input";
import { compareLabels, encodeColumn, pyList, uniqueLabels } from "../labels";
import { defaultPosLabel } from "./probabilistic";

/** Options of {@link groupRates}. */
export interface GroupRatesOptions {
  /** The positive class (needed unless labels are {0,1} or {-1,1}). */
  posLabel?: Label;
}

/** One group's rates; NaN where the rate's denominator is zero. */
export interface GroupRate {
  group: Label;
  n: number;
  /** Share of the group predicted positive. */
  selectionRate: number;
  /** Recall: positives predicted positive. */
  truePositiveRate: number;
  /** Negatives predicted positive. */
  falsePositiveRate: number;
  precision: number;
  accuracy: number;
}

/** Per group (sorted by group label), the rates of binary predictions against the truth. */
export function groupRates(yTrue: LabelsLike, yPred: LabelsLike, groups: LabelsLike, options: GroupRatesOptions = {}): GroupRate[] {
  const t = toLabelColumn(yTrue, "yTrue");
  const p = toLabelColumn(yPred, "yPred");
  const g = toLabelColumn(groups, "groups");
  const n = t.data.length;
  if (p.data.length !== n || g.data.length !== n)
    throw new Error(`yTrue, yPred, groups: found input variables with inconsistent numbers of samples: [${n}, ${p.data.length}, ${g.data.length}]`);
  const both = uniqueLabels([t, p]);
  if (both.length > 2) throw new Error(`yTrue, yPred: groupRates needs binary labels, found ${both.length} classes`);
  const pos = options.posLabel ?? defaultPosLabel(both, "yTrue");
  if (pos === undefined)
    throw new Error(`posLabel: yTrue takes value in ${pyList(both)} and posLabel is not specified: either make yTrue take value in {0, 1} or {-1, 1} or pass posLabel explicitly.`);
  const tp = encodeColumn(t, [pos]);
  const pp = encodeColumn(p, [pos]);
  const names = uniqueLabels([g]).sort(compareLabels);
  const gi = encodeColumn(g, names);
  const c = names.map(() => ({ tp: 0, fp: 0, fn: 0, tn: 0 }));
  for (let i = 0; i < n; i++) {
    const k = c[gi[i]];
    const truth = tp[i] === 0;
    const pred = pp[i] === 0;
    if (truth && pred) k.tp++;
    else if (!truth && pred) k.fp++;
    else if (truth) k.fn++;
    else k.tn++;
  }
  return names.map((group, j) => {
    const { tp: a, fp: b, fn: d, tn: e } = c[j];
    const m = a + b + d + e;
    return {
      group,
      n: m,
      selectionRate: (a + b) / m,
      truePositiveRate: a + d === 0 ? NaN : a / (a + d),
      falsePositiveRate: b + e === 0 ? NaN : b / (b + e),
      precision: a + b === 0 ? NaN : a / (a + b),
      accuracy: (a + e) / m,
    };
  });
}
