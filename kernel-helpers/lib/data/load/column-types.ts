/** Column type names accepted by the loaders' `schema` override, and their Polars dtypes. */
import { pl, type DataType } from "../polars";

/** A column type by short name, or any Polars DataType. */
export type ColumnType =
  | "f64" | "f32" | "i64" | "i32" | "u32" | "bool" | "str" | "date" | "datetime" | "category"
  | DataType;

/** Tokens read as missing by default (the usual spellings in R, pandas and spreadsheet exports). */
export const DEFAULT_NA_VALUES: readonly string[] = [
  "", "NA", "N/A", "n/a", "NaN", "nan", "-nan", "NULL", "null", "None", "#N/A", "<NA>",
];

/** Resolves a ColumnType to the dtype the CSV reader parses with (categories parse as strings, cast after). */
export function parseDtype(t: ColumnType): DataType {
  if (typeof t !== "string") return t;
  switch (t) {
    case "f64": return pl.Float64;
    case "f32": return pl.Float32;
    case "i64": return pl.Int64;
    case "i32": return pl.Int32;
    case "u32": return pl.UInt32;
    case "bool": return pl.Bool;
    case "str": return pl.String;
    case "category": return pl.String;
    case "date": return pl.Date;
    case "datetime": return pl.Datetime("ms");
  }
  throw new Error(`unknown column type "${String(t)}"`);
}

/** A short, readable name for a ColumnType. */
export function columnTypeName(t: ColumnType): string {
  return typeof t === "string" ? t : String(t).replace(/^DataType\((.*)\)$/, "$1");
}
