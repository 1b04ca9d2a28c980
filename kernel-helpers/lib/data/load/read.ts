/** One entry point that picks the reader from the file extension. */
import type { DataFrame } from "../polars";
import { readCsv, type ReadCsvOptions } from "./csv";
import { readArff } from "./arff";
import { readJsonLines } from "./json-lines";
import { readParquet, readIpc } from "./columnar";

/**
 * Reads a data file by extension: .csv .tsv .tab .txt (delimited), .arff, .jsonl/.ndjson,
 * .parquet/.pq, .arrow/.ipc/.feather. CSV options apply to delimited files.
 */
export function readData(path: string, options: ReadCsvOptions = {}): DataFrame {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? "";
  switch (ext) {
    case "arff": return readArff(path);
    case "jsonl": case "ndjson": return readJsonLines(path);
    case "parquet": case "pq": return readParquet(path, { columns: options.columns });
    case "arrow": case "ipc": case "feather": return readIpc(path, { columns: options.columns });
    default: return readCsv(path, options);
  }
}
