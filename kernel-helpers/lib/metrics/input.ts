/**
 * Turns what notebooks pass to metrics (plain arrays, typed arrays, 2-D arrays, tfjs tensors)
 * into flat columns the metric kernels work on. tfjs is never imported: a tensor is anything
 * with `dataSync()` and `shape` (duck typing), so the metrics module loads without tfjs.
 */

/** A class label: a number or a string (as scikit-learn accepts). */
export type Label = number | string;

/** The parts of a tf.Tensor the metrics use (duck-typed; tfjs is not imported). */
export interface TensorLike {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number> | ArrayLike<string>;
}

/** Anything a label argument may be: an array, a typed array, a 2-D array or a tensor. */
export type LabelsLike = ArrayLike<Label> | ArrayLike<ArrayLike<number>> | TensorLike;

/** Anything a score / value argument may be: 1-D or 2-D numbers, typed arrays, or a tensor. */
export type NumbersLike = ArrayLike<number> | ArrayLike<ArrayLike<number>> | TensorLike;

/** A 1-D column of labels: numbers in a Float64Array or strings. */
export type LabelColumn = { kind: "number"; data: Float64Array } | { kind: "string"; data: string[] };

/** A dense row-major matrix of numbers. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** True for objects that look like a tfjs tensor. */
export function isTensorLike(x: unknown): x is TensorLike {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as TensorLike).dataSync === "function" &&
    Array.isArray((x as TensorLike).shape)
  );
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as ArrayLike<unknown>).length === "number" &&
    typeof x !== "string"
  );
}

/** Shape of an input: [n] for 1-D, [n, k] for 2-D. Throws for other ranks. */
export function shapeOf(x: unknown, name: string): number[] {
  if (isTensorLike(x)) return [...x.shape];
  if (!isArrayLike(x)) throw new Error(`${name}: expected an array, a typed array or a tensor, got ${describe(x)}`);
  if (x.length > 0 && isArrayLike(x[0])) return [x.length, (x[0] as ArrayLike<unknown>).length];
  return [x.length];
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  return typeof x;
}

/**
 * Reads a 2-D numeric input (or 1-D as a single column) into a row-major matrix.
 * Rows must all have the same length.
 */
export function toMatrix(x: NumbersLike | LabelsLike, name: string): Matrix {
  if (isTensorLike(x)) {
    const shape = x.shape;
    const raw = x.dataSync();
    const data = Float64Array.from(raw as ArrayLike<number>, Number);
    if (shape.length === 1) return { rows: shape[0], cols: 1, data };
    if (shape.length === 2) return { rows: shape[0], cols: shape[1], data };
    throw new Error(`${name}: expected a 1-D or 2-D tensor, got shape [${shape.join(", ")}]`);
  }
  if (!isArrayLike(x)) throw new Error(`${name}: expected an array, a typed array or a tensor, got ${describe(x)}`);
  const n = x.length;
  if (n === 0 || !isArrayLike(x[0])) {
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = numberAt(x[i], name, i);
    return { rows: n, cols: 1, data };
  }
  const cols = (x[0] as ArrayLike<unknown>).length;
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = x[i] as ArrayLike<unknown>;
    if (!isArrayLike(row) || row.length !== cols)
      throw new Error(`${name}: row ${i} has ${isArrayLike(row) ? row.length : "no"} columns, expected ${cols} like row 0`);
    for (let j = 0; j < cols; j++) data[i * cols + j] = numberAt(row[j], name, i);
  }
  return { rows: n, cols, data };
}

function numberAt(v: unknown, name: string, i: number): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  throw new Error(`${name}: expected numbers, got ${typeof v} ${JSON.stringify(v)} at index ${i}`);
}

/** Reads a 1-D numeric input (a 2-D input with one column is accepted, like sklearn's column_or_1d). */
export function toVector(x: NumbersLike | LabelsLike, name: string): Float64Array {
  const m = toMatrix(x, name);
  if (m.cols !== 1) throw new Error(`${name}: expected a 1-D array, got shape [${m.rows}, ${m.cols}]`);
  return m.data;
}

/** Reads optional sample weights, checking their length against n. */
export function toWeights(w: ArrayLike<number> | TensorLike | undefined | null, n: number): Float64Array | undefined {
  if (w === undefined || w === null) return undefined;
  const v = toVector(w, "sampleWeight");
  if (v.length !== n)
    throw new Error(`sampleWeight: found input variables with inconsistent numbers of samples: [${n}, ${v.length}]`);
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i])) throw new Error(`sampleWeight: contains a non-finite value at index ${i}`);
  return v;
}

/** Reads a 1-D label input into a numeric or string column. Mixed strings and numbers are an error. */
export function toLabelColumn(x: LabelsLike, name: string): LabelColumn {
  if (isTensorLike(x)) {
    if (x.shape.length === 2 && x.shape[1] === 1) return { kind: "number", data: Float64Array.from(x.dataSync() as ArrayLike<number>) };
    if (x.shape.length !== 1) throw new Error(`${name}: expected a 1-D tensor of labels, got shape [${x.shape.join(", ")}]`);
    const raw = x.dataSync();
    if (raw.length > 0 && typeof raw[0] === "string") return { kind: "string", data: Array.from(raw as ArrayLike<string>) };
    return { kind: "number", data: Float64Array.from(raw as ArrayLike<number>) };
  }
  if (!isArrayLike(x)) throw new Error(`${name}: expected an array, a typed array or a tensor, got ${describe(x)}`);
  if (ArrayBuffer.isView(x)) return { kind: "number", data: Float64Array.from(x as unknown as ArrayLike<number>) };
  const n = x.length;
  if (n > 0 && isArrayLike(x[0])) {
    const m = toMatrix(x as ArrayLike<ArrayLike<number>>, name);
    if (m.cols !== 1) throw new Error(`${name}: expected a 1-D array of labels, got shape [${m.rows}, ${m.cols}]`);
    return { kind: "number", data: m.data };
  }
  if (n > 0 && typeof x[0] === "string") {
    const data = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (typeof v !== "string") throw new Error(`${name}: mix of label input types (string and number) at index ${i}`);
      data[i] = v;
    }
    return { kind: "string", data };
  }
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v === "number") data[i] = v;
    else if (typeof v === "boolean") data[i] = v ? 1 : 0;
    else throw new Error(`${name}: mix of label input types (string and number) at index ${i}`);
  }
  return { kind: "number", data };
}

/** Throws sklearn's message when two inputs have different numbers of samples. */
export function checkSameLength(lengths: Record<string, number>): void {
  const entries = Object.entries(lengths);
  const first = entries[0][1];
  if (entries.some(([, n]) => n !== first)) {
    throw new Error(
      `${entries.map(([k]) => k).join(", ")}: found input variables with inconsistent numbers of samples: [${entries
        .map(([, n]) => n)
        .join(", ")}]`,
    );
  }
}

/** A score's type from its options: per class (an array) when `average` is null, else one number. */
export type AveragedScore<O> = O extends { average: null } ? number[] : number;
