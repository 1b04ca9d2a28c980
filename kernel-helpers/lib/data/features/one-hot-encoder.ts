/** One-hot encoding of categorical columns, categories learned on the training data. */
import { pl, columnDtypes, dtypeOf, type DataFrame, type Dtypes, type Expr } from "../polars";
import { assertColumns, assertFitted, BaseStep, type StepSummary } from "./step";
import { learnCategories, comparable, categoryColumnName, type Category } from "./categories";
import { selectBySql, sqlIdent, sqlLiteral } from "../sql-columns";

/** Options for {@link OneHotEncoder}. */
export interface OneHotEncoderOptions {
  /** Columns to encode (default: every String/Categorical/Bool column at fit time). */
  columns?: string[];
  /** Columns never encoded (e.g. the target). */
  exclude?: string[];
  /** Unknown category at transform time: "error" (default) or "ignore" (all indicator columns 0). */
  handleUnknown?: "error" | "ignore";
  /** Drop the first category of each column ("first") or only of two-category columns ("ifBinary"). */
  drop?: "first" | "ifBinary";
  /** Keep the original columns beside the indicators (default false). */
  keepOriginal?: boolean;
}

/**
 * Replaces each categorical column by one UInt8 indicator column per category seen in training
 * (`col_value`, sorted categories; missing values form their own `col_null` category, last).
 */
export class OneHotEncoder extends BaseStep<OneHotEncoderOptions, { columns: string[]; categories: Category[][] }> {
  static override readonly kind = "OneHotEncoder";
  columns: string[] = [];
  categories: Category[][] = [];
  constructor(options: OneHotEncoderOptions = {}) {
    super(options);
  }

  fit(df: DataFrame): this {
    const exclude = this.options.exclude ?? [];
    this.columns = (this.options.columns ?? df.columns.filter((_, i) => /String|Utf8|Categorical|Bool|Enum/.test(String(df.dtypes[i])))).filter((c) => !exclude.includes(c));
    assertColumns(this.kind, df, this.columns);
    this.categories = this.columns.map((c) => learnCategories(df, c));
    this.markFitted(df.height);
    return this;
  }

  /** Category lists actually emitted (after `drop`). */
  private kept(i: number): Category[] {
    const cats = this.categories[i];
    if (this.options.drop === "first" || (this.options.drop === "ifBinary" && cats.length === 2)) return cats.slice(1);
    return cats;
  }

  /** Names of the output indicator columns, in order. */
  featureNames(): string[] {
    assertFitted(this);
    return this.columns.flatMap((c, i) => this.kept(i).map((v) => categoryColumnName(c, v)));
  }

  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    assertColumns(this.kind, df, this.columns);
    if ((this.options.handleUnknown ?? "error") === "error") this.checkUnknown(df);
    return this.transformBySql(df) ?? this.transformByExpr(df);
  }

  /** SQL text for the column, comparable with the category literals. */
  private sqlValue(types: Dtypes, c: string): string {
    return /Categorical|Enum/.test(String(dtypeOf(types, c))) ? `CAST(${sqlIdent(c)} AS VARCHAR)` : sqlIdent(c);
  }

  /** All indicator columns in one SQL projection (few JS-side expression objects). */
  private transformBySql(df: DataFrame): DataFrame | undefined {
    const items: string[] = [];
    const added: string[] = [];
    const types = columnDtypes(df);
    for (const c of df.columns) {
      const i = this.columns.indexOf(c);
      if (i < 0 || this.options.keepOriginal) items.push(sqlIdent(c));
      if (i < 0) continue;
      const x = this.sqlValue(types, c);
      for (const v of this.kept(i)) {
        const lit = v === null ? "" : sqlLiteral(v);
        if (lit === undefined) return undefined;
        const name = categoryColumnName(c, v);
        items.push(`CASE WHEN ${v === null ? `${x} IS NULL` : `${x} = ${lit}`} THEN 1 ELSE 0 END AS ${sqlIdent(name)}`);
        added.push(name);
      }
    }
    const out = selectBySql(df, items);
    if (!out || out.height !== df.height) return undefined;
    return added.length ? out.withColumns(pl.col(added).cast(pl.UInt8)) : out;
  }

  private transformByExpr(df: DataFrame): DataFrame {
    let out = df;
    const types = columnDtypes(df);
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      const x = comparable(types, c);
      const ind: Expr[] = this.kept(i).map((v) =>
        (v === null ? x.isNull() : x.eq(pl.lit(v)).fillNull(false)).cast(pl.UInt8).alias(categoryColumnName(c, v)),
      );
      const at = out.columns.indexOf(c);
      const before = out.columns.slice(0, this.options.keepOriginal ? at + 1 : at);
      const after = out.columns.slice(at + 1);
      out = out.select(...before.map((n) => pl.col(n)), ...ind, ...after.map((n) => pl.col(n)));
    }
    return out;
  }

  private checkUnknown(df: DataFrame): void {
    // one SQL count of unknown values per column; only when some exist are they looked up by expressions
    const counts: string[] = [];
    const types = columnDtypes(df);
    for (let i = 0; i < this.columns.length; i++) {
      const x = this.sqlValue(types, this.columns[i]);
      const known = this.categories[i];
      const lits = known.filter((v) => v !== null).map((v) => sqlLiteral(v as string | number | boolean));
      if (lits.some((l) => l === undefined)) break;
      const notKnown = lits.length ? `${x} NOT IN (${lits.join(", ")})` : "TRUE";
      const cond = known.includes(null) ? `${x} IS NOT NULL AND ${notKnown}` : `${x} IS NULL OR ${notKnown}`;
      counts.push(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`);
    }
    if (counts.length === this.columns.length) {
      const row = selectBySql(df, counts.map((e, k) => `${e} AS n${k}`))?.row(0);
      if (row && row.every((n) => Number(n ?? 0) === 0)) return;
    }
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      const known = this.categories[i];
      const x = comparable(types, c);
      const nonNull = known.filter((v) => v !== null) as (string | number)[];
      let bad = x.isIn(nonNull).not();
      bad = known.includes(null) ? bad.and(x.isNotNull()) : bad.or(x.isNull());
      const unknown = df.filter(bad.fillNull(true)).select(x.alias("v")).getColumn("v").head(3).toArray();
      if (unknown.length > 0) {
        throw new Error(`OneHotEncoder: column "${c}" has categories not seen in training: ${unknown.map((v) => JSON.stringify(v)).join(", ")} (use handleUnknown: "ignore")`);
      }
    }
  }

  protected getState(): { columns: string[]; categories: Category[][] } {
    return { columns: this.columns, categories: this.categories };
  }

  protected setState(s: { columns: string[]; categories: Category[][] }): void {
    Object.assign(this, { columns: s.columns, categories: s.categories });
  }

  protected summary(): StepSummary {
    return {
      params: { columns: this.fitted ? this.columns : this.options.columns, exclude: this.options.exclude, handleUnknown: this.options.handleUnknown, drop: this.options.drop },
      table: { header: ["column", "categories"], rows: this.columns.map((c, i) => [c, this.categories[i].map((v) => (v === null ? "null" : String(v))).join(", ")]) },
    };
  }
}
