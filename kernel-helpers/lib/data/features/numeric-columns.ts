/** Column selection shared by the numeric scalers. */
import { numericColumns, type DataFrame } from "../polars";

/** The explicit list, or every numeric column of the frame (minus `exclude`). */
export function pickNumeric(df: DataFrame, columns: readonly string[] | undefined, exclude: readonly string[] = []): string[] {
  return (columns ? [...columns] : numericColumns(df)).filter((c) => !exclude.includes(c));
}
