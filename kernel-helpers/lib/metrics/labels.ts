/**
 * Label sets and integer encoding: the sorted union of labels (like numpy's unique) and the
 * code of each sample in it, computed in one pass over typed arrays.
 */
import { type Label, type LabelColumn, type LabelsLike, type Matrix, isTensorLike, shapeOf, toLabelColumn, toMatrix } from "./input";

/** What kind of target an array holds (sklearn's type_of_target names). */
export type TargetType =
  | "binary"
  | "multiclass"
  | "continuous"
  | "multilabel-indicator"
  | "multiclass-multioutput"
  | "continuous-multioutput";

/** Compares labels the way numpy sorts them (numbers ascending, strings by code point). */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sorted distinct labels over all columns. Throws when numbers and strings are mixed. */
export function uniqueLabels(cols: LabelColumn[], names: string[] = cols.map((_, i) => `y${i}`)): Label[] {
  const kinds = new Set(cols.filter((c) => c.data.length > 0).map((c) => c.kind));
  if (kinds.size > 1)
    throw new Error(`${names.join(", ")}: labels should be of the same type, got a mix of strings and numbers`);
  if (cols.every((c) => c.kind === "number")) {
    const numCols = cols.map((c) => c.data as Float64Array);
    const dense = denseRange(numCols);
    if (dense) {
      const seen = new Uint8Array(dense.max - dense.min + 1);
      for (const d of numCols) for (let i = 0; i < d.length; i++) seen[d[i] - dense.min] = 1;
      const out: number[] = [];
      for (let k = 0; k < seen.length; k++) if (seen[k]) out.push(k + dense.min);
      return out;
    }
    const set = new Set<number>();
    for (const d of numCols) for (let i = 0; i < d.length; i++) set.add(d[i]);
    return [...set].sort((a, b) => a - b);
  }
  const set = new Set<string>();
  for (const c of cols) for (const v of c.data as string[]) set.add(v);
  return [...set].sort(compareLabels);
}

/** Integer range covering all values when every value is a small integer, for counting by index. */
function denseRange(cols: Float64Array[]): { min: number; max: number } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const d of cols) {
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if ((v | 0) !== v) return undefined;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) return { min: 0, max: -1 };
  return max - min < 1 << 22 ? { min, max } : undefined;
}

/** Codes of each sample in `classes` (index into it), or -1 where the label is not among them. */
export function encodeColumn(col: LabelColumn, classes: readonly Label[]): Int32Array {
  const n = col.data.length;
  const codes = new Int32Array(n);
  if (col.kind === "number") {
    const d = col.data;
    const numeric = classes.filter((c): c is number => typeof c === "number");
    const dense = denseRange([d, Float64Array.from(numeric)]);
    if (dense && dense.max >= dense.min) {
      const table = new Int32Array(dense.max - dense.min + 1).fill(-1);
      classes.forEach((c, k) => {
        if (typeof c === "number") table[c - dense.min] = k;
      });
      const off = dense.min;
      for (let i = 0; i < n; i++) codes[i] = table[d[i] - off];
      return codes;
    }
    const map = new Map<number, number>();
    classes.forEach((c, k) => typeof c === "number" && map.set(c, k));
    for (let i = 0; i < n; i++) codes[i] = map.get(d[i]) ?? -1;
    return codes;
  }
  const map = new Map<string, number>();
  classes.forEach((c, k) => typeof c === "string" && map.set(c, k));
  const d = col.data;
  for (let i = 0; i < n; i++) codes[i] = map.get(d[i]) ?? -1;
  return codes;
}

/** sklearn's type_of_target for a 1-D label column. */
export function columnType(col: LabelColumn): TargetType {
  if (col.kind === "number") {
    const d = col.data;
    for (let i = 0; i < d.length; i++) if (d[i] !== Math.floor(d[i])) return "continuous";
  }
  return uniqueLabels([col]).length > 2 ? "multiclass" : "binary";
}

/** sklearn's type_of_target for a 2-D matrix with more than one column. */
export function matrixType(m: Matrix): TargetType {
  let binary = true;
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (v !== Math.floor(v)) return "continuous-multioutput";
    if (v !== 0 && v !== 1) binary = false;
  }
  return binary ? "multilabel-indicator" : "multiclass-multioutput";
}

/** True when an input is 2-D with more than one column. */
export function isMultiColumn(x: LabelsLike, name: string): boolean {
  const s = shapeOf(x, name);
  return s.length === 2 && s[1] !== 1;
}

/** Validated classification targets, integer-encoded. */
export type ClassificationTargets =
  | {
      type: "binary" | "multiclass";
      /** Sorted union of labels in yTrue and yPred. */
      present: Label[];
      trueCol: LabelColumn;
      predCol: LabelColumn;
      n: number;
    }
  | {
      type: "multilabel-indicator";
      present: number[];
      trueM: Matrix;
      predM: Matrix;
      n: number;
    };

/** sklearn's _check_targets: both inputs must be the same kind of classification target. */
export function checkTargets(yTrue: LabelsLike, yPred: LabelsLike): ClassificationTargets {
  const multiTrue = isMultiColumn(yTrue, "yTrue");
  const multiPred = isMultiColumn(yPred, "yPred");
  const nTrue = shapeOf(yTrue, "yTrue")[0];
  const nPred = shapeOf(yPred, "yPred")[0];
  if (nTrue !== nPred)
    throw new Error(`yTrue, yPred: found input variables with inconsistent numbers of samples: [${nTrue}, ${nPred}]`);
  if (multiTrue || multiPred) {
    const tm = toMatrix(yTrue, "yTrue");
    const pm = toMatrix(yPred, "yPred");
    const tt = multiTrue ? matrixType(tm) : columnType({ kind: "number", data: tm.data });
    const tp = multiPred ? matrixType(pm) : columnType({ kind: "number", data: pm.data });
    if (tt !== tp) throw new Error(`yTrue, yPred: classification metrics can't handle a mix of ${tt} and ${tp} targets`);
    if (tt !== "multilabel-indicator") throw new Error(`yTrue: ${tt} is not supported`);
    if (tm.cols !== pm.cols)
      throw new Error(`yTrue, yPred: multilabel-indicator targets have different numbers of labels (${tm.cols} != ${pm.cols})`);
    return { type: "multilabel-indicator", present: [...Array(tm.cols).keys()], trueM: tm, predM: pm, n: tm.rows };
  }
  const trueCol = toLabelColumn(yTrue, "yTrue");
  const predCol = toLabelColumn(yPred, "yPred");
  const tt = columnType(trueCol);
  const tp = columnType(predCol);
  if (tt === "continuous" || tp === "continuous") {
    if (tt !== tp) throw new Error(`yTrue, yPred: classification metrics can't handle a mix of ${tt} and ${tp} targets`);
    throw new Error(`yTrue: continuous is not supported`);
  }
  if (trueCol.data.length > 0 && predCol.data.length > 0 && trueCol.kind !== predCol.kind)
    throw new Error(
      "yTrue, yPred: labels in yTrue and yPred should be of the same type (got " +
        `${trueCol.kind} and ${predCol.kind} labels); make sure the predictions use the same labels as yTrue`,
    );
  const present = uniqueLabels([trueCol, predCol], ["yTrue", "yPred"]);
  return { type: present.length > 2 ? "multiclass" : tt === "multiclass" || tp === "multiclass" ? "multiclass" : "binary", present, trueCol, predCol, n: nTrue };
}

/** Python-style repr of a label list, for error messages (`[0, 1]`, `['a', 'b']`). */
export function pyList(labels: readonly Label[]): string {
  return "[" + labels.map((l) => (typeof l === "string" ? `'${l}'` : String(l))).join(", ") + "]";
}

/** True when a label value is among the labels (same type and value). */
export function hasLabel(labels: readonly Label[], l: Label): boolean {
  return labels.some((x) => x === l);
}

export { isTensorLike };
