/**
 * Older names of the step contract (see ./step): `Transformer` is a table-to-table step and
 * `TransformerJSON` its saved form.
 */
import type { FrameStep, StepJSON } from "./step";

export { assertFitted, assertColumns } from "./step";

/** @deprecated use `FrameStep` (the step contract in ./step). */
export type Transformer = FrameStep;

/** @deprecated use `StepJSON`. */
export type TransformerJSON = StepJSON;
