/**
 * What the CSV reader parses: the bytes of a file or text, gunzipped when they are gzip (by the
 * magic bytes, whatever the name), with the lines `skipRows` and `comment` drop taken out. When
 * lines are taken out, `fileLine` turns a line of the parsed bytes back into the file's line, so
 * every error still names the line in the file.
 */
import { gunzipSync } from "node:zlib";
import { DataLoadError } from "../errors";

const NL = 10;

/** Where the bytes come from: the head is always read; the whole input only when needed. */
export interface Source {
  label: string;
  /** Path on disk of exactly these bytes (lets Polars read it directly and the validator stream it). */
  path?: string;
  size: number;
  head: Buffer;
  full: () => Buffer;
  /** The file's line number of a line of `full()`; absent when no line was taken out. */
  fileLine?: (line: number) => number;
}

/** Options that change which bytes are parsed. */
export interface InputOptions {
  /** Lines at the top of the file to skip before the header (or the first row). */
  skipRows?: number;
  /** Lines starting with this text are skipped (before the header or between rows; not inside a quoted field). */
  comment?: string;
  quote?: string;
}

/** True when the bytes start with gzip's magic number (1f 8b). */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Gunzips a whole gzip file (all members); a corrupt or truncated one is a DataLoadError. */
export function gunzip(buf: Buffer, label: string): Buffer {
  try {
    return gunzipSync(buf);
  } catch (e) {
    throw new DataLoadError(`cannot decompress gzip input: ${(e as Error).message}`, { file: label }, { cause: e });
  }
}

/** An in-memory source over `buf`. */
export function memorySource(label: string, buf: Buffer, fileLine?: (line: number) => number): Source {
  return { label, size: buf.length, head: buf, full: () => buf, ...(fileLine ? { fileLine } : {}) };
}

/**
 * The source to parse: gunzipped when gzip, without the skipped and comment lines. Unchanged (and
 * not read beyond its head) when none of that applies.
 */
export function prepareSource(src: Source, options: InputOptions): Source {
  let out = src;
  if (isGzip(src.head)) out = memorySource(src.label, gunzip(src.full(), src.label));
  const skip = options.skipRows ?? 0;
  if (!Number.isInteger(skip) || skip < 0) throw new Error(`readCsv: skipRows must be a whole number ≥ 0, got ${skip}`);
  if (options.comment !== undefined && options.comment.length === 0) throw new Error("readCsv: comment must be a non-empty string");
  if (skip === 0 && options.comment === undefined) return out;
  const { buf, skipped, comments } = dropLines(out.full(), skip, options.comment, options.quote ?? '"');
  if (skipped === 0 && comments.length === 0) return out;
  return memorySource(src.label, buf, (line) => {
    let f = line + skipped;
    for (const c of comments) {
      if (c <= f) f++;
      else break;
    }
    return f;
  });
}

/**
 * Takes out the first `skip` lines, then every line that starts with `comment` outside a quoted
 * field. Returns the remaining bytes, how many lines were skipped, and the file lines of the
 * comment lines taken out (ascending).
 */
export function dropLines(buf: Buffer, skip: number, comment: string | undefined, quote: string): { buf: Buffer; skipped: number; comments: number[] } {
  let i = 0;
  let skipped = 0;
  while (skipped < skip && i < buf.length) {
    const j = buf.indexOf(NL, i);
    i = j < 0 ? buf.length : j + 1;
    skipped++;
  }
  const rest = buf.subarray(i);
  if (comment === undefined) return { buf: rest, skipped, comments: [] };
  const prefix = Buffer.from(comment, "utf8");
  const Q = quote.charCodeAt(0);
  const quoted = rest.indexOf(Q) !== -1;
  const keep: Buffer[] = [];
  const comments: number[] = [];
  let inQuote = false;
  let keepFrom = 0;
  let line = skipped + 1;
  for (let s = 0; s < rest.length; line++) {
    const j = rest.indexOf(NL, s);
    const end = j < 0 ? rest.length : j + 1;
    if (!inQuote && rest.compare(prefix, 0, prefix.length, s, Math.min(s + prefix.length, end)) === 0) {
      if (s > keepFrom) keep.push(rest.subarray(keepFrom, s));
      keepFrom = end;
      comments.push(line);
    } else if (quoted) {
      // a quoted field may span lines: an odd number of quote characters on a line opens or closes one
      for (let k = rest.indexOf(Q, s); k !== -1 && k < end; k = rest.indexOf(Q, k + 1)) inQuote = !inQuote;
    }
    s = end;
  }
  if (comments.length === 0) return { buf: rest, skipped, comments };
  if (keepFrom < rest.length) keep.push(rest.subarray(keepFrom));
  return { buf: Buffer.concat(keep), skipped, comments };
}
