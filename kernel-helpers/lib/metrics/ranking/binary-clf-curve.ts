/**
 * Cumulative true and false positives at each distinct score threshold (highest first):
 * the sweep ROC and precision-recall curves are read from.
 */
import type { Label, LabelColumn } from "../input";
import { columnType, encodeColumn, hasLabel, uniqueLabels } from "../labels";
import { defaultPosLabel } from "../classification/probabilistic";
import { pyList } from "../labels";

/** Cumulative false / true positives per distinct threshold (descending). */
export interface ClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

/** Resolves the positive label as sklearn does (implicit 1 only for {0,1} / {-1,1} style labels). */
export function resolvePosLabel(col: LabelColumn, posLabel: Label | undefined | null, name = "yTrue"): Label {
  const classes = uniqueLabels([col]);
  if (posLabel !== undefined && posLabel !== null) return posLabel;
  const pos = defaultPosLabel(classes, name);
  if (pos === undefined)
    throw new Error(
      `posLabel: ${name} takes value in ${pyList(classes)} and posLabel is not specified: either make ${name} take value in {0, 1} or {-1, 1} or pass posLabel explicitly.`,
    );
  return pos;
}

/**
 * sklearn's `_binary_clf_curve`: for every distinct score (descending) the weighted count of
 * positives (tps) and negatives (fps) scoring at least that much. Zero-weight samples are dropped.
 */
export function binaryClfCurve(
  col: LabelColumn,
  score: Float64Array,
  posLabel: Label | undefined | null,
  weight: Float64Array | undefined,
): ClfCurve {
  const type = columnType(col);
  if (!(type === "binary" || (type === "multiclass" && posLabel !== undefined && posLabel !== null)))
    throw new Error(`yTrue: ${type} format is not supported`);
  if (score.length !== col.data.length)
    throw new Error(`yTrue, yScore: found input variables with inconsistent numbers of samples: [${col.data.length}, ${score.length}]`);
  for (let i = 0; i < score.length; i++) if (!Number.isFinite(score[i])) throw new Error("yScore: input contains NaN or infinity");
  let keep: number[] | undefined;
  if (weight) {
    keep = [];
    for (let i = 0; i < weight.length; i++) if (weight[i] !== 0) keep.push(i);
  }
  const sub: LabelColumn = keep
    ? col.kind === "number"
      ? { kind: "number", data: Float64Array.from(keep, (i) => col.data[i]) }
      : { kind: "string", data: keep.map((i) => col.data[i]) }
    : col;
  const pos = resolvePosLabel(sub, posLabel);
  const isPos = encodeColumn(sub, [pos]); // 0 where positive, -1 elsewhere
  const n = sub.data.length;
  const idx = keep ? Uint32Array.from(keep) : Uint32Array.from({ length: n }, (_, i) => i);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => score[idx[b]] - score[idx[a]]);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const j = order[r];
    const w = weight ? weight[idx[j]] : 1;
    if (isPos[j] === 0) tp += w;
    else fp += w;
    const s = score[idx[j]];
    if (r === n - 1 || score[idx[order[r + 1]]] !== s) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(s);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

export { hasLabel };
