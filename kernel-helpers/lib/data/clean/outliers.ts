/** Outlier bounds (IQR or z-score) learned on training data; clip values to them or drop rows outside. */
import { pl, asFloat, columnDtypes, type DataFrame, type Expr } from "../polars";
import { assertFitted, assertColumns, BaseStep, type StepSummary } from "../features/step";
import { pickNumeric } from "../features/numeric-columns";

/** Options for {@link OutlierClipper}, {@link clipOutliers} and {@link dropOutliers}. */
export interface OutlierOptions {
  /** "iqr": outside [q1 − k·IQR, q3 + k·IQR] (default, k = 1.5); "zscore": |x − mean| > k·std (k = 3, sample std). */
  method?: "iqr" | "zscore";
  /** The k above. */
  factor?: number;
  columns?: string[];
  exclude?: string[];
}

/** Learns per-column bounds on training data and clips later data into them (a pipeline step). */
export class OutlierClipper extends BaseStep<OutlierOptions, { columns: string[]; lower: number[]; upper: number[] }> {
  static override readonly kind = "OutlierClipper";
  columns: string[] = [];
  lower: number[] = [];
  upper: number[] = [];
  constructor(options: OutlierOptions = {}) {
    super(options);
  }

  fit(df: DataFrame): this {
    this.columns = pickNumeric(df, this.options.columns, this.options.exclude);
    assertColumns(this.kind, df, this.columns);
    const method = this.options.method ?? "iqr";
    const k = this.options.factor ?? (method === "iqr" ? 1.5 : 3);
    const types = columnDtypes(df);
    const exprs: Expr[] = this.columns.flatMap((c, i) => {
      const x = asFloat(types, c);
      return method === "iqr"
        ? [x.quantile(0.25, "linear").alias(`a${i}`), x.quantile(0.75, "linear").alias(`b${i}`)]
        : [x.mean().alias(`a${i}`), x.std().alias(`b${i}`)];
    });
    const r = df.select(...exprs).toRecords()[0] as Record<string, number | null>;
    this.lower = [];
    this.upper = [];
    this.columns.forEach((_, i) => {
      const a = r[`a${i}`] ?? 0;
      const b = r[`b${i}`] ?? 0;
      if (method === "iqr") {
        this.lower.push(a - k * (b - a));
        this.upper.push(b + k * (b - a));
      } else {
        this.lower.push(a - k * b);
        this.upper.push(a + k * b);
      }
    });
    this.markFitted(df.height);
    return this;
  }

  /** Clips each column into its learned bounds (missing values stay missing). */
  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    const types = columnDtypes(df);
    return df.withColumns(...this.columns.map((c, i) => asFloat(types, c).clip(this.lower[i], this.upper[i]).alias(c)));
  }

  /** Keeps only rows inside the bounds on every column (missing values pass). */
  filter(df: DataFrame): DataFrame {
    assertFitted(this);
    if (this.columns.length === 0) return df;
    const types = columnDtypes(df);
    const inside = this.columns
      .map((c, i) => pl.col(c).isNull().or(asFloat(types, c).gtEq(this.lower[i]).and(asFloat(types, c).ltEq(this.upper[i]))))
      .reduce((a, b) => a.and(b));
    return df.filter(inside);
  }

  /** Number of values outside the bounds, per column. */
  count(df: DataFrame): Record<string, number> {
    assertFitted(this);
    const types = columnDtypes(df);
    const r = df.select(
      ...this.columns.map((c, i) => asFloat(types, c).lt(this.lower[i]).or(asFloat(types, c).gt(this.upper[i])).sum().alias(c)),
    ).toRecords()[0] as Record<string, number>;
    return Object.fromEntries(this.columns.map((c) => [c, Number(r[c] ?? 0)]));
  }

  protected getState() {
    return { columns: this.columns, lower: this.lower, upper: this.upper };
  }

  protected setState(s: { columns: string[]; lower: number[]; upper: number[] }): void {
    Object.assign(this, { columns: s.columns, lower: s.lower, upper: s.upper });
  }

  protected summary(): StepSummary {
    return {
      params: { method: this.options.method ?? "iqr", factor: this.options.factor, columns: this.fitted ? this.columns : this.options.columns, exclude: this.options.exclude },
      table: { header: ["column", "lower", "upper"], rows: this.columns.map((c, i) => [c, this.lower[i], this.upper[i]]) },
    };
  }
}

/** Clips outliers of the frame's numeric columns to bounds learned from the same frame. */
export function clipOutliers(df: DataFrame, options: OutlierOptions = {}): DataFrame {
  return new OutlierClipper(options).fitTransform(df);
}

/** Drops rows with an outlier in any of the columns (bounds learned from the same frame). */
export function dropOutliers(df: DataFrame, options: OutlierOptions = {}): DataFrame {
  return new OutlierClipper(options).fit(df).filter(df);
}
