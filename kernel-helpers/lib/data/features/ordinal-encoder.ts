/** Ordinal encoding: each category becomes its index in the sorted training categories. */
import { pl, columnDtypes, type DataFrame } from "../polars";
import { assertColumns, assertFitted, BaseStep, type StepSummary } from "./step";
import { learnCategories, comparable, type Category } from "./categories";

/** Options for {@link OrdinalEncoder}. */
export interface OrdinalEncoderOptions {
  /** Columns to encode (default: every String/Categorical/Bool column at fit time). */
  columns?: string[];
  /** Columns never encoded (e.g. the target). */
  exclude?: string[];
  /** Explicit category order per column (e.g. low < mid < high) instead of sorted. */
  categories?: Record<string, Category[]>;
  /** Code for categories unseen in training; without it an unseen category is an error. */
  unknownValue?: number;
}

/** Replaces categories by Int32 codes 0..k-1 (sorted order, or the order given); missing stays missing unless seen as a category. */
export class OrdinalEncoder extends BaseStep<OrdinalEncoderOptions, { columns: string[]; categories: Category[][] }> {
  static override readonly kind = "OrdinalEncoder";
  columns: string[] = [];
  categories: Category[][] = [];
  constructor(options: OrdinalEncoderOptions = {}) {
    super(options);
  }

  fit(df: DataFrame): this {
    const exclude = this.options.exclude ?? [];
    this.columns = (this.options.columns ?? df.columns.filter((_, i) => /String|Utf8|Categorical|Bool|Enum/.test(String(df.dtypes[i])))).filter((c) => !exclude.includes(c));
    assertColumns(this.kind, df, this.columns);
    this.categories = this.columns.map((c) => (this.options.categories?.[c] ?? learnCategories(df, c)).filter((v) => v !== null));
    this.markFitted(df.height);
    return this;
  }

  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    assertColumns(this.kind, df, this.columns);
    const types = columnDtypes(df);
    return df.withColumns(
      ...this.columns.map((c, i) => {
        const cats = this.categories[i] as (string | number)[];
        const x = comparable(types, c);
        if (this.options.unknownValue === undefined) {
          const bad = df.filter(x.isNotNull().and(x.isIn(cats).not())).select(x.alias("v")).getColumn("v").head(3).toArray();
          if (bad.length) throw new Error(`OrdinalEncoder: column "${c}" has categories not seen in training: ${bad.map((v) => JSON.stringify(v)).join(", ")} (set unknownValue)`);
        }
        const codes = cats.map((_, k) => k);
        const mapped = x.replaceStrict(cats, codes, this.options.unknownValue ?? pl.lit(null), pl.Int32);
        return pl.when(x.isNull()).then(pl.lit(null).cast(pl.Int32)).otherwise(mapped).alias(c);
      }),
    );
  }

  protected getState(): { columns: string[]; categories: Category[][] } {
    return { columns: this.columns, categories: this.categories };
  }

  protected setState(s: { columns: string[]; categories: Category[][] }): void {
    Object.assign(this, { columns: s.columns, categories: s.categories });
  }

  protected summary(): StepSummary {
    return {
      params: { columns: this.fitted ? this.columns : this.options.columns, exclude: this.options.exclude, unknownValue: this.options.unknownValue },
      table: { header: ["column", "categories (code 0, 1, …)"], rows: this.columns.map((c, i) => [c, this.categories[i].map(String).join(", ")]) },
    };
  }
}
