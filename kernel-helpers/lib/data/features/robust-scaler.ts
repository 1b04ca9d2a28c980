/** Robust scaling: (x − median) / IQR, insensitive to outliers. */
import { pl, type DataFrame } from "../polars";
import { affine } from "../sql-columns";
import { assertColumns, assertFitted, expectKind, type Transformer, type TransformerJSON } from "./transformer";
import { pickNumeric } from "./numeric-columns";

/** Options for {@link RobustScaler}. */
export interface RobustScalerOptions {
  columns?: string[];
  exclude?: string[];
  /** Quantile range used as the scale, in percent (default [25, 75]). */
  quantileRange?: [number, number];
  withCentering?: boolean;
  withScaling?: boolean;
}

/**
 * Centers on the median and divides by the inter-quantile range (linear interpolation between
 * order statistics). A zero range gives scale 1. Missing values are ignored when fitting.
 */
export class RobustScaler implements Transformer {
  readonly kind = "RobustScaler";
  columns: string[] = [];
  center: number[] = [];
  scale: number[] = [];
  fitted = false;
  constructor(readonly options: RobustScalerOptions = {}) {}

  fit(df: DataFrame): this {
    this.columns = pickNumeric(df, this.options.columns, this.options.exclude);
    assertColumns(this.kind, df, this.columns);
    const [qlo, qhi] = this.options.quantileRange ?? [25, 75];
    const cols = pl.col(this.columns);
    const med = df.select(cols.median()).row(0) as (number | null)[];
    const lo = df.select(pl.col(this.columns).quantile(qlo / 100, "linear")).row(0) as (number | null)[];
    const hi = df.select(pl.col(this.columns).quantile(qhi / 100, "linear")).row(0) as (number | null)[];
    this.center = this.columns.map((_, i) => ((this.options.withCentering ?? true) ? (med[i] ?? 0) : 0));
    this.scale = this.columns.map((_, i) => {
      const s = (hi[i] ?? 0) - (lo[i] ?? 0);
      return (this.options.withScaling ?? true) && s !== 0 ? s : 1;
    });
    this.fitted = true;
    return this;
  }

  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    assertColumns(this.kind, df, this.columns);
    return affine(df, this.columns, this.center, this.scale);
  }

  fitTransform(df: DataFrame): DataFrame {
    return this.fit(df).transform(df);
  }

  toJSON(): TransformerJSON {
    return { kind: this.kind, options: this.options, columns: this.columns, center: this.center, scale: this.scale, fitted: this.fitted };
  }

  /** Restores a scaler saved with toJSON(). */
  static fromJSON(json: TransformerJSON): RobustScaler {
    expectKind(json, "RobustScaler");
    const s = new RobustScaler((json.options ?? {}) as RobustScalerOptions);
    Object.assign(s, { columns: json.columns, center: json.center, scale: json.scale, fitted: Boolean(json.fitted) });
    return s;
  }
}
