/** Standardization: (x − mean) / std, learned per column on the training data. */
import { pl, type DataFrame } from "../polars";
import { affine } from "../sql-columns";
import { assertColumns, assertFitted, BaseStep, type StepSummary } from "./step";
import { pickNumeric } from "./numeric-columns";

/** Options for {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Columns to scale (default: all numeric columns at fit time). */
  columns?: string[];
  /** Columns never scaled (e.g. the target). */
  exclude?: string[];
  /** Subtract the mean (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (default true). */
  withStd?: boolean;
}

/**
 * Centers and scales columns to zero mean and unit variance. The std is the population one
 * (divide by n); a constant column gets scale 1. Missing values are ignored when fitting and
 * stay missing. Output columns are Float64.
 */
export class StandardScaler extends BaseStep<StandardScalerOptions, { columns: string[]; mean: number[]; scale: number[] }> {
  static override readonly kind = "StandardScaler";
  columns: string[] = [];
  mean: number[] = [];
  scale: number[] = [];
  constructor(options: StandardScalerOptions = {}) {
    super(options);
  }

  fit(df: DataFrame): this {
    this.columns = pickNumeric(df, this.options.columns, this.options.exclude);
    assertColumns(this.kind, df, this.columns);
    if (this.columns.length === 0) throw new Error("StandardScaler: no numeric columns to scale");
    // one multi-column expression per statistic (few JS-side expression objects)
    const k = this.columns.length;
    const row = df.select(pl.col(this.columns).mean().prefix("\u0000m_"), pl.col(this.columns).std().prefix("\u0000s_")).row(0) as (number | null)[];
    const means = row.slice(0, k);
    const stds = row.slice(k, 2 * k);
    const nulls = df.select(pl.col(this.columns)).nullCount().row(0) as number[];
    const withMean = this.options.withMean ?? true;
    const withStd = this.options.withStd ?? true;
    this.mean = this.columns.map((_, i) => (withMean ? (means[i] ?? 0) : 0));
    this.scale = this.columns.map((_, i) => {
      // Polars gives the sample std (n - 1); the scaler uses the population std (n)
      const n = df.height - Number(nulls[i] ?? 0);
      const s = n > 1 && stds[i] !== null ? (stds[i] as number) * Math.sqrt((n - 1) / n) : 0;
      return withStd && s !== null && s !== 0 && Number.isFinite(s) ? s : 1;
    });
    this.markFitted(df.height);
    return this;
  }

  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    assertColumns(this.kind, df, this.columns);
    return affine(df, this.columns, this.mean, this.scale);
  }

  protected getState() {
    return { columns: this.columns, mean: this.mean, scale: this.scale };
  }

  protected setState(s: { columns: string[]; mean: number[]; scale: number[] }): void {
    Object.assign(this, { columns: s.columns, mean: s.mean, scale: s.scale });
  }

  protected summary(): StepSummary {
    return {
      params: { columns: this.fitted ? this.columns : this.options.columns, exclude: this.options.exclude, withMean: this.options.withMean, withStd: this.options.withStd },
      table: { header: ["column", "mean", "scale"], rows: this.columns.map((c, i) => [c, this.mean[i], this.scale[i]]) },
    };
  }
}
