/** One entry point that picks the reader from the file extension. */
import type { DataFrame } from "../polars";
import { DataLoadError } from "../errors";
import { readCsv, type ReadCsvOptions } from "./csv";
import { readArff } from "./arff";
import { readJsonLines } from "./json-lines";
import { readParquet, readIpc } from "./columnar";

/**
 * Reads a data file by extension: .csv .tsv .tab .txt (delimited), .arff, .jsonl/.ndjson,
 * .parquet/.pq, .arrow/.ipc/.feather. CSV options apply to delimited files. Delimited files may be
 * gzip-compressed (`data.csv.gz`; recognised by their bytes, whatever the name).
 */
export function readData(path: string, options: ReadCsvOptions = {}): DataFrame {
  const gz = /\.gz$/i.test(path);
  const ext = /\.([a-z0-9]+)$/i.exec(gz ? path.slice(0, -3) : path)?.[1]?.toLowerCase() ?? "";
  if (gz && ["arff", "jsonl", "ndjson", "parquet", "pq", "arrow", "ipc", "feather"].includes(ext)) {
    throw new DataLoadError(`gzip is read transparently for delimited text (CSV/TSV) only; gunzip this .${ext} file first`, { file: path });
  }
  switch (ext) {
    case "arff": return readArff(path);
    case "jsonl": case "ndjson": return readJsonLines(path);
    case "parquet": case "pq": return readParquet(path, { columns: options.columns });
    case "arrow": case "ipc": case "feather": return readIpc(path, { columns: options.columns });
    default: return readCsv(path, options);
  }
}
