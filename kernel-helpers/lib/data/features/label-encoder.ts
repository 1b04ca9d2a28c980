/** Label encoding of a target: class values ↔ integer codes 0..k-1. */
import { pl, type DataFrame, type Series } from "../polars";
import { assertFitted, expectKind, type TransformerJSON } from "./transformer";
import { type Category } from "./categories";

/**
 * Encodes one target column's classes as Int32 codes (sorted classes). Works on a column of a
 * DataFrame (`transform(df)` replaces it) or on a Series / array (`encode`, `decode`).
 */
export class LabelEncoder {
  readonly kind = "LabelEncoder";
  classes: Exclude<Category, null>[] = [];
  fitted = false;
  constructor(readonly column?: string) {}

  private values(y: DataFrame | Series | readonly unknown[]): unknown[] {
    if (Array.isArray(y)) return y as unknown[];
    if (typeof (y as DataFrame).getColumn === "function") {
      if (!this.column) throw new Error("LabelEncoder: give the column name (new LabelEncoder(\"y\")) to use a DataFrame");
      return (y as DataFrame).getColumn(this.column).toArray();
    }
    return (y as Series).toArray();
  }

  /** Learns the sorted set of classes. Missing labels are an error. */
  fit(y: DataFrame | Series | readonly unknown[]): this {
    const vals = this.values(y);
    if (vals.some((v) => v === null || v === undefined)) throw new Error("LabelEncoder: the target has missing values; drop or impute them first");
    const set = [...new Set(vals.map((v) => (typeof v === "bigint" ? Number(v) : v)))] as Exclude<Category, null>[];
    set.sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    this.classes = set;
    this.fitted = true;
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
  transform(df: DataFrame): DataFrame {
    assertFitted(this);
    if (!this.column) throw new Error("LabelEncoder: transform(df) needs the column name (new LabelEncoder(\"y\"))");
    const x = pl.col(this.column);
    const classes = this.classes as (string | number)[];
    const bad = df.filter(x.isIn(classes).not().or(x.isNull())).height;
    if (bad > 0) throw new Error(`LabelEncoder: ${bad} row(s) of "${this.column}" hold labels not seen in training or missing`);
    return df.withColumns(x.replaceStrict(classes, classes.map((_, i) => i), pl.lit(null), pl.Int32).alias(this.column));
  }

  fitTransform(df: DataFrame): DataFrame {
    return this.fit(df).transform(df);
  }

  toJSON(): TransformerJSON {
    return { kind: this.kind, column: this.column, classes: this.classes, fitted: this.fitted };
  }

  /** Restores an encoder saved with toJSON(). */
  static fromJSON(json: TransformerJSON): LabelEncoder {
    expectKind(json, "LabelEncoder");
    const e = new LabelEncoder(json.column as string | undefined);
    e.classes = json.classes as Exclude<Category, null>[];
    e.fitted = Boolean(json.fitted);
    return e;
  }
}
