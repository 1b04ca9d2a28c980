/**
 * One-call data profile: per-column statistics computed with Polars expressions (one pass for
 * the scalar statistics, one for outliers and histograms), shown as a rich display.
 */
import { pl, asFloat, columnDtypes, dtypeName, isNumericDtype, type DataFrame, type Expr } from "../polars";
import { REPR, display, type DisplayHandle } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import type { ColumnProfile, DataProfilePayload, ProfileHistogram, TargetBalance } from "./types";
import { sqlFloat, sqlIdent, sqlNumber, withSqlColumns } from "../sql-columns";
import { profileHtml, profileText } from "./render";

/** Options for {@link profile}. */
export interface ProfileOptions {
  /** Column whose class balance is reported. */
  target?: string;
  /** Most frequent values listed per column (default 5). */
  topValues?: number;
  /** Histogram bins for numeric columns (default 16). */
  bins?: number;
}

/** A computed profile: displays richly; the numbers are on `payload`. */
export class DataProfile {
  constructor(readonly payload: DataProfilePayload) {}
  /** The profile of one column by name. */
  column(name: string): ColumnProfile | undefined {
    return this.payload.columnProfiles.find((c) => c.name === name);
  }
  [REPR](): MimeBundle {
    return { [MIME.dataProfile]: this.payload, [MIME.html]: profileHtml(this.payload), [MIME.text]: profileText(this.payload) };
  }
  toJSON(): DataProfilePayload {
    return this.payload;
  }
}


function kindOf(dtype: string, numeric: boolean): ColumnProfile["kind"] {
  if (numeric) return "numeric";
  if (dtype === "Bool") return "boolean";
  if (/^(Date|Datetime|Time|Duration)/.test(dtype)) return "datetime";
  return "categorical";
}

/**
 * Profiles a DataFrame: per column type, missing count and %, distinct count, min/max, mean/std,
 * quartiles, top values, IQR outlier count and a histogram; duplicate rows; class balance of
 * `target`. Show it as the cell's value or with `display(profile(df))`.
 */
export function profile(df: DataFrame, options: ProfileOptions = {}): DataProfile {
  const topN = options.topValues ?? 5;
  const bins = options.bins ?? 16;
  const names = df.columns;
  const numeric = names.filter((_, i) => isNumericDtype(df.dtypes[i]));
  // Few, multi-column expressions: each Polars expression object costs ~1 ms of JS-side wrapping
  // in this nodejs-polars version, so one expression per column and statistic would dominate.
  const missingRow = df.nullCount().row(0) as number[];
  const distinctRow = df.height > 0 ? (df.select(pl.all().dropNulls().nUnique()).row(0) as number[]) : names.map(() => 0);
  const stat: Record<string, (number | null)[]> = {};
  if (numeric.length > 0 && df.height > 0) {
    const cols = () => pl.col(numeric);
    const one = (e: Expr) => (df.select(e).row(0) as (number | bigint | null)[]).map((v) => (v === null ? null : Number(v)));
    stat.min = one(cols().min());
    stat.max = one(cols().max());
    stat.mean = one(cols().mean());
    stat.std = one(cols().std());
    stat.q25 = one(cols().quantile(0.25, "linear"));
    stat.median = one(cols().quantile(0.5, "linear"));
    stat.q75 = one(cols().quantile(0.75, "linear"));
  }
  const get = (c: string, k: string): number | null => {
    const j = numeric.indexOf(c);
    return j < 0 || !stat[k] ? null : stat[k][j];
  };
  const outliers = outlierCounts(df, numeric, stat.q25 ?? [], stat.q75 ?? []);
  const hist = histograms(df, numeric, stat.min ?? [], stat.max ?? [], bins);

  const profiles: ColumnProfile[] = names.map((c, i) => {
    const dtype = dtypeName(df.dtypes[i]);
    const isNum = numeric.includes(c);
    const missing = Number(missingRow[i] ?? 0);
    const count = df.height - missing;
    const p: ColumnProfile = {
      name: c, dtype, kind: kindOf(dtype, isNum), count, missing,
      missingPct: df.height > 0 ? (100 * missing) / df.height : 0,
      distinct: Number(distinctRow[i] ?? 0),
      top: topValues(df, c, topN),
    };
    if (isNum) {
      p.min = get(c, "min");
      p.max = get(c, "max");
      p.mean = get(c, "mean");
      p.std = get(c, "std");
      p.q25 = get(c, "q25");
      p.median = get(c, "median");
      p.q75 = get(c, "q75");
      p.outliers = outliers.get(c) ?? 0;
      const h = hist.get(c);
      if (h) p.histogram = h;
    } else if (p.kind !== "categorical" && count > 0) {
      const mm = df.select(pl.col(c).min().alias("min"), pl.col(c).max().alias("max")).toRecords()[0] as Record<string, unknown>;
      const iso = (v: unknown) => (v instanceof Date ? (dtype === "Date" ? v.toISOString().slice(0, 10) : v.toISOString()) : (v as string | number | null));
      p.min = iso(mm.min);
      p.max = iso(mm.max);
    }
    return p;
  });

  const payload: DataProfilePayload = {
    version: 1,
    rows: df.height,
    columns: df.width,
    duplicateRows: df.height - df.unique().height,
    missingCells: profiles.reduce((s, p) => s + p.missing, 0),
    columnProfiles: profiles,
  };
  if (options.target !== undefined) payload.target = classBalance(df, options.target);
  return new DataProfile(payload);
}

/** Displays {@link profile}(df) now and returns the display handle. */
export function showProfile(df: DataFrame, options: ProfileOptions = {}): DisplayHandle {
  return display(profile(df, options));
}

function topValues(df: DataFrame, c: string, n: number): ColumnProfile["top"] {
  if (n <= 0 || df.height === 0) return [];
  const s = df.getColumn(c);
  const vc = s.dropNulls().cast(isNumericDtype(s.dtype) || dtypeName(s.dtype) === "Bool" ? s.dtype : pl.String).valueCounts(true);
  const rows = vc.head(n).toRecords() as Record<string, unknown>[];
  return rows.map((r) => ({ value: normalizeValue(r[c]), count: Number(r.count) }));
}

function normalizeValue(v: unknown): string | number | boolean {
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Values outside [q1 − 1.5·IQR, q3 + 1.5·IQR] per numeric column, in one SQL aggregate (expression fallback). */
function outlierCounts(df: DataFrame, numeric: string[], q25: (number | null)[], q75: (number | null)[]): Map<string, number> {
  const out = new Map<string, number>();
  const parts: { c: string; lo: number; hi: number }[] = [];
  numeric.forEach((c, j) => {
    const q1 = q25[j];
    const q3 = q75[j];
    if (q1 === null || q1 === undefined || q3 === null || q3 === undefined) return;
    parts.push({ c, lo: q1 - 1.5 * (q3 - q1), hi: q3 + 1.5 * (q3 - q1) });
  });
  if (parts.length === 0) return out;
  const lits = parts.map((p) => [sqlNumber(p.lo), sqlNumber(p.hi)]);
  let row: unknown[] | undefined;
  if (lits.every(([a, b]) => a !== undefined && b !== undefined)) {
    const sel = parts.map((p, k) => `SUM(CASE WHEN ${sqlIdent(p.c)} < ${lits[k][0]} OR ${sqlIdent(p.c)} > ${lits[k][1]} THEN 1 ELSE 0 END) AS ${sqlIdent(p.c)}`);
    try {
      row = pl.SQLContext({ sciforge_frame: df }).execute(`SELECT ${sel.join(", ")} FROM sciforge_frame`).collectSync().row(0);
    } catch {
      row = undefined;
    }
  }
  row ??= df.select(...parts.map((p) => pl.col(p.c).lt(p.lo).or(pl.col(p.c).gt(p.hi)).sum().alias(p.c))).row(0);
  parts.forEach((p, k) => out.set(p.c, Number(row![k] ?? 0)));
  return out;
}

/** Equal-width histograms of the numeric columns: bin numbers for all columns in one SQL projection. */
function histograms(df: DataFrame, numeric: string[], mins: (number | null)[], maxs: (number | null)[], bins: number): Map<string, ProfileHistogram> {
  const out = new Map<string, ProfileHistogram>();
  const todo: { c: string; min: number; width: number; edges: number[] }[] = [];
  numeric.forEach((c, j) => {
    const min = mins[j];
    const max = maxs[j];
    if (typeof min !== "number" || typeof max !== "number" || !Number.isFinite(min) || !Number.isFinite(max)) return;
    const width = max > min ? (max - min) / bins : 1;
    todo.push({ c, min, width, edges: Array.from({ length: bins + 1 }, (_, i) => (max > min ? min + i * width : min + i)) });
  });
  if (todo.length === 0) return out;
  const types = columnDtypes(df);
  const replace = new Map<string, string>();
  for (const t of todo) {
    const a = sqlNumber(t.min);
    const w = sqlNumber(t.width);
    if (a === undefined || w === undefined) break;
    replace.set(t.c, `CAST(FLOOR((${sqlFloat(types, t.c)} - ${a}) / ${w}) AS INTEGER)`);
  }
  const binned =
    (replace.size === todo.length ? withSqlColumns(df.select(...todo.map((t) => pl.col(t.c))), replace) : undefined) ??
    df.select(...todo.map((t) => asFloat(types, t.c).sub(t.min).div(t.width).floor().cast(pl.Int32).alias(t.c)));
  for (const t of todo) {
    const counts = new Array<number>(bins).fill(0);
    const vc = binned.getColumn(t.c).valueCounts().toRecords() as Record<string, unknown>[];
    for (const r of vc) {
      const k = r[t.c];
      if (k === null || k === undefined) continue;
      counts[Math.min(bins - 1, Math.max(0, Number(k)))] += Number(r.count);
    }
    out.set(t.c, { edges: t.edges, counts });
  }
  return out;
}

/** Class counts and fractions of a target column (missing values counted as the class "null"). */
export function classBalance(df: DataFrame, column: string): TargetBalance {
  if (!df.columns.includes(column)) throw new Error(`classBalance: no column "${column}" (columns: ${df.columns.join(", ")})`);
  const vc = df.getColumn(column).cast(pl.String).valueCounts(true).toRecords() as Record<string, unknown>[];
  const total = df.height;
  const classes = vc.map((r) => ({ value: r[column] === null ? "null" : String(r[column]), count: Number(r.count), fraction: Number(r.count) / total }));
  const counts = classes.map((k) => k.count);
  return { column, classes, imbalanceRatio: counts.length ? Math.min(...counts) / Math.max(...counts) : 1 };
}
