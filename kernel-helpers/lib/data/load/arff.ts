/**
 * ARFF (Weka) loading: the header declares the columns and their types; the dense @data section is
 * comma-separated text with `?` for missing, which Polars' CSV reader then parses.
 */
import { readFileSync } from "node:fs";
import { pl, type DataFrame } from "../polars";
import { DataLoadError } from "../errors";
import { assertUtf8 } from "./delimited-scan";
import { parseCsv } from "./csv";
import type { ColumnType } from "./column-types";

/** One declared ARFF attribute. */
export interface ArffAttribute {
  name: string;
  /** "numeric", "integer", "real", "string", "date" or "nominal". */
  kind: string;
  /** Declared values of a nominal attribute, in declaration order. */
  values?: string[];
}

/** Options for {@link readArff}. */
export interface ReadArffOptions {
  /** Nominal attributes as Polars Categorical (default) or plain strings. */
  nominal?: "category" | "str";
  label?: string;
}

function unquote(s: string): string {
  s = s.trim();
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) return s.slice(1, -1).replace(/\\(['"])/g, "$1");
  return s;
}

function splitNominal(body: string): string[] {
  const out: string[] = [];
  const re = /\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,]+)\s*(,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) && m[0] !== "") out.push(unquote(m[1]));
  return out;
}

/**
 * Reads a dense ARFF file into a DataFrame (numeric → Float64/Int64, nominal → Categorical,
 * string/date → String; `?` is missing). The declared attributes are returned on `attributes`.
 */
export function readArff(path: string, options: ReadArffOptions = {}): DataFrame & { attributes?: ArffAttribute[] } {
  const label = options.label ?? path;
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new DataLoadError(`cannot read file: ${(e as Error).message}`, { file: label }, { cause: e });
  }
  if (buf.length === 0) throw new DataLoadError("file is empty", { file: label, line: 1, column: 1 });
  assertUtf8(buf, label);
  const lines = buf.toString("utf8").split("\n");
  const attrs: ArffAttribute[] = [];
  let dataLine = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("%")) continue;
    const lower = line.toLowerCase();
    if (lower.startsWith("@relation")) continue;
    if (lower.startsWith("@attribute")) {
      const m = /^@attribute\s+('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)\s+(.*)$/i.exec(line);
      if (!m) throw new DataLoadError("malformed @attribute line", { file: label, line: i + 1, column: 1 });
      const name = unquote(m[1]);
      const type = m[2].trim();
      if (type.startsWith("{")) {
        const close = type.lastIndexOf("}");
        if (close < 0) throw new DataLoadError("nominal values not closed with }", { file: label, line: i + 1, column: 1, columnName: name });
        attrs.push({ name, kind: "nominal", values: splitNominal(type.slice(1, close)) });
      } else {
        const kind = type.split(/\s+/)[0].toLowerCase();
        if (!["numeric", "integer", "real", "string", "date"].includes(kind)) {
          throw new DataLoadError(`unsupported attribute type "${type}"`, { file: label, line: i + 1, column: 1, columnName: name });
        }
        attrs.push({ name, kind });
      }
      continue;
    }
    if (lower.startsWith("@data")) {
      dataLine = i + 1;
      break;
    }
    throw new DataLoadError(`unexpected header line`, { file: label, line: i + 1, column: 1 });
  }
  if (dataLine < 0 || attrs.length === 0) throw new DataLoadError("no @attribute/@data section: not an ARFF file", { file: label, line: 1, column: 1 });
  // keep line numbers: comment lines become blank lines, which the CSV reader skips
  const body = lines.slice(dataLine).map((l) => (l.trimStart().startsWith("%") ? "" : l));
  const firstData = body.find((l) => l.trim() !== "");
  if (firstData?.trimStart().startsWith("{")) {
    throw new DataLoadError("sparse ARFF data is not supported", { file: label, line: dataLine + 1 + body.indexOf(firstData!), column: 1 });
  }
  const usesSingle = body.some((l) => l.includes("'"));
  const schema: Record<string, ColumnType> = {};
  for (const a of attrs) {
    schema[a.name] = a.kind === "numeric" || a.kind === "real" ? "f64" : a.kind === "integer" ? "i64" : "str";
  }
  const q = usesSingle ? "'" : '"';
  const header = attrs.map((a) => q + a.name.split(q).join(q + q) + q).join(",");
  let df: DataFrame;
  try {
    df = parseCsv(header + "\n" + body.join("\n"), {
      sep: ",", quote: q, header: true, naValues: ["?", ""], schema, label,
    });
  } catch (e) {
    if (e instanceof DataLoadError && e.line !== undefined) {
      // the header row we prepended is line 1; the first data line is file line dataLine + 1
      throw new DataLoadError(e.message.replace(/^.*?:\d+(:\d+)?: /, "").replace(/ \(column "[^"]*"\)$/, ""), {
        file: label, line: e.line - 1 + dataLine, column: e.column, columnName: e.columnName,
      }, { cause: e });
    }
    throw e;
  }
  if ((options.nominal ?? "category") === "category") {
    const nominal = attrs.filter((a) => a.kind === "nominal").map((a) => a.name);
    if (nominal.length) df = df.withColumns(...nominal.map((c) => pl.col(c).cast(pl.Categorical)));
  }
  return Object.assign(df, { attributes: attrs });
}
