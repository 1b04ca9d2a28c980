/** Reading split labels (targets, groups) from arrays, Series or DataFrame columns. */
import type { DataFrame, Series } from "../polars";

/** Labels given as an array, a Polars Series, or a column name of the frame being split. */
export type LabelsLike = readonly unknown[] | Series | string;

/** The labels as a plain array of length n. */
export function labelValues(labels: LabelsLike, df?: DataFrame): unknown[] {
  if (typeof labels === "string") {
    if (!df) throw new Error(`split: labels given as a column name ("${labels}") need the DataFrame`);
    if (!df.columns.includes(labels)) throw new Error(`split: no column "${labels}" (columns: ${df.columns.join(", ")})`);
    return df.getColumn(labels).toArray();
  }
  if (Array.isArray(labels)) return labels as unknown[];
  return (labels as Series).toArray();
}

/** Class codes in order of first appearance, plus each class's member rows (ascending). */
export function classesByAppearance(y: readonly unknown[]): { codes: Int32Array; members: number[][] } {
  const index = new Map<unknown, number>();
  const codes = new Int32Array(y.length);
  const members: number[][] = [];
  for (let i = 0; i < y.length; i++) {
    const key = typeof y[i] === "bigint" ? Number(y[i]) : y[i];
    let k = index.get(key);
    if (k === undefined) {
      k = members.length;
      index.set(key, k);
      members.push([]);
    }
    codes[i] = k;
    members[k].push(i);
  }
  return { codes, members };
}

/** A fold: row indices for training and for testing, both ascending. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** Builds folds from a per-row fold number (0..k-1). */
export function foldsFromAssignment(assign: Int32Array, k: number): Fold[] {
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    let nTest = 0;
    for (let i = 0; i < assign.length; i++) if (assign[i] === f) nTest++;
    const test = new Int32Array(nTest);
    const train = new Int32Array(assign.length - nTest);
    let a = 0;
    let b = 0;
    for (let i = 0; i < assign.length; i++) {
      if (assign[i] === f) test[a++] = i;
      else train[b++] = i;
    }
    folds.push({ train, test });
  }
  return folds;
}
