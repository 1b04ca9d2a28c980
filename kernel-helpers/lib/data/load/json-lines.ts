/** JSON Lines (one JSON object per line) loading on Polars' reader, with located errors. */
import { readFileSync } from "node:fs";
import { pl, type DataFrame } from "../polars";
import { DataLoadError } from "../errors";
import { assertUtf8 } from "./delimited-scan";
import { jsonErrorOffset } from "./json-error-offset";

/**
 * Reads a JSON Lines / NDJSON file into a DataFrame (columns are the union of the objects' keys).
 * @throws DataLoadError naming file:line:column of the first line that is not a JSON object.
 */
export function readJsonLines(path: string, options: { inferRows?: number | null; label?: string } = {}): DataFrame {
  const label = options.label ?? path;
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new DataLoadError(`cannot read file: ${(e as Error).message}`, { file: label }, { cause: e });
  }
  if (buf.toString("utf8", 0, Math.min(buf.length, 4096)).trim() === "" && buf.length <= 4096) {
    throw new DataLoadError("file is empty", { file: label, line: 1, column: 1 });
  }
  assertUtf8(buf, label);
  try {
    return pl.readJSON(buf, { format: "lines", inferSchemaLength: options.inferRows === undefined ? 10_000 : options.inferRows });
  } catch (e) {
    const lines = buf.toString("utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i].replace(/\r$/, "");
      const l = raw.trim();
      if (l === "") continue;
      try {
        const v = JSON.parse(l);
        if (v === null || typeof v !== "object" || Array.isArray(v)) {
          throw new DataLoadError("line is not a JSON object", { file: label, line: i + 1, column: 1 }, { cause: e });
        }
      } catch (pe) {
        if (pe instanceof DataLoadError) throw pe;
        const at = Math.max(0, jsonErrorOffset(raw));
        throw new DataLoadError(`invalid JSON: ${(pe as Error).message}`, { file: label, line: i + 1, column: [...raw.slice(0, at)].length + 1 }, { cause: e });
      }
    }
    throw new DataLoadError(`Polars could not read the file: ${String((e as Error).message).split("\n")[0]}`, { file: label }, { cause: e });
  }
}
