/** A chain of fitted steps: fit on training data, transform any data, save and restore as JSON. */
import type { DataFrame } from "../polars";
import { REPR } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import type { Transformer, TransformerJSON } from "../features/transformer";
import { StandardScaler } from "../features/standard-scaler";
import { MinMaxScaler } from "../features/min-max-scaler";
import { RobustScaler } from "../features/robust-scaler";
import { OneHotEncoder } from "../features/one-hot-encoder";
import { OrdinalEncoder } from "../features/ordinal-encoder";
import { LabelEncoder } from "../features/label-encoder";
import { KmerCounts } from "../features/kmer-counts";
import { SimpleImputer } from "../clean/impute";
import { OutlierClipper } from "../clean/outliers";
import { SelectColumns } from "./select-columns";

/** Restorers by `kind`, for every table step the library ships. */
const RESTORE: Record<string, (json: TransformerJSON) => Transformer> = {
  StandardScaler: StandardScaler.fromJSON,
  MinMaxScaler: MinMaxScaler.fromJSON,
  RobustScaler: RobustScaler.fromJSON,
  OneHotEncoder: OneHotEncoder.fromJSON,
  OrdinalEncoder: OrdinalEncoder.fromJSON,
  LabelEncoder: LabelEncoder.fromJSON,
  KmerCounts: KmerCounts.fromJSON,
  SimpleImputer: SimpleImputer.fromJSON,
  OutlierClipper: OutlierClipper.fromJSON,
  SelectColumns: SelectColumns.fromJSON,
  Pipeline: (j) => Pipeline.fromJSON(j),
};

/** Restores any step saved with toJSON(). */
export function transformerFromJSON(json: TransformerJSON): Transformer {
  const restore = RESTORE[json?.kind];
  if (!restore) throw new Error(`Pipeline.fromJSON: unknown step kind "${json?.kind}" (known: ${Object.keys(RESTORE).join(", ")})`);
  return restore(json);
}

/**
 * Steps applied in order. `fit` fits each step on the output of the previous one (training data
 * only); `transform` replays the fitted steps on new data; `toJSON`/`fromJSON` save and restore
 * the whole fitted chain (e.g. next to a deployed model).
 * ```ts
 * const prep = new Pipeline([new SimpleImputer({ strategy: "median" }), new OneHotEncoder(), new StandardScaler({ exclude: ["Status"] })]);
 * const trainReady = prep.fitTransform(train);
 * const testReady = prep.transform(test);
 * ```
 */
export class Pipeline implements Transformer {
  readonly kind = "Pipeline";
  constructor(readonly steps: Transformer[]) {}

  get fitted(): boolean {
    return this.steps.every((s) => s.fitted);
  }

  fit(df: DataFrame): this {
    this.fitTransform(df);
    return this;
  }

  fitTransform(df: DataFrame): DataFrame {
    let out = df;
    for (const s of this.steps) out = s.fitTransform(out);
    return out;
  }

  transform(df: DataFrame): DataFrame {
    let out = df;
    for (const s of this.steps) out = s.transform(out);
    return out;
  }

  toJSON(): TransformerJSON {
    return { kind: this.kind, steps: this.steps.map((s) => s.toJSON()) };
  }

  /** Restores a pipeline (fitted or not) from toJSON() output or its JSON string. */
  static fromJSON(json: TransformerJSON | string): Pipeline {
    const j = typeof json === "string" ? (JSON.parse(json) as TransformerJSON) : json;
    if (j?.kind !== "Pipeline" || !Array.isArray(j.steps)) throw new Error(`Pipeline.fromJSON: not a saved pipeline (kind "${j?.kind}")`);
    return new Pipeline((j.steps as TransformerJSON[]).map(transformerFromJSON));
  }

  [REPR](): MimeBundle {
    const lines = this.steps.map((s, i) => `${i + 1}. ${s.kind}${s.fitted ? "" : " (not fitted)"}`);
    return { [MIME.text]: `Pipeline\n${lines.join("\n")}`, [MIME.html]: `<b>Pipeline</b><ol>${this.steps.map((s) => `<li>${s.kind}${s.fitted ? "" : " <i>(not fitted)</i>"}</li>`).join("")}</ol>` };
  }
}
