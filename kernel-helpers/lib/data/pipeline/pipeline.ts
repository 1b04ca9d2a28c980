/** A chain of fitted steps: fit on training data, transform any data, save and restore as JSON. */
import type { DataFrame } from "../polars";
import { REPR } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import { readStepJSON, STEP_JSON_VERSION, type FrameStep, type SavedStep, type StepJSON } from "../features/step";
import { stepFromJSON } from "./registry";

/** What a pipeline saves as its options: its steps' JSON. */
export interface PipelineOptions {
  steps: StepJSON[];
}

/**
 * Steps applied in order. `fit` fits each step on the output of the previous one (training data
 * only); `transform` replays the fitted steps on new data; `toJSON` / `Pipeline.fromJSON` (or
 * `stepFromJSON`) save and restore the whole fitted chain (e.g. in a model bundle).
 * ```ts
 * const prep = new Pipeline([new SimpleImputer({ strategy: "median" }), new OneHotEncoder(), new StandardScaler({ exclude: ["Status"] })]);
 * const trainReady = prep.fitTransform(train);
 * const testReady = prep.transform(test);
 * ```
 */
export class Pipeline implements FrameStep {
  static readonly kind = "Pipeline";
  readonly kind = "Pipeline";
  /** Rows of the training data fit saw. */
  fittedRows?: number;
  constructor(readonly steps: FrameStep[]) {
    if (!Array.isArray(steps)) throw new Error("Pipeline: give the steps as an array, e.g. new Pipeline([new SimpleImputer(), new StandardScaler()])");
  }

  get fitted(): boolean {
    return this.steps.every((s) => s.fitted);
  }

  /** The steps' options and state (what toJSON saves). */
  get options(): PipelineOptions {
    return { steps: this.steps.map((s) => s.toJSON()) };
  }

  fit(df: DataFrame): this {
    this.fitTransform(df);
    return this;
  }

  fitTransform(df: DataFrame): DataFrame {
    let out = df;
    for (const s of this.steps) out = s.fitTransform(out);
    this.fittedRows = df.height;
    return out;
  }

  transform(df: DataFrame): DataFrame {
    let out = df;
    for (const s of this.steps) out = s.transform(out);
    return out;
  }

  toJSON(): StepJSON<PipelineOptions, { rows?: number }> {
    return { kind: this.kind, version: STEP_JSON_VERSION, options: this.options, state: this.fittedRows !== undefined ? { rows: this.fittedRows } : {} };
  }

  /** Restores a pipeline (fitted or not) from toJSON() output or its JSON string. */
  static fromJSON(json: SavedStep): Pipeline {
    const j = readStepJSON(json, "Pipeline") as StepJSON<Partial<PipelineOptions>, { rows?: number }>;
    if (!Array.isArray(j.options?.steps)) throw new Error("Pipeline.fromJSON: not a saved pipeline (no steps)");
    const p = new Pipeline(j.options.steps.map((s) => stepFromJSON<FrameStep>(s)));
    if (typeof j.state?.rows === "number") p.fittedRows = j.state.rows;
    return p;
  }

  [REPR](): MimeBundle {
    const parts = this.steps.map((s) => {
      const repr = (s as Partial<{ [REPR](): MimeBundle }>)[REPR];
      const b = typeof repr === "function" ? repr.call(s) : undefined;
      const text = typeof b?.[MIME.text] === "string" ? (b[MIME.text] as string) : `${s.kind}${s.fitted ? "" : " (not fitted)"}`;
      const html = typeof b?.[MIME.html] === "string" ? (b[MIME.html] as string) : `${s.kind}${s.fitted ? "" : " <i>(not fitted)</i>"}`;
      return { text, html };
    });
    const status = this.fitted ? (this.fittedRows !== undefined ? `fitted on ${this.fittedRows.toLocaleString("en-US")} rows` : "fitted") : "not fitted";
    const head = `Pipeline(${this.steps.length} step${this.steps.length === 1 ? "" : "s"}, ${status})`;
    return {
      [MIME.text]: `${head}\n${parts.map((p, i) => `${i + 1}. ${p.text.split("\n")[0]}`).join("\n")}`,
      [MIME.html]: `<b>${head}</b><ol>${parts.map((p) => `<li>${p.html}</li>`).join("")}</ol>`,
    };
  }
}
