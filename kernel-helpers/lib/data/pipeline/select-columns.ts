/** A pipeline step that keeps or drops columns (e.g. drop an ID column before modelling). */
import { pl, type DataFrame } from "../polars";
import { assertColumns, expectKind, type Transformer, type TransformerJSON } from "../features/transformer";

/** Keeps only `keep` (in that order) or removes `drop`. Learns nothing. */
export class SelectColumns implements Transformer {
  readonly kind = "SelectColumns";
  readonly fitted = true;
  constructor(readonly spec: { keep?: string[]; drop?: string[] }) {}
  fit(): this {
    return this;
  }
  transform(df: DataFrame): DataFrame {
    if (this.spec.keep) {
      assertColumns(this.kind, df, this.spec.keep);
      return df.select(...this.spec.keep.map((c) => pl.col(c)));
    }
    const drop = this.spec.drop ?? [];
    return df.select(...df.columns.filter((c) => !drop.includes(c)).map((c) => pl.col(c)));
  }
  fitTransform(df: DataFrame): DataFrame {
    return this.transform(df);
  }
  toJSON(): TransformerJSON {
    return { kind: this.kind, spec: this.spec };
  }
  /** Restores the step from toJSON(). */
  static fromJSON(json: TransformerJSON): SelectColumns {
    expectKind(json, "SelectColumns");
    return new SelectColumns(json.spec as { keep?: string[]; drop?: string[] });
  }
}
