/** Robust scaling: (x − median) / IQR, insensitive to outliers. */
import { pl, type DataFrame } from "../polars";
import { affine } from "../sql-columns";
import { assertColumns, assertFitted, BaseStep, type StepSummary } from "./step";
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
export class RobustScaler extends BaseStep<RobustScalerOptions, { columns: string[]; center: number[]; scale: number[] }> {
  static override readonly kind = "RobustScaler";
  columns: string[] = [];
  center: number[] = [];
  scale: number[] = [];
  constructor(options: RobustScalerOptions = {}) {
    super(options);
  }

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
    this.markFitted(df.height);
    return this;
  }

  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    assertColumns(this.kind, df, this.columns);
    return affine(df, this.columns, this.center, this.scale);
  }

  protected getState(): { columns: string[]; center: number[]; scale: number[] } {
    return { columns: this.columns, center: this.center, scale: this.scale };
  }

  protected setState(s: { columns: string[]; center: number[]; scale: number[] }): void {
    Object.assign(this, { columns: s.columns, center: s.center, scale: s.scale });
  }

  protected summary(): StepSummary {
    return {
      params: { columns: this.fitted ? this.columns : this.options.columns, exclude: this.options.exclude, quantileRange: this.options.quantileRange },
      table: { header: ["column", "center", "scale"], rows: this.columns.map((c, i) => [c, this.center[i], this.scale[i]]) },
    };
  }
}
