/**
 * The input schema of a deployed model (feature names and types, in order) and the validation of
 * incoming rows against it, with messages that name the offending row and feature.
 */
import { pl, columnDtypes, dtypeName, isNumericDtype, type DataFrame } from "../../data/polars";

/** Type of one input feature. */
export type FeatureType = "number" | "string" | "boolean";

/** One input feature. */
export interface FeatureSpec {
  name: string;
  type: FeatureType;
}

/** Features a model bundle expects, in order. */
export interface InputSchema {
  features: FeatureSpec[];
}

/** A row as accepted by `predict`: an object keyed by feature name, or values in schema order. */
export type InputRow = Record<string, unknown> | unknown[];

/** Rejected input; `status` is the HTTP status the service answers with (400/413/422). */
export class InputError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
    readonly status = 400,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** The schema of a frame's columns (minus `exclude`, e.g. the target). */
export function schemaFromFrame(df: DataFrame, exclude: string[] = []): InputSchema {
  const types = columnDtypes(df);
  return {
    features: [...types]
      .filter(([c]) => !exclude.includes(c))
      .map(([name, dt]) => {
        const type: FeatureType = isNumericDtype(dt) ? "number" : dtypeName(dt) === "Bool" ? "boolean" : "string";
        return { name, type };
      }),
  };
}

const MAX_DETAILS = 10;

/** One InputError for a list of problems: the first three in the message, the first ten as details. */
export function inputErrorOf(problems: string[]): InputError {
  const more = problems.length > MAX_DETAILS ? ` (and ${problems.length - MAX_DETAILS} more)` : "";
  return new InputError(`invalid input: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? "; …" : ""}${more}`, problems.slice(0, MAX_DETAILS));
}

/** Feature names for a message: all of a short list, the ends of a long one (784 pixels…). */
function listNames(names: readonly string[]): string {
  return names.length <= 12 ? names.join(", ") : `${names.slice(0, 4).join(", ")}, …, ${names.slice(-2).join(", ")}`;
}

/** A validated row: feature name → value (null: missing, where the bundle allows it). */
export type ValidRow = Record<string, number | string | boolean | null>;

/** Options of {@link validateRows}. */
export interface ValidateRowsOptions {
  maxRows?: number;
  /**
   * Features that may be missing (`null` or an absent key): those the bundle's pipeline fills
   * (see `fillableFeatures`); `true` allows any. Other missing features are refused.
   */
  allowMissing?: boolean | ReadonlySet<string>;
}

/**
 * Checks rows against the schema and returns them as objects keyed by feature name.
 * Accepts one row or an array of rows; refuses unknown or missing features (unless
 * `allowMissing`), wrong types, non-finite numbers and rows of the wrong length, listing the
 * first problems.
 */
export function validateRows(input: unknown, schema: InputSchema, options: ValidateRowsOptions = {}): ValidRow[] {
  const rows: unknown[] = Array.isArray(input) && (input.length === 0 || typeof input[0] === "object") ? input : [input];
  if (rows.length === 0) throw new InputError("no rows to predict");
  if (options.maxRows !== undefined && rows.length > options.maxRows) throw new InputError(`too many rows: ${rows.length} (at most ${options.maxRows} per request)`, [], 413);
  const names = schema.features.map((f) => f.name);
  const known = new Set(names);
  const problems: string[] = [];
  const out = rows.map((row, i) => {
    const rec: ValidRow = {};
    let obj: Record<string, unknown>;
    if (Array.isArray(row)) {
      if (row.length !== names.length) {
        problems.push(`row ${i}: ${row.length} values, expected ${names.length} (${listNames(names)})`);
        return rec;
      }
      obj = Object.fromEntries(names.map((n, j) => [n, row[j]]));
    } else if (row !== null && typeof row === "object") {
      obj = row as Record<string, unknown>;
      const unknown = Object.keys(obj).filter((k) => !known.has(k));
      if (unknown.length) problems.push(`row ${i}: unknown feature(s) ${unknown.map((k) => JSON.stringify(k)).join(", ")}`);
    } else {
      problems.push(`row ${i}: expected an object of features or an array of ${names.length} values, got ${row === null ? "null" : typeof row}`);
      return rec;
    }
    for (const f of schema.features) {
      const v = obj[f.name];
      if (v === undefined || v === null) {
        if (options.allowMissing === true || (options.allowMissing instanceof Set && options.allowMissing.has(f.name))) rec[f.name] = null;
        else problems.push(`row ${i}: missing feature ${JSON.stringify(f.name)}`);
        continue;
      }
      const ok = f.type === "number" ? typeof v === "number" && Number.isFinite(v) : f.type === "boolean" ? typeof v === "boolean" : typeof v === "string";
      if (!ok) problems.push(`row ${i}: feature ${JSON.stringify(f.name)} must be ${f.type === "number" ? "a finite number" : `a ${f.type}`}, got ${JSON.stringify(v)}`);
      else rec[f.name] = v as number | string | boolean;
    }
    return rec;
  });
  if (problems.length) throw inputErrorOf(problems);
  return out;
}

/** Validated rows as a Polars frame with the schema's column types. */
export function rowsToFrame(rows: ValidRow[], schema: InputSchema): DataFrame {
  const series = schema.features.map((f) => {
    const vals = rows.map((r) => r[f.name] ?? null);
    return f.type === "number" ? pl.Series(f.name, vals as number[], pl.Float64) : f.type === "boolean" ? pl.Series(f.name, vals as boolean[], pl.Bool) : pl.Series(f.name, vals as string[], pl.Utf8);
  });
  return pl.DataFrame(series);
}

/** Steps of a pipeline as far as filling missing values goes. */
interface StepLike {
  kind: string;
  columns?: string[];
}

/** Features a fitted pipeline fills when they are missing (the columns of its imputers). */
export function fillableFeatures(pipeline: { steps: readonly StepLike[] } | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const step of pipeline?.steps ?? []) if (step.kind === "SimpleImputer") for (const c of step.columns ?? []) out.add(c);
  return out;
}
