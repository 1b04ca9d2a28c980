/** The JSON payload of a data profile display (MIME `application/vnd.sciforge.data-profile+json`). */

/** Histogram of a numeric column: `counts[i]` values fall in [edges[i], edges[i+1]) (last bin closed). */
export interface ProfileHistogram {
  edges: number[];
  counts: number[];
}

/** Profile of one column. Numeric statistics ignore missing values; std uses n-1 (like pandas). */
export interface ColumnProfile {
  name: string;
  /** Polars dtype name, e.g. "Float64", "String", "Categorical". */
  dtype: string;
  kind: "numeric" | "categorical" | "boolean" | "datetime";
  /** Non-missing values. */
  count: number;
  missing: number;
  /** Missing share in percent (0–100). */
  missingPct: number;
  /** Distinct non-missing values. */
  distinct: number;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  /** Quartiles with linear interpolation between order statistics. */
  q25?: number | null;
  median?: number | null;
  q75?: number | null;
  /** Values outside [q25 - 1.5·IQR, q75 + 1.5·IQR]. */
  outliers?: number;
  /** Most frequent values (missing excluded), most frequent first. */
  top: { value: string | number | boolean; count: number }[];
  histogram?: ProfileHistogram;
}

/** Class balance of a target column. */
export interface TargetBalance {
  column: string;
  classes: { value: string; count: number; fraction: number }[];
  /** Smallest class count divided by largest. */
  imbalanceRatio: number;
}

/** Everything `profile()` reports; the `application/vnd.sciforge.data-profile+json` payload. */
export interface DataProfilePayload {
  version: 1;
  rows: number;
  columns: number;
  /** Rows identical to an earlier row. */
  duplicateRows: number;
  /** Cells missing over all columns. */
  missingCells: number;
  columnProfiles: ColumnProfile[];
  target?: TargetBalance;
}
