/** Missing-value imputation (mean / median / most frequent / constant), optionally per group. */
import { pl, columnDtypes, dtypeOf, asFloat, isNumericDtype, numericColumns, type DataFrame, type Dtypes, type Expr } from "../polars";
import { sqlFloat, sqlNumber, withSqlColumns } from "../sql-columns";
import { assertColumns, assertFitted, BaseStep, type StepSummary } from "../features/step";

/** How a column's missing values are filled. "mode" is the most frequent value (ties: the smallest). */
export type ImputeStrategy = "mean" | "median" | "mode" | "constant";

/** Options for {@link SimpleImputer}. */
export interface ImputerOptions {
  strategy?: ImputeStrategy;
  /** Columns to impute; default: numeric columns for mean/median, all columns for mode/constant. */
  columns?: string[];
  /** Columns never imputed (e.g. the target). */
  exclude?: string[];
  /** Fill value for "constant" (default 0 for numbers, "missing" for text). */
  fillValue?: number | string;
  /** Learn the statistic per group of this column (e.g. median Income per Job); unseen/empty groups use the overall one. */
  by?: string;
  /** Add a UInt8 `<col>_missing` indicator column for each imputed column (default false). */
  addIndicator?: boolean;
}

type Fill = number | string | boolean | null;

/**
 * Fills missing values with a statistic learned on the training data. mean/median output Float64
 * columns. With `by`, the statistic is learned per group and joined back.
 */
type ImputerState = { columns: string[]; fill: Fill[]; groupFill: { keys: (string | number | null)[]; values: Fill[][] } | null };

export class SimpleImputer extends BaseStep<ImputerOptions, ImputerState> {
  static override readonly kind = "SimpleImputer";
  columns: string[] = [];
  /** Overall fill value per column. */
  fill: Fill[] = [];
  /** With `by`: group key → fill value per column. */
  groupFill: { keys: (string | number | null)[]; values: Fill[][] } | null = null;
  constructor(options: ImputerOptions = {}) {
    super(options);
  }

  private get strategy(): ImputeStrategy {
    return this.options.strategy ?? "mean";
  }

  fit(df: DataFrame): this {
    const s = this.strategy;
    const exclude = [...(this.options.exclude ?? []), ...(this.options.by ? [this.options.by] : [])];
    this.columns = (this.options.columns ?? (s === "mean" || s === "median" ? numericColumns(df) : df.columns)).filter((c) => !exclude.includes(c));
    assertColumns(this.kind, df, this.columns);
    if (s === "mean" || s === "median") {
      const types = columnDtypes(df);
      const bad = this.columns.filter((c) => !isNumericDtype(dtypeOf(types, c)));
      if (bad.length) throw new Error(`SimpleImputer: strategy "${s}" needs numeric columns; ${bad.join(", ")} are not (use "mode" or "constant")`);
    }
    this.fill = this.statistics(df);
    if (this.options.by) {
      const by = this.options.by;
      assertColumns(this.kind, df, [by]);
      const keys = df.getColumn(by).unique().toArray() as (string | number | null)[];
      const parts = df.partitionBy(by, true, true);
      const byKey = new Map<unknown, DataFrame>(parts.map((p) => [p.getColumn(by).get(0), p]));
      this.groupFill = {
        keys,
        values: keys.map((k) => {
          const part = byKey.get(k)!;
          return this.statistics(part).map((v, i) => (v === null ? this.fill[i] : v));
        }),
      };
    }
    this.markFitted(df.height);
    return this;
  }

  /** The fill value of every column on this frame; mean/median in one Polars pass. */
  private statistics(df: DataFrame): Fill[] {
    const s = this.strategy;
    if (s === "mean" || s === "median") {
      // one multi-column expression (few JS-side expression objects)
      const cols = pl.col(this.columns);
      const row = df.select(s === "mean" ? cols.mean() : cols.median()).row(0) as (number | null)[];
      return this.columns.map((_, i) => row[i] ?? null);
    }
    const types = columnDtypes(df);
    return this.columns.map((c) => this.statistic(df, types, c));
  }

  /** The fill value of one column for "mode" or "constant" (mean and median come from {@link statistics}). */
  private statistic(df: DataFrame, types: Dtypes, c: string): Fill {
    if (this.strategy === "constant") return this.options.fillValue ?? (isNumericDtype(dtypeOf(types, c)) ? 0 : "missing");
    const vc = df.getColumn(c).dropNulls().valueCounts(false).toRecords() as Record<string, unknown>[];
    if (vc.length === 0) return null;
    let best = vc[0];
    for (const r of vc) {
      const better = Number(r.count) > Number(best.count) ||
        (Number(r.count) === Number(best.count) && String(r[c]) !== String(best[c]) && lessThan(r[c], best[c]));
      if (better) best = r;
    }
    const v = best[c];
    return typeof v === "bigint" ? Number(v) : (v as Fill);
  }

  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    assertColumns(this.kind, df, this.columns);
    const numericOut = this.strategy === "mean" || this.strategy === "median";
    const indicators: Expr[] = this.options.addIndicator
      ? this.columns.map((c) => pl.col(c).isNull().cast(pl.UInt8).alias(`${c}_missing`))
      : [];
    const types = columnDtypes(df);
    const base = (c: string) => {
      const isCat = String(dtypeOf(types, c)).includes("Categorical");
      return numericOut ? asFloat(types, c) : isCat ? pl.col(c).cast(pl.String) : pl.col(c);
    };
    if (!this.options.by || !this.groupFill) {
      if (numericOut && !this.options.addIndicator) {
        const replace = new Map<string, string>();
        this.columns.forEach((c, i) => {
          const v = sqlNumber(Number(this.fill[i]));
          if (v !== undefined && typeof this.fill[i] === "number") replace.set(c, `COALESCE(${sqlFloat(types, c)}, ${v})`);
        });
        const viaSql = replace.size === this.columns.length ? withSqlColumns(df, replace) : undefined;
        if (viaSql) return viaSql;
      }
      const out = df.withColumns(...indicators, ...this.columns.map((c, i) => base(c).fillNull(pl.lit(this.fill[i])).alias(c)));
      return out;
    }
    const by = this.options.by;
    const g = this.groupFill;
    const lookup: Record<string, unknown[]> = { [by]: g.keys };
    this.columns.forEach((c, i) => (lookup[`\u0000fill${i}`] = g.values.map((v) => v[i])));
    let table = pl.DataFrame(lookup);
    table = table.withColumns(pl.col(by).cast(dtypeOf(types, by)));
    const joined = df.withRowIndex("\u0000row").join(table, { on: by, how: "left" }).sort("\u0000row");
    return joined
      .withColumns(...indicators, ...this.columns.map((c, i) => base(c).fillNull(pl.col(`\u0000fill${i}`)).fillNull(pl.lit(this.fill[i])).alias(c)))
      .select(...df.columns.map((c) => pl.col(c)), ...indicators.map((_, i) => pl.col(`${this.columns[i]}_missing`)));
  }

  protected getState(): ImputerState {
    return { columns: this.columns, fill: this.fill, groupFill: this.groupFill };
  }

  protected setState(s: ImputerState): void {
    Object.assign(this, { columns: s.columns, fill: s.fill, groupFill: s.groupFill ?? null });
  }

  protected summary(): StepSummary {
    return {
      params: { strategy: this.strategy, columns: this.fitted ? this.columns : this.options.columns, exclude: this.options.exclude, by: this.options.by, addIndicator: this.options.addIndicator },
      table: { header: ["column", "fill", ...(this.groupFill ? ["groups"] : [])], rows: this.columns.map((c, i) => [c, this.fill[i], ...(this.groupFill ? [this.groupFill.keys.length] : [])]) },
    };
  }
}

function lessThan(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  return String(a) < String(b);
}

/** Fills missing values in one call (fit and transform on the same frame): `impute(df, { strategy: "median", by: "Job" })`. */
export function impute(df: DataFrame, options: ImputerOptions = {}): DataFrame {
  return new SimpleImputer(options).fitTransform(df);
}
