/**
 * The one contract every fitted step follows (scalers, encoders, imputers, k-mer counts, sequence
 * one-hot, sliding windows, pipelines): options given once to the constructor (columns included:
 * `columns` / `exclude` for steps over several columns, `column` for steps over one), `fit` learns
 * state in place on training data and returns the step (scikit-learn-like), `transform` applies
 * it, and `toJSON` / {@link stepFromJSON} round-trip `{ kind, version, options, state }` so a
 * fitted step travels with a deployed model. A fitted step shown as a cell's value renders as a
 * short summary (text) and a table of what it learned (html).
 */
import type { DataFrame } from "../polars";
import { REPR } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";

/** Version of the `{ kind, version, options, state }` layout written by toJSON. */
export const STEP_JSON_VERSION = 1;

/** Serialized step: `kind` names the class for {@link stepFromJSON}; `state` is null until fitted. */
export interface StepJSON<O = unknown, S = unknown> {
  kind: string;
  version?: number;
  options: O;
  state: S | null;
}

/** What `fromJSON` / `stepFromJSON` accept: toJSON() output, its JSON string, or the flat layout saved before the step contract. */
export type SavedStep = StepJSON | { kind: string; [key: string]: unknown } | string;

/** A step with learned state: `In` → `Out` (a table for table steps, a dense block for encoders). */
export interface Step<In = DataFrame, Out = DataFrame> {
  /** Stable class tag stored in JSON, e.g. "StandardScaler". */
  readonly kind: string;
  /** The constructor's options (columns included), as saved in JSON. */
  readonly options: object;
  /** True once fit() (or fromJSON with state) has run. */
  readonly fitted: boolean;
  /** Learns the step's state from training data, in place; returns the step itself. */
  fit(data: In): this;
  /** Applies the learned state to any data with the same columns. */
  transform(data: In): Out;
  /** fit(data) then transform(data). */
  fitTransform(data: In): Out;
  /** Options and learned state as plain JSON. */
  toJSON(): StepJSON;
}

/** A table-to-table step (what a {@link Pipeline} chains). */
export type FrameStep = Step<DataFrame, DataFrame>;

/** What a step's display shows: its parameters and a small table of learned state. */
export interface StepSummary {
  /** Parameters shown in the text line, e.g. `{ columns: ["age", "income"] }`. */
  params: Record<string, unknown>;
  /** Rows the step was fitted on (shown as "fitted on 1,000 rows"). */
  rows?: number;
  /** Learned state, one row per column / category / k-mer… */
  table?: { header: string[]; rows: unknown[][] };
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

/** Parses a JSON string and checks the shape `{ kind, options, state }` (older flat layouts are upgraded). */
export function readStepJSON(json: SavedStep, kind?: string): StepJSON {
  const j = (typeof json === "string" ? JSON.parse(json) : json) as StepJSON & Record<string, unknown>;
  if (!j || typeof j !== "object" || typeof j.kind !== "string") throw new Error(`${kind ?? "stepFromJSON"}: not a saved step (no "kind")`);
  if (kind !== undefined && j.kind !== kind) throw new Error(`${kind}.fromJSON: expected kind "${kind}", got "${j.kind}"`);
  if (typeof j.version === "number" && j.version > STEP_JSON_VERSION) {
    throw new Error(`${j.kind}.fromJSON: saved with step layout version ${j.version}; this Sciforge reads up to ${STEP_JSON_VERSION} (update Sciforge)`);
  }
  return "state" in j && "options" in j ? j : upgradeLegacy(j);
}

/**
 * The flat layout written before the step contract (`{ kind, options, <state fields>, fitted }`,
 * LabelEncoder's `column`, SelectColumns' `spec`, Pipeline's `steps`), as `{ kind, options, state }`.
 */
function upgradeLegacy(j: Record<string, unknown> & { kind: string }): StepJSON {
  const { kind, options, fitted, ...rest } = j;
  switch (kind) {
    case "Pipeline":
      return { kind, options: { steps: ((rest.steps as unknown[]) ?? []).map((s) => readStepJSON(s as StepJSON)) }, state: {} };
    case "SelectColumns":
      return { kind, options: rest.spec ?? {}, state: {} };
    case "SlidingWindow":
      return { kind, options: options ?? {}, state: {} };
    case "LabelEncoder": {
      const { column, ...state } = rest;
      return { kind, options: column === undefined ? {} : { column }, state: fitted ? state : null };
    }
    case "SequenceOneHot": {
      const { alphabet, ...state } = rest;
      return { kind, options: { ...(options as object), alphabet }, state: fitted ? state : null };
    }
    default:
      return { kind, options: options ?? {}, state: fitted ? rest : null };
  }
}

/** "1,000" */
function count(n: number): string {
  return n.toLocaleString("en-US");
}

function short(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return v.length > 6 ? `[${v.slice(0, 4).map(short).join(", ")}, … ${v.length - 4} more]` : `[${v.map(short).join(", ")}]`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${short(x)}`).join(", ")}}`;
  return String(v);
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const MAX_TABLE_ROWS = 20;

/** The text/plain and text/html display of a step: `StandardScaler(columns=[…], fitted on 1,000 rows)` and a table of learned state. */
export function stepBundle(step: { kind: string; fitted: boolean }, summary: StepSummary): MimeBundle {
  const params = Object.entries(summary.params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${short(v)}`);
  const status = step.fitted ? (summary.rows !== undefined ? `fitted on ${count(summary.rows)} row${summary.rows === 1 ? "" : "s"}` : "fitted") : "not fitted";
  const head = `${step.kind}(${[...params, status].join(", ")})`;
  const table = step.fitted ? summary.table : undefined;
  let text = head;
  let html = `<div><b>${escape(step.kind)}</b>(${escape([...params, status].join(", "))})</div>`;
  if (table && table.rows.length) {
    const shown = table.rows.slice(0, MAX_TABLE_ROWS);
    const more = table.rows.length - shown.length;
    const cell = (v: unknown) => (typeof v === "number" ? short(v) : v === null ? "null" : String(v));
    text += "\n" + [table.header, ...shown.map((r) => r.map(cell))].map((r) => "  " + r.join("\t")).join("\n") + (more > 0 ? `\n  … ${more} more` : "");
    html +=
      `<table><thead><tr>${table.header.map((h) => `<th>${escape(h)}</th>`).join("")}</tr></thead><tbody>` +
      shown.map((r) => `<tr>${r.map((v) => `<td>${escape(cell(v))}</td>`).join("")}</tr>`).join("") +
      `</tbody></table>` +
      (more > 0 ? `<div>… ${more} more</div>` : "");
  }
  return { [MIME.text]: text, [MIME.html]: html };
}

/**
 * Shared machinery of the library's steps: `fitTransform`, `toJSON`, `fromJSON`, the display.
 * A subclass sets `kind`, implements `fit` / `transform`, and says what its state is
 * (`getState` / `setState`) and how it shows (`summary`).
 */
export abstract class BaseStep<O extends object, S extends object, In = DataFrame, Out = DataFrame> implements Step<In, Out> {
  /** Each subclass sets its stable tag: `static readonly kind = "StandardScaler"`. */
  static readonly kind: string;
  /** The class's stable tag (stored in JSON). */
  get kind(): string {
    return (this.constructor as unknown as { kind: string }).kind;
  }
  /** True once fit() (or fromJSON with state) has run. */
  fitted = false;
  /** Rows of the training data fit saw. */
  fittedRows?: number;
  constructor(readonly options: O) {}

  abstract fit(data: In): this;
  abstract transform(data: In): Out;

  fitTransform(data: In): Out {
    return this.fit(data).transform(data);
  }

  /** The learned state as plain JSON (only called when fitted). */
  protected abstract getState(): S;
  /** Restores the learned state saved by getState. */
  protected abstract setState(state: S): void;
  /** Parameters and a table of learned state for the display. */
  protected abstract summary(): StepSummary;

  /** Marks the step fitted on `rows` training rows (call at the end of fit). */
  protected markFitted(rows: number | undefined): void {
    this.fitted = true;
    this.fittedRows = rows;
  }

  toJSON(): StepJSON<O, S & { rows?: number }> {
    return { kind: this.kind, version: STEP_JSON_VERSION, options: this.options, state: this.fitted ? { ...this.getState(), ...(this.fittedRows !== undefined ? { rows: this.fittedRows } : {}) } : null };
  }

  /** Restores a step of this class from toJSON() output (or its JSON string). */
  static fromJSON<T extends BaseStep<object, object, unknown, unknown>>(this: (new (options: never) => T) & { kind: string }, json: SavedStep): T {
    const j = readStepJSON(json, this.kind);
    const step = new this((j.options ?? {}) as never);
    if (j.state) {
      const { rows, ...state } = j.state as { rows?: number };
      step.setState(state);
      step.markFitted(rows);
    }
    return step;
  }

  [REPR](): MimeBundle {
    const s = this.summary();
    return stepBundle(this, { ...s, rows: s.rows ?? this.fittedRows });
  }
}
