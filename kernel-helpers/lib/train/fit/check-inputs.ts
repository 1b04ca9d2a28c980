/**
 * What `fit` checks before the first step, so that bad data is an error naming the first bad
 * value instead of a model that trains silently to nothing: class labels that are not whole
 * numbers in [0, classes) (tfjs's oneHot maps them to all-zero rows: constant loss, accuracy 0),
 * NaN/Inf anywhere in x or y, and 0/1 (or probability) targets for a sigmoid output.
 */
import type { RowSource } from "./batches";
import type { LossName } from "./types";

/** Thrown by `fit` when its inputs cannot train the model; the message names the first bad value. */
export class FitInputError extends Error {
  constructor(message: string) {
    super(`fit: ${message}`);
    this.name = "FitInputError";
  }
}

/** "sample 12, position [3, 4, 0]" for flat index `i` of rows shaped `rowShape`. */
function where(name: string, i: number, rowSize: number, rowShape: number[]): string {
  const sample = Math.floor(i / rowSize);
  if (rowShape.length === 0 || rowSize === 1) return `${name}[${sample}]`;
  let r = i % rowSize;
  const pos = rowShape.map((_, k) => {
    const stride = rowShape.slice(k + 1).reduce((a, b) => a * b, 1);
    const p = Math.floor(r / stride);
    r %= stride;
    return p;
  });
  return `${name}[${sample}] at [${pos.join(", ")}]`;
}

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Checks one (x, y) pair; `label` prefixes the names ("" for the training data, "validation " for validationData). */
export function checkFitInputs(x: RowSource, y: RowSource, loss: LossName, outputUnits: number, label = ""): void {
  if (x.rows !== y.rows) throw new FitInputError(`${label}x has ${x.rows} samples but ${label}y has ${y.rows}`);
  const xv = x.values();
  const bad = firstNonFinite(xv);
  if (bad >= 0) {
    throw new FitInputError(
      `${label}x has ${xv[bad]} at ${where(`${label}x`, bad, x.rowSize, x.rowShape)}: inputs must be finite numbers (impute or drop missing values, and scale large ones)`,
    );
  }
  const yv = y.values();
  const yBad = firstNonFinite(yv);
  if (yBad >= 0) throw new FitInputError(`${label}y has ${yv[yBad]} at ${where(`${label}y`, yBad, y.rowSize, y.rowShape)}: targets must be finite numbers`);
  if (loss === "sparseCategoricalCrossentropy") {
    if (y.rowSize !== 1) throw new FitInputError(`${label}y must hold one class index per sample (shape [n] or [n, 1]) for a ${outputUnits}-class softmax output; it has shape [${y.rows}, ${y.rowShape.join(", ")}]`);
    for (let i = 0; i < yv.length; i++) {
      const v = yv[i];
      if (!Number.isInteger(v)) throw new FitInputError(`${label}y[${i}] is ${v}: class labels must be whole numbers in [0, ${outputUnits})`);
      if (v < 0 || v >= outputUnits) {
        throw new FitInputError(
          `${label}y[${i}] is ${v}, but the model's softmax output has ${outputUnits} classes: labels must be in [0, ${outputUnits}) (encode the labels, e.g. with LabelEncoder, or give the model numClasses: ${Math.max(outputUnits, v + 1)})`,
        );
      }
    }
  } else if (loss === "binaryCrossentropy" || loss === "categoricalCrossentropy") {
    for (let i = 0; i < yv.length; i++) {
      if (yv[i] < 0 || yv[i] > 1) {
        const kind = loss === "binaryCrossentropy" ? "0/1 labels (or probabilities) for a sigmoid output" : "one-hot rows (or probabilities) for a softmax output";
        throw new FitInputError(`${label}y has ${yv[i]} at ${where(`${label}y`, i, y.rowSize, y.rowShape)}: ${kind} must lie in [0, 1]`);
      }
    }
  }
}
