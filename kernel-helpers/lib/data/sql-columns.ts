/**
 * Column-wise arithmetic through Polars SQL. Each Polars expression object costs about a
 * millisecond of JS-side wrapping in this nodejs-polars version, so a step over 10 columns built
 * from expressions spends ~100 ms before touching data; one SQL projection costs a few ms. The
 * SQL text is only numbers and quoted names generated here, and every caller falls back to the
 * expression form when Polars SQL refuses a query, so results never depend on this shortcut.
 */
import { pl, columnDtypes, dtypeOf, dtypeName, asFloat, type DataFrame, type Dtypes } from "./polars";

/** A double-quoted SQL identifier. */
export function sqlIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * A finite number as a SQL float literal that parses back to exactly the same double, or
 * undefined when there is none without an exponent (Polars SQL rejects small exponents).
 */
export function sqlNumber(v: number): string | undefined {
  if (!Number.isFinite(v)) return undefined;
  let s = String(v);
  if (/e-/i.test(s)) {
    const decimals = 17 - Math.floor(Math.log10(Math.abs(v)));
    if (decimals > 100) return undefined;
    s = v.toFixed(decimals);
  } else if (!/[.e]/i.test(s)) {
    s += ".0";
  }
  if (Number(s) !== v) return undefined;
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}

/** The column as a DOUBLE in SQL (no cast when it already is one). */
export function sqlFloat(types: Dtypes, column: string): string {
  return dtypeName(dtypeOf(types, column)) === "Float64" ? sqlIdent(column) : `CAST(${sqlIdent(column)} AS DOUBLE)`;
}

/** A string, number or boolean as a SQL literal (undefined when a number has no exact literal). */
export function sqlLiteral(v: string | number | boolean): string | undefined {
  if (typeof v === "string") return "'" + v.replace(/'/g, "''") + "'";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return sqlNumber(v);
}

/** Runs `SELECT <items> FROM frame`; undefined when Polars SQL cannot run it. */
export function selectBySql(df: DataFrame, items: readonly string[]): DataFrame | undefined {
  try {
    const out = pl.SQLContext({ sciforge_frame: df }).execute(`SELECT ${items.join(", ")} FROM sciforge_frame`).collectSync();
    return out.width === items.length ? out : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces the given columns by SQL expressions, keeping every other column and the column
 * order. Returns undefined when Polars SQL cannot run the query (the caller then uses expressions).
 */
export function withSqlColumns(df: DataFrame, replace: Map<string, string>): DataFrame | undefined {
  if (replace.size === 0) return df;
  const out = selectBySql(df, df.columns.map((c) => (replace.has(c) ? `${replace.get(c)} AS ${sqlIdent(c)}` : sqlIdent(c))));
  return out && out.height === df.height ? out : undefined;
}

/**
 * `(x − a) / b` per column, as one SQL projection; undefined if any constant has no exact literal
 * or SQL refuses (callers fall back to expressions).
 */
export function affineBySql(df: DataFrame, columns: readonly string[], sub: readonly number[], div: readonly number[]): DataFrame | undefined {
  const replace = new Map<string, string>();
  const types = columnDtypes(df);
  for (let i = 0; i < columns.length; i++) {
    const a = sqlNumber(sub[i]);
    const b = sqlNumber(div[i]);
    if (a === undefined || b === undefined) return undefined;
    replace.set(columns[i], `(${sqlFloat(types, columns[i])} - ${a}) / ${b}`);
  }
  return withSqlColumns(df, replace);
}

/** `(x − a) / b` per column: one SQL projection where possible, else the same as expressions. */
export function affine(df: DataFrame, columns: readonly string[], sub: readonly number[], div: readonly number[]): DataFrame {
  const bySql = affineBySql(df, columns, sub, div);
  if (bySql) return bySql;
  const types = columnDtypes(df);
  return df.withColumns(...columns.map((c, i) => asFloat(types, c).sub(sub[i]).div(div[i]).alias(c)));
}
