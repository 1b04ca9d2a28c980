/**
 * The contract every fitted step follows: fit on training data only, transform any data later,
 * and round-trip through JSON so the fitted state travels with a deployed model.
 */
import type { DataFrame } from "../polars";

/** Serialized form of a fitted (or unfitted) step: `kind` names the class for {@link Pipeline.fromJSON}. */
export interface TransformerJSON {
  kind: string;
  [key: string]: unknown;
}

/** A table-to-table step with learned state. */
export interface Transformer {
  /** Class tag stored in JSON, e.g. "StandardScaler". */
  readonly kind: string;
  /** True once fit() (or fromJSON with state) has run. */
  readonly fitted: boolean;
  /** Learns the step's state from training data; returns the step itself. */
  fit(df: DataFrame): this;
  /** Applies the learned state to any data with the same columns. */
  transform(df: DataFrame): DataFrame;
  /** fit(df) then transform(df). */
  fitTransform(df: DataFrame): DataFrame;
  /** Parameters and learned state as plain JSON. */
  toJSON(): TransformerJSON;
}

/** Throws a readable error if a step is used before it is fitted. */
export function assertFitted(t: { fitted: boolean; kind: string }): void {
  if (!t.fitted) throw new Error(`${t.kind}: call fit() on training data before transform()`);
}

/** Checks that the frame holds the named columns. */
export function assertColumns(kind: string, df: DataFrame, columns: readonly string[]): void {
  const missing = columns.filter((c) => !df.columns.includes(c));
  if (missing.length) throw new Error(`${kind}: column(s) ${missing.map((c) => `"${c}"`).join(", ")} not in the frame (has ${df.columns.join(", ")})`);
}

/** Checks a JSON object's kind before restoring from it. */
export function expectKind(json: TransformerJSON, kind: string): void {
  if (!json || json.kind !== kind) throw new Error(`${kind}.fromJSON: expected kind "${kind}", got "${(json as { kind?: unknown })?.kind}"`);
}
