/**
 * The one registry of saved steps: `stepFromJSON(json)` restores any step the library ships (and
 * any registered with {@link registerStep}) from its `{ kind, version, options, state }` JSON.
 */
import { readStepJSON, type SavedStep, type Step, type StepJSON } from "../features/step";
import { isTensorEncoder, type TensorEncoder } from "../features/tensor-encoder";
import { StandardScaler } from "../features/standard-scaler";
import { MinMaxScaler } from "../features/min-max-scaler";
import { RobustScaler } from "../features/robust-scaler";
import { OneHotEncoder } from "../features/one-hot-encoder";
import { OrdinalEncoder } from "../features/ordinal-encoder";
import { LabelEncoder } from "../features/label-encoder";
import { KmerCounts } from "../features/kmer-counts";
import { SequenceOneHot } from "../features/sequence-one-hot";
import { SlidingWindow } from "../features/sliding-window";
import { SimpleImputer } from "../clean/impute";
import { OutlierClipper } from "../clean/outliers";
import { SelectColumns } from "./select-columns";
import { Pipeline } from "./pipeline";

/** Restores one kind of step from its JSON. */
export type StepRestorer = (json: StepJSON) => Step<never, unknown>;

const RESTORE = new Map<string, StepRestorer>([
  ["StandardScaler", (j) => StandardScaler.fromJSON(j)],
  ["MinMaxScaler", (j) => MinMaxScaler.fromJSON(j)],
  ["RobustScaler", (j) => RobustScaler.fromJSON(j)],
  ["OneHotEncoder", (j) => OneHotEncoder.fromJSON(j)],
  ["OrdinalEncoder", (j) => OrdinalEncoder.fromJSON(j)],
  ["LabelEncoder", (j) => LabelEncoder.fromJSON(j)],
  ["KmerCounts", (j) => KmerCounts.fromJSON(j)],
  ["SequenceOneHot", (j) => SequenceOneHot.fromJSON(j)],
  ["SlidingWindow", (j) => SlidingWindow.fromJSON(j)],
  ["SimpleImputer", (j) => SimpleImputer.fromJSON(j)],
  ["OutlierClipper", (j) => OutlierClipper.fromJSON(j)],
  ["SelectColumns", (j) => SelectColumns.fromJSON(j)],
  ["Pipeline", (j) => Pipeline.fromJSON(j)],
]);

/** Makes `stepFromJSON` restore steps of your own `kind` (e.g. a custom feature step). */
export function registerStep(kind: string, restore: StepRestorer): void {
  RESTORE.set(kind, restore);
}

/** The kinds `stepFromJSON` knows. */
export function stepKinds(): string[] {
  return [...RESTORE.keys()];
}

/**
 * Restores any step saved with toJSON() (the object or its JSON string), fitted state included.
 * ```ts
 * const scaler = stepFromJSON(readFileSync("scaler.json", "utf8")) as StandardScaler;
 * ```
 */
// The caller says what it expects back (a table step by default); the kind decides what it is.
export function stepFromJSON<T extends Step<never, unknown> = Step>(json: SavedStep): T {
  const j = readStepJSON(json);
  const restore = RESTORE.get(j.kind);
  if (!restore) throw new Error(`stepFromJSON: unknown step kind "${j.kind}" (known: ${stepKinds().join(", ")})`);
  return restore(j) as T;
}

/** Restores a saved encoder (a step from rows to a model input block, e.g. `SequenceOneHot`). */
export function tensorEncoderFromJSON(json: SavedStep): TensorEncoder {
  const step = stepFromJSON<Step<never, unknown>>(json);
  if (!isTensorEncoder(step)) throw new Error(`tensorEncoderFromJSON: a ${step.kind} is not an encoder (one that turns rows into a model input block, e.g. SequenceOneHot)`);
  return step;
}

/** @deprecated use {@link stepFromJSON}. */
export const transformerFromJSON = (json: SavedStep): Step => stepFromJSON(json);
