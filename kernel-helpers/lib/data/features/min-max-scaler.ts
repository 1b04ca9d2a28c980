/** Min-max scaling to a target range, learned per column on the training data. */
import { pl, asFloat, columnDtypes, type DataFrame } from "../polars";
import { sqlFloat, sqlNumber, withSqlColumns } from "../sql-columns";
import { assertColumns, assertFitted, BaseStep, type StepSummary } from "./step";
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
export class MinMaxScaler extends BaseStep<MinMaxScalerOptions, { columns: string[]; dataMin: number[]; dataMax: number[]; scale: number[]; offset: number[] }> {
  static override readonly kind = "MinMaxScaler";
  columns: string[] = [];
  dataMin: number[] = [];
  dataMax: number[] = [];
  scale: number[] = [];
  offset: number[] = [];
  constructor(options: MinMaxScalerOptions = {}) {
    super(options);
  }

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
    this.markFitted(df.height);
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

  protected getState(): { columns: string[]; dataMin: number[]; dataMax: number[]; scale: number[]; offset: number[] } {
    return { columns: this.columns, dataMin: this.dataMin, dataMax: this.dataMax, scale: this.scale, offset: this.offset };
  }

  protected setState(s: { columns: string[]; dataMin: number[]; dataMax: number[]; scale: number[]; offset: number[] }): void {
    Object.assign(this, { columns: s.columns, dataMin: s.dataMin, dataMax: s.dataMax, scale: s.scale, offset: s.offset });
  }

  protected summary(): StepSummary {
    return {
      params: { columns: this.fitted ? this.columns : this.options.columns, exclude: this.options.exclude, featureRange: this.options.featureRange, clip: this.options.clip },
      table: { header: ["column", "min", "max", "scale", "offset"], rows: this.columns.map((c, i) => [c, this.dataMin[i], this.dataMax[i], this.scale[i], this.offset[i]]) },
    };
  }
}
