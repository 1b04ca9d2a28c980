/** Label encoding of a target: class values ↔ integer codes 0..k-1. */
import { pl, type DataFrame, type Series } from "../polars";
import { assertFitted, BaseStep, type StepSummary } from "./step";
import { type Category } from "./categories";

/** Options for {@link LabelEncoder}. */
export interface LabelEncoderOptions {
  /** The target column of a frame (needed for `fit(df)` / `transform(df)`; not for arrays and Series). */
  column?: string;
}

type Labels = DataFrame | Series | readonly unknown[];

/**
 * Encodes one target column's classes as Int32 codes (sorted classes). Works on a column of a
 * DataFrame (`transform(df)` replaces it) or on a Series / array (`encode`, `decode`).
 * ```ts
 * const labels = new LabelEncoder({ column: "Status" }).fit(train);
 * const y = labels.encode(train.getColumn("Status"));
 * ```
 */
export class LabelEncoder extends BaseStep<LabelEncoderOptions, { classes: Exclude<Category, null>[] }, Labels, DataFrame> {
  static override readonly kind = "LabelEncoder";
  classes: Exclude<Category, null>[] = [];
  /** @param options the column; a bare string (`new LabelEncoder("y")`) is the deprecated form of `{ column: "y" }`. */
  constructor(options: LabelEncoderOptions | string = {}) {
    super(typeof options === "string" ? { column: options } : options);
  }

  /** The target column (from the options). */
  get column(): string | undefined {
    return this.options.column;
  }

  private values(y: Labels): unknown[] {
    if (Array.isArray(y)) return y as unknown[];
    if (typeof (y as DataFrame).getColumn === "function") {
      if (!this.column) throw new Error('LabelEncoder: give the column to use a DataFrame: new LabelEncoder({ column: "y" })');
      return (y as DataFrame).getColumn(this.column).toArray();
    }
    return (y as Series).toArray();
  }

  /** Learns the sorted set of classes. Missing labels are an error. */
  fit(y: Labels): this {
    const vals = this.values(y);
    if (vals.some((v) => v === null || v === undefined)) throw new Error("LabelEncoder: the target has missing values; drop or impute them first");
    const set = [...new Set(vals.map((v) => (typeof v === "bigint" ? Number(v) : v)))] as Exclude<Category, null>[];
    set.sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    this.classes = set;
    this.markFitted(vals.length);
    return this;
  }

  /** Codes for the given labels; an unseen label is an error. */
  encode(y: Series | readonly unknown[]): Int32Array {
    assertFitted(this);
    const index = new Map<unknown, number>(this.classes.map((c, i) => [c, i]));
    const vals = this.values(y);
    const out = new Int32Array(vals.length);
    for (let i = 0; i < vals.length; i++) {
      const v = typeof vals[i] === "bigint" ? Number(vals[i]) : vals[i];
      const k = index.get(v);
      if (k === undefined) throw new Error(`LabelEncoder: label ${JSON.stringify(v)} (row ${i}) was not seen in training (classes: ${this.classes.join(", ")})`);
      out[i] = k;
    }
    return out;
  }

  /** Labels for the given codes. */
  decode(codes: ArrayLike<number>): Exclude<Category, null>[] {
    assertFitted(this);
    return Array.from(codes, (k) => {
      const c = this.classes[k];
      if (c === undefined) throw new Error(`LabelEncoder: code ${k} out of range 0..${this.classes.length - 1}`);
      return c;
    });
  }

  /** Replaces the target column of a frame by its codes (Int32). */
  transform(df: Labels): DataFrame {
    assertFitted(this);
    if (!this.column || typeof (df as DataFrame).getColumn !== "function") throw new Error('LabelEncoder: transform() replaces a frame\'s column: give it (new LabelEncoder({ column: "y" })) and a DataFrame; use encode() for arrays and Series');
    const x = pl.col(this.column);
    const classes = this.classes as (string | number)[];
    const frame = df as DataFrame;
    const bad = frame.filter(x.isIn(classes).not().or(x.isNull())).height;
    if (bad > 0) throw new Error(`LabelEncoder: ${bad} row(s) of "${this.column}" hold labels not seen in training or missing`);
    return frame.withColumns(x.replaceStrict(classes, classes.map((_, i) => i), pl.lit(null), pl.Int32).alias(this.column));
  }

  protected getState(): { classes: Exclude<Category, null>[] } {
    return { classes: this.classes };
  }

  protected setState(s: { classes: Exclude<Category, null>[] }): void {
    this.classes = s.classes;
  }

  protected summary(): StepSummary {
    return { params: { column: this.column }, table: { header: ["code", "class"], rows: this.classes.map((c, i) => [i, c]) } };
  }
}
