/** Where in a file a problem sits: 1-based line and column (characters), and the table column. */
export interface DataErrorLocation {
  file: string;
  line?: number;
  column?: number;
  /** Name of the table column the problem is in, when one is known. */
  columnName?: string;
}

/**
 * Raised by the loaders on malformed input. The message reads `file:line:column: what (column "x")`
 * so editors and terminals link it; nothing is returned half-loaded.
 */
export class DataLoadError extends Error {
  override name = "DataLoadError";
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly columnName?: string;
  /** What is wrong, without the location. */
  readonly problem: string;
  constructor(problem: string, where: DataErrorLocation, options?: { cause?: unknown }) {
    super(formatLocation(where) + ": " + problem + (where.columnName !== undefined ? ` (column "${where.columnName}")` : ""), options);
    this.problem = problem;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.columnName = where.columnName;
  }
}

function formatLocation(w: DataErrorLocation): string {
  let s = w.file;
  if (w.line !== undefined) s += ":" + w.line;
  if (w.line !== undefined && w.column !== undefined) s += ":" + w.column;
  return s;
}
