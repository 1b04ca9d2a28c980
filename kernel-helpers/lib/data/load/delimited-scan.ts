/**
 * Byte-level checks of delimited text (CSV/TSV) before it is handed to Polars. Polars accepts
 * ragged rows silently and reports bad input without a line number; this pass finds the first
 * problem and names file:line:column. One tight loop over the bytes, no allocation per row.
 */
import { isUtf8 } from "node:buffer";
import { DataLoadError } from "../errors";

const NL = 10;
const CR = 13;

export interface DelimitedDialect {
  /** Field separator, one ASCII character. */
  sep: string;
  /** Quote character, one ASCII character. */
  quote: string;
}

/** One record's field texts and where each starts (byte offset), with its 1-based line. */
export interface RawRecord {
  fields: string[];
  starts: number[];
  line: number;
  lineStart: number;
}

/** 1-based character column of a byte offset within a line. */
export function charColumn(buf: Buffer, lineStart: number, offset: number): number {
  return buf.toString("utf8", lineStart, offset).length + 1;
}

/** Line (1-based) and character column of a byte offset. */
export function locate(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = buf.indexOf(NL); i !== -1 && i < offset; i = buf.indexOf(NL, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: charColumn(buf, lineStart, offset) };
}

/** Offset of the first byte that breaks UTF-8, or -1. */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= n) return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Throws a located DataLoadError if the bytes are not valid UTF-8. With the dialect and column
 * names, the error also names the table column holding the bad byte.
 */
export function assertUtf8(buf: Buffer, file: string, table?: { dialect: DelimitedDialect; names: string[] }): void {
  if (isUtf8(buf)) return;
  const at = firstInvalidUtf8(buf);
  const { line, column } = locate(buf, Math.max(0, at));
  const k = table ? fieldIndexAt(buf, table.dialect, at) : -1;
  throw new DataLoadError(
    `invalid UTF-8 (byte 0x${buf[at]?.toString(16).padStart(2, "0")} at offset ${at}); re-save the file as UTF-8 or pass encoding: "utf8-lossy"`,
    { file, line, column, columnName: k >= 0 ? table!.names[k] : undefined },
  );
}

/** Index of the field (0-based) that contains byte `offset`, or -1. */
export function fieldIndexAt(buf: Buffer, d: DelimitedDialect, offset: number): number {
  let found = -1;
  forEachRecord(buf, d, (r) => {
    if (r.lineStart > offset) return false;
    let k = -1;
    for (let j = 0; j < r.starts.length && r.starts[j] <= offset; j++) k = j;
    found = k;
    return true;
  });
  return found;
}

/** Calls `onRecord` for each record (header included) until it returns false. Slow path: sniffing and error location. */
export function forEachRecord(buf: Buffer, d: DelimitedDialect, onRecord: (r: RawRecord) => boolean | void): void {
  const SEP = d.sep.charCodeAt(0);
  const Q = d.quote.charCodeAt(0);
  const n = buf.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recLine = line;
    const lineStart = i;
    const fields: string[] = [];
    const starts: number[] = [];
    for (;;) {
      starts.push(i);
      if (buf[i] === Q) {
        const parts: string[] = [];
        let j = i + 1;
        let segStart = j;
        for (;;) {
          if (j >= n) { parts.push(buf.toString("utf8", segStart, j)); i = j; break; }
          const b = buf[j];
          if (b === Q) {
            if (buf[j + 1] === Q) { parts.push(buf.toString("utf8", segStart, j + 1)); j += 2; segStart = j; continue; }
            parts.push(buf.toString("utf8", segStart, j));
            j++;
            break;
          }
          if (b === NL) line++;
          j++;
        }
        // anything after the closing quote up to the separator is kept verbatim
        let k = j;
        while (k < n && buf[k] !== SEP && buf[k] !== NL) k++;
        let tail = buf.toString("utf8", j, k);
        if (tail.endsWith("\r")) tail = tail.slice(0, -1);
        fields.push(parts.join("") + tail);
        i = k;
      } else {
        let k = i;
        while (k < n && buf[k] !== SEP && buf[k] !== NL) k++;
        let end = k;
        if (end > i && buf[end - 1] === CR && (k >= n || buf[k] === NL)) end--;
        fields.push(buf.toString("utf8", i, end));
        i = k;
      }
      if (i < n && buf[i] === SEP) { i++; continue; }
      break;
    }
    if (i < n && buf[i] === NL) { i++; line++; }
    const blank = fields.length === 1 && fields[0] === "";
    if (!blank && onRecord({ fields, starts, line: recLine, lineStart }) === false) return;
  }
}

/** Running state of the word-at-a-time field counter. */
interface CountState {
  fields: number;
  expected: number;
  tailLen: number;
  bad: boolean;
}

/**
 * Counts fields per line over bytes [start, end) of `u`, carrying state between calls; sets
 * `bad` at the first line whose count differs. A word without a newline only needs its separator
 * bytes counted, done with the classic "which bytes are zero" bit trick on four bytes at a time.
 */
function countFields(u: Uint8Array, start: number, end: number, SEP: number, st: CountState): void {
  let { fields, expected, tailLen } = st;
  let i = start;
  const byte = (b: number): boolean => {
    tailLen++;
    if (b === SEP) fields++;
    else if (b === NL) {
      if (expected < 0) expected = fields;
      else if (fields !== expected) return false;
      fields = 1;
      tailLen = 0;
    }
    return true;
  };
  const fail = () => {
    st.bad = true;
  };
  while (i < end && (u.byteOffset + i) % 4 !== 0) if (!byte(u[i++])) return fail();
  const words = (end - i) >>> 2;
  if (words > 0) {
    const w32 = new Int32Array(u.buffer, u.byteOffset + i, words);
    const sepx = Math.imul(SEP, 0x01010101);
    const nlx = Math.imul(NL, 0x01010101);
    for (let k = 0; k < words; k++) {
      const w = w32[k];
      let x = w ^ nlx;
      let t = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x;
      if (~(t | 0x7f7f7f7f) === 0) {
        x = w ^ sepx;
        t = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x;
        fields += Math.imul((~(t | 0x7f7f7f7f)) >>> 7, 0x01010101) >>> 24;
        tailLen += 4;
      } else {
        for (let j = 0; j < 32; j += 8) if (!byte((w >>> j) & 255)) return fail();
      }
    }
    i += words * 4;
  }
  while (i < end) if (!byte(u[i++])) return fail();
  st.fields = fields;
  st.expected = expected;
  st.tailLen = tailLen;
}

/**
 * Fields per record when every line has the same count, else -1 (then the exact loop decides,
 * which also forgives blank lines).
 */
function countFieldsUnquoted(buf: Buffer, SEP: number): number {
  const st: CountState = { fields: 1, expected: -1, tailLen: 0, bad: false };
  countFields(buf, 0, buf.length, SEP, st);
  return finishCount(st);
}

function finishCount(st: CountState): number {
  if (st.bad) return -1;
  if (st.tailLen > 0 && st.fields !== st.expected) return st.expected < 0 ? st.fields : -1;
  return st.expected;
}

/**
 * Separators from `start` to the end of its record (quoted fields may span lines): how many more
 * fields a record holds after the one starting at `start`. Used to report an over-long record's
 * real field count.
 */
function fieldsAfter(buf: Buffer, start: number, SEP: number, Q: number): number {
  let more = 0;
  let inQuote = false;
  let fieldStart = start;
  for (let i = start; i < buf.length; i++) {
    const b = buf[i];
    if (inQuote) {
      if (b === Q) {
        if (buf[i + 1] === Q) i++;
        else inQuote = false;
      }
    } else if (b === SEP) {
      more++;
      fieldStart = i + 1;
    } else if (b === NL) break;
    else if (b === Q && i === fieldStart) inQuote = true;
  }
  return more;
}

/** Summary of a validated delimited file. */
export interface DelimitedShape {
  /** Records including the header line, blank lines not counted. */
  records: number;
  /** Fields per record. */
  fields: number;
}

/**
 * Checks that every record has the same number of fields and that every quoted field is closed.
 * `names` (header or generated names) are used to name the column in error messages.
 */
export function validateDelimited(buf: Buffer, d: DelimitedDialect, file: string, names?: string[]): DelimitedShape {
  if (buf.indexOf(d.quote.charCodeAt(0)) === -1) {
    // no quotes anywhere: count separators per line in a branch-light loop; on a mismatch the slow loop locates it
    const expected = countFieldsUnquoted(buf, d.sep.charCodeAt(0));
    if (expected >= 0) return { records: -1, fields: expected };
  }
  const SEP = d.sep.charCodeAt(0);
  const Q = d.quote.charCodeAt(0);
  const n = buf.length;
  let expected = -1;
  let fields = 1;
  let records = 0;
  let line = 1;
  let recLine = 1;
  let lineStart = 0;
  let fieldStart = 0;
  let inQuote = false;
  let quoteAt = -1;
  let quoteLine = 0;
  let quoteLineStart = 0;
  const nameOf = (k: number) => names?.[k];
  const ragged = (at: number, got: number) => {
    const col = charColumn(buf, lineStart, at);
    if (got > expected) {
      const last = nameOf(expected - 1);
      throw new DataLoadError(`record has ${got} fields, expected ${expected} (extra field starts here${last !== undefined ? `, after the last column "${last}"` : ""})`, {
        file, line: recLine, column: col, columnName: undefined,
      });
    }
    throw new DataLoadError(`record has ${got} fields, expected ${expected} (missing field)`, {
      file, line: recLine, column: col, columnName: nameOf(got),
    });
  };
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (inQuote) {
      if (b === Q) {
        if (buf[i + 1] === Q) i++;
        else inQuote = false;
      } else if (b === NL) {
        line++;
        lineStart = i + 1;
      }
      continue;
    }
    if (b === SEP) {
      fields++;
      if (expected >= 0 && fields > expected) ragged(i + 1, fields + fieldsAfter(buf, i + 1, SEP, Q));
      fieldStart = i + 1;
    } else if (b === NL) {
      const blank = i === fieldStart && fields === 1 && (i === lineStart || (i === lineStart + 1 && buf[lineStart] === CR));
      if (!blank) {
        if (expected < 0) expected = fields;
        else if (fields !== expected) ragged(i > lineStart && buf[i - 1] === CR ? i - 1 : i, fields);
        records++;
      }
      fields = 1;
      line++;
      recLine = line;
      lineStart = i + 1;
      fieldStart = i + 1;
    } else if (b === Q && i === fieldStart) {
      inQuote = true;
      quoteAt = i;
      quoteLine = line;
      quoteLineStart = lineStart;
    }
  }
  if (inQuote) {
    throw new DataLoadError("unterminated quoted field (no closing quote before end of file)", {
      file, line: quoteLine, column: charColumn(buf, quoteLineStart, quoteAt), columnName: nameOf(fields - 1),
    });
  }
  if (fieldStart < n || fields > 1) {
    const onlyCr = n - fieldStart === 1 && buf[n - 1] === CR && fields === 1;
    if (!onlyCr) {
      if (expected < 0) expected = fields;
      else if (fields !== expected) ragged(n, fields);
      records++;
    }
  }
  return { records, fields: expected < 0 ? 0 : expected };
}
