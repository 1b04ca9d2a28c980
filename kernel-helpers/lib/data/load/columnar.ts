/** Parquet and Arrow IPC (Feather v2) loading: Polars reads these binary formats natively. */
import { existsSync, readFileSync } from "node:fs";
import { pl, type DataFrame } from "../polars";
import { DataLoadError } from "../errors";

function guarded(path: string, kind: string, read: () => DataFrame): DataFrame {
  if (!existsSync(path)) throw new DataLoadError("no such file", { file: path });
  try {
    return read();
  } catch (e) {
    throw new DataLoadError(`not a readable ${kind} file: ${String((e as Error).message).split("\n")[0]}`, { file: path }, { cause: e });
  }
}

/** Reads a Parquet file into a DataFrame (optionally only some columns). */
export function readParquet(path: string, options: { columns?: string[] } = {}): DataFrame {
  // nodejs-polars takes a string as a path only for a .parquet name; otherwise pass the bytes
  return guarded(path, "Parquet", () =>
    pl.readParquet(/\.parquet$/i.test(path) ? path : readFileSync(path), options.columns ? { columns: options.columns } : {}),
  );
}

/** Reads an Arrow IPC file (Feather v2, `.arrow`/`.ipc`/`.feather`) into a DataFrame. */
export function readIpc(path: string, options: { columns?: string[] } = {}): DataFrame {
  return guarded(path, "Arrow IPC", () => pl.readIPC(readFileSync(path), options.columns ? { columns: options.columns } : {}));
}
