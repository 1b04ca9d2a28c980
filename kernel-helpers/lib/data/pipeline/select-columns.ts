/** A pipeline step that keeps or drops columns (e.g. drop an ID column before modelling). */
import { pl, type DataFrame } from "../polars";
import { assertColumns, BaseStep, type StepSummary } from "../features/step";

/** Options for {@link SelectColumns}: `columns` to keep (in that order), or `exclude` to drop. */
export interface SelectColumnsOptions {
  /** Keep only these, in this order. */
  columns?: string[];
  /** Drop these. */
  exclude?: string[];
  /** @deprecated use `columns`. */
  keep?: string[];
  /** @deprecated use `exclude`. */
  drop?: string[];
}

/** Keeps only `columns` (in that order) or removes `exclude`. Learns nothing. */
export class SelectColumns extends BaseStep<SelectColumnsOptions, Record<string, never>> {
  static override readonly kind = "SelectColumns";
  constructor(options: SelectColumnsOptions) {
    super(options ?? {});
    this.markFitted(undefined);
  }

  /** @deprecated the options (`{ columns }` / `{ exclude }`). */
  get spec(): SelectColumnsOptions {
    return this.options;
  }

  private get keep(): string[] | undefined {
    return this.options.columns ?? this.options.keep;
  }

  fit(): this {
    return this;
  }

  transform(df: DataFrame): DataFrame {
    const keep = this.keep;
    if (keep) {
      assertColumns(this.kind, df, keep);
      return df.select(...keep.map((c) => pl.col(c)));
    }
    const drop = this.options.exclude ?? this.options.drop ?? [];
    return df.select(...df.columns.filter((c) => !drop.includes(c)).map((c) => pl.col(c)));
  }

  protected getState(): Record<string, never> {
    return {};
  }

  protected setState(): void {}

  protected summary(): StepSummary {
    return { params: { columns: this.keep, exclude: this.options.exclude ?? this.options.drop } };
  }
}
