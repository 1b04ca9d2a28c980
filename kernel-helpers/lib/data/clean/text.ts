/** Text normalization of string columns, done by Polars string expressions. */
import { pl, type DataFrame, type Expr } from "../polars";
import { assertColumns } from "../features/transformer";

/** Options for {@link normalizeText}; each step defaults to true except where noted. */
export interface NormalizeTextOptions {
  /** Remove leading/trailing whitespace. */
  trim?: boolean;
  /** Replace runs of whitespace by one space. */
  collapseWhitespace?: boolean;
  /** Lower-case (default true). */
  lowercase?: boolean;
  /** Remove punctuation characters (default false). */
  stripPunctuation?: boolean;
  /** Turn empty strings (after the steps above) into missing values. */
  emptyAsMissing?: boolean;
}

/** The normalization of one string expression. */
export function normalizeTextExpr(e: Expr, options: NormalizeTextOptions = {}): Expr {
  let x = e.cast(pl.String);
  if (options.collapseWhitespace ?? true) x = x.str.replaceAll(/\s+/, " ");
  if (options.trim ?? true) x = x.str.strip();
  if (options.lowercase ?? true) x = x.str.toLowerCase();
  if (options.stripPunctuation) x = x.str.replaceAll(/[\p{P}]/u, "");
  if (options.emptyAsMissing ?? true) x = pl.when(x.eq(pl.lit(""))).then(pl.lit(null).cast(pl.String)).otherwise(x);
  return x;
}

/**
 * Normalizes text columns (default: every String column): whitespace collapsed and trimmed,
 * lower-cased, empty strings made missing — so "Owner ", "owner" and "OWNER" become one category.
 */
export function normalizeText(df: DataFrame, columns?: string[], options: NormalizeTextOptions = {}): DataFrame {
  const cols = columns ?? df.columns.filter((_, i) => /String|Utf8/.test(String(df.dtypes[i])));
  assertColumns("normalizeText", df, cols);
  return df.withColumns(...cols.map((c) => normalizeTextExpr(pl.col(c), options).alias(c)));
}
