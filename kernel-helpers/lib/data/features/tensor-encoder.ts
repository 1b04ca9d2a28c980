/**
 * Encoders: steps that turn table rows into a dense block [n, ...rowShape] for a model whose input
 * is not one flat row of numbers (e.g. one-hot DNA windows [n, 60, 4]). They follow the step
 * contract (./step), so one can travel with a deployed model.
 */
import type { DataFrame } from "../polars";
import type { Step, StepJSON } from "./step";

/** Encoded rows: `data` is row-major [n, ...rowShape]. */
export interface EncodedBlock {
  data: Float32Array;
  shape: number[];
}

/** A fitted step from table rows to a model's input block. */
export interface TensorEncoder extends Step<DataFrame, EncodedBlock> {
  /** Columns it reads, in order. */
  readonly columns: string[];
  /** Shape of one encoded row (no batch axis), e.g. [60, 4]. */
  readonly rowShape: number[];
  /**
   * Values `encode` would refuse, one message per problem naming the row and the column, e.g.
   * `row 3, column "sequence": letter "X" at position 12 is not in the alphabet "ACGT"`. Empty: all encodable.
   */
  check(df: DataFrame): string[];
  /** Encodes every row of `df` (throws on values `check` reports); the same as transform(df). */
  encode(df: DataFrame): EncodedBlock;
}

/** Type guard: does `v` look like a {@link TensorEncoder}? */
export function isTensorEncoder(v: unknown): v is TensorEncoder {
  const e = v as TensorEncoder;
  return typeof v === "object" && v !== null && typeof e.kind === "string" && typeof e.encode === "function" && typeof e.check === "function" && Array.isArray(e.rowShape);
}

export type { StepJSON };
