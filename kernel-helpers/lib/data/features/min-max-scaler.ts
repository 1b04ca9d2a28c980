/** Min-max scaling to a target range, learned per column on the training data. */
import { pl, asFloat, columnDtypes, type DataFrame } from "../polars";
import { sqlFloat, sqlNumber, withSqlColumns } from "../sql-columns";
import { assertColumns, assertFitted, expectKind, type Transformer, type TransformerJSON } from "./transformer";
import { pickNumeric } from "./numeric-columns";

/** Options for {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  columns?: string[];
  exclude?: string[];
  /** Output range (default [0, 1]). */
  featureRange?: [number, number];
  /** Clip transformed values of later data into the range (default false). */
  clip?: boolean;
}

/**
 * Maps each column linearly so the training minimum goes to `featureRange[0]` and the maximum to
 * `featureRange[1]`: x·scale + offset. A constant column is only shifted (range treated as 1).
 */
export class MinMaxScaler implements Transformer {
  readonly kind = "MinMaxScaler";
  columns: string[] = [];
  dataMin: number[] = [];
  dataMax: number[] = [];
  scale: number[] = [];
  offset: number[] = [];
  fitted = false;
  constructor(readonly options: MinMaxScalerOptions = {}) {}

  fit(df: DataFrame): this {
    this.columns = pickNumeric(df, this.options.columns, this.options.exclude);
    assertColumns(this.kind, df, this.columns);
    const [lo, hi] = this.options.featureRange ?? [0, 1];
    if (!(hi > lo)) throw new Error(`MinMaxScaler: featureRange must be increasing, got [${lo}, ${hi}]`);
    const mins = df.select(pl.col(this.columns).min()).row(0) as (number | bigint | null)[];
    const maxs = df.select(pl.col(this.columns).max()).row(0) as (number | bigint | null)[];
    this.dataMin = this.columns.map((_, i) => Number(mins[i] ?? 0));
    this.dataMax = this.columns.map((_, i) => Number(maxs[i] ?? 0));
    this.scale = this.columns.map((_, i) => {
      const range = this.dataMax[i] - this.dataMin[i];
      return (hi - lo) / (range === 0 ? 1 : range);
    });
    this.offset = this.columns.map((_, i) => lo - this.dataMin[i] * this.scale[i]);
    this.fitted = true;
    return this;
  }

  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    assertColumns(this.kind, df, this.columns);
    const [lo, hi] = this.options.featureRange ?? [0, 1];
    const types = columnDtypes(df);
    if (!this.options.clip) {
      const replace = new Map<string, string>();
      this.columns.forEach((c, i) => {
        const a = sqlNumber(this.scale[i]);
        const b = sqlNumber(this.offset[i]);
        if (a !== undefined && b !== undefined) replace.set(c, `(${sqlFloat(types, c)} * ${a}) + ${b}`);
      });
      const out = replace.size === this.columns.length ? withSqlColumns(df, replace) : undefined;
      if (out) return out;
    }
    return df.withColumns(
      ...this.columns.map((c, i) => {
        const e = asFloat(types, c).mul(this.scale[i]).add(this.offset[i]);
        return (this.options.clip ? e.clip(lo, hi) : e).alias(c);
      }),
    );
  }

  fitTransform(df: DataFrame): DataFrame {
    return this.fit(df).transform(df);
  }

  toJSON(): TransformerJSON {
    return { kind: this.kind, options: this.options, columns: this.columns, dataMin: this.dataMin, dataMax: this.dataMax, scale: this.scale, offset: this.offset, fitted: this.fitted };
  }

  /** Restores a scaler saved with toJSON(). */
  static fromJSON(json: TransformerJSON): MinMaxScaler {
    expectKind(json, "MinMaxScaler");
    const s = new MinMaxScaler((json.options ?? {}) as MinMaxScalerOptions);
    Object.assign(s, { columns: json.columns, dataMin: json.dataMin, dataMax: json.dataMax, scale: json.scale, offset: json.offset, fitted: Boolean(json.fitted) });
    return s;
  }
}
