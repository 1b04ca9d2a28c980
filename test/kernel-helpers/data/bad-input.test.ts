// Malformed input: every loader error names file:line:column and the column; nothing half-loaded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readCsv, parseCsv, readData, readJsonLines, readArff, DataLoadError, loadReport, coerce, parseDates } from "../../../kernel-helpers/lib/data";
import { tempFiles } from "./helpers";

const files = tempFiles({
  "ragged-short.csv": "id,name,score\n1,ann,3.5\n2,bob\n3,cy,4.0\n",
  "ragged-long.csv": "id,name,score\n1,ann,3.5\n2,bob,4.5,extra\n",
  "unterminated.csv": 'id,name,score\n1,ann,3.5\n2,"bob,4.5\n3,cy,4.0\n',
  "text-in-number.csv": "id,name,score\n1,ann,3.5\n2,bob,4.5\n3,cy,n/a?\n4,dee,5\n",
  "empty.csv": "",
  "blank.csv": "\n\n",
  "latin1.csv": Buffer.concat([Buffer.from("id,name,score\n1,ann,3.5\n2,"), Buffer.from([0x4a, 0xf6, 0x72, 0x67]), Buffer.from(",4.5\n")]),
  "bad.jsonl": '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n{"a":3, "b":}\n',
  "bad.arff": "@relation r\n@attribute a numeric\n@attribute b {x,y}\n@data\n1,x\n2,y\nthree,x\n",
});

function expectLoadError(fn: () => unknown, want: { file: string; line: number; column: number; columnName?: string; text?: RegExp }) {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DataLoadError, `expected a DataLoadError, got ${caught}`);
  const e = caught as DataLoadError;
  assert.equal(e.file, want.file);
  assert.equal(e.line, want.line, e.message);
  assert.equal(e.column, want.column, e.message);
  assert.equal(e.columnName, want.columnName, e.message);
  assert.ok(e.message.startsWith(`${want.file}:${want.line}:${want.column}: `), e.message);
  if (want.columnName) assert.match(e.message, new RegExp(`column "${want.columnName}"`));
  if (want.text) assert.match(e.message, want.text);
}

test("ragged row with a missing field: line, column where the field should start, and its name", () => {
  expectLoadError(() => readCsv(files["ragged-short.csv"]), { file: files["ragged-short.csv"], line: 3, column: 6, columnName: "score", text: /2 fields, expected 3/ });
});

test("ragged row with an extra field", () => {
  expectLoadError(() => readCsv(files["ragged-long.csv"]), { file: files["ragged-long.csv"], line: 3, column: 11, text: /4 fields, expected 3 \(extra field starts here, after the last column "score"\)/ });
});

test("unterminated quote points at the opening quote", () => {
  expectLoadError(() => readCsv(files["unterminated.csv"]), { file: files["unterminated.csv"], line: 3, column: 3, columnName: "name", text: /unterminated/ });
});

test("text in a numeric column with an explicit schema override", () => {
  expectLoadError(() => readCsv(files["text-in-number.csv"], { schema: { score: "f64" } }), {
    file: files["text-in-number.csv"], line: 4, column: 6, columnName: "score", text: /"n\/a\?".*f64.*schema override/,
  });
  // without the override the column is read as text: no error, every row there
  const df = readCsv(files["text-in-number.csv"]);
  assert.equal(df.height, 4);
  assert.equal(String(df.getColumn("score").dtype), "DataType(String)");
});

test("empty files", () => {
  expectLoadError(() => readCsv(files["empty.csv"]), { file: files["empty.csv"], line: 1, column: 1, text: /empty/ });
  expectLoadError(() => readCsv(files["blank.csv"]), { file: files["blank.csv"], line: 1, column: 1, text: /empty/ });
});

test("invalid UTF-8 is located at the bad byte", () => {
  expectLoadError(() => readCsv(files["latin1.csv"]), { file: files["latin1.csv"], line: 3, column: 4, columnName: "name", text: /invalid UTF-8.*0xf6/ });
  // opting into lossy decoding reads it
  assert.equal(readCsv(files["latin1.csv"], { encoding: "utf8-lossy" }).height, 2);
});

test("JSON lines and ARFF errors are located too", () => {
  expectLoadError(() => readJsonLines(files["bad.jsonl"]), { file: files["bad.jsonl"], line: 3, column: 13, text: /invalid JSON/ });
  expectLoadError(() => readArff(files["bad.arff"]), { file: files["bad.arff"], line: 7, column: 1, columnName: "a", text: /"three"/ });
});

test("a missing file is a DataLoadError naming it", () => {
  assert.throws(() => readData("/nonexistent/x.csv"), (e: unknown) => e instanceof DataLoadError && /nonexistent\/x\.csv: cannot read/.test(e.message));
});

test("large files: the streamed check carries state across 4 MiB chunks", () => {
  const C = 4 << 20;
  // a two-byte character straddling the first chunk boundary is valid UTF-8
  const row = Buffer.from("a,b\n1," + "x".repeat(5_000_000) + "\n2,y\n");
  row[C - 1] = 0xc3;
  row[C] = 0xa9;
  // a short row and an invalid byte well past the first chunk are found, with their lines
  const short = "a,b\n" + "1,2\n".repeat(1_200_000) + "3\n" + "1,2\n".repeat(100_000);
  const badByte = Buffer.from("a,b\n" + "1,2\n".repeat(1_500_000));
  badByte[4 + 4 * 1_400_000 + 2] = 0xff;
  const f = tempFiles({ "wide.csv": row, "short.csv": short, "badbyte.csv": badByte });
  const df = readCsv(f["wide.csv"]);
  assert.equal(df.height, 2);
  assert.equal((df.getColumn("b").get(0) as string).length, 5_000_000 - 1);
  expectLoadError(() => readCsv(f["short.csv"]), { file: f["short.csv"], line: 1_200_002, column: 2, columnName: "b", text: /1 fields, expected 2/ });
  expectLoadError(() => readCsv(f["badbyte.csv"]), { file: f["badbyte.csv"], line: 1_400_002, column: 3, columnName: "b", text: /invalid UTF-8/ });
});

test("files past 16 MiB are checked in a worker thread beside the parse, with the same errors", () => {
  const rows = 4_500_000; // 18 MB
  const good = "a,b\n" + "1,2.5\n".repeat(rows / 2) + "3,nan\n" + "1,2.5\n".repeat(rows / 2 - 1);
  const short = "a,b\n" + "1,2\n".repeat(rows - 10) + "3\n" + "1,2\n".repeat(9);
  const f = tempFiles({ "big-good.csv": good, "big-short.csv": short });
  const df = readCsv(f["big-good.csv"]);
  assert.equal(df.height, rows);
  assert.equal(df.getColumn("b").nullCount(), 1, "the worker's probe saw the nan token");
  expectLoadError(() => readCsv(f["big-short.csv"]), { file: f["big-short.csv"], line: rows - 8, column: 2, columnName: "b", text: /1 fields, expected 2/ });
});

test("a repeated header name is refused at its file:line:column (Polars would rename it a_duplicated_0)", () => {
  const f = tempFiles({ "dup.csv": "id,a,b,a\n1,2,3,4\n", "dup-after-meta.csv": "# exported 2024\nid,score,score\n1,2,3\n" });
  expectLoadError(() => readCsv(f["dup.csv"]), { file: f["dup.csv"], line: 1, column: 8, columnName: "a", text: /duplicate column name "a" \(header fields 2 and 4\); rename one of them/ });
  expectLoadError(() => readCsv(f["dup-after-meta.csv"], { comment: "#" }), { file: f["dup-after-meta.csv"], line: 2, column: 10, columnName: "score", text: /duplicate column name "score"/ });
  // without a header there are no names to repeat
  assert.deepEqual(readCsv(f["dup.csv"], { header: false }).columns, ["column_1", "column_2", "column_3", "column_4"]);
});

test("a text value at line 4,999,992 of a 5M-row numeric column is refused with file:line:column and the fixes, not read as a String column", () => {
  const rows = 5_000_000;
  const badLine = 4_999_992; // the header is line 1
  const body = Buffer.from("id,x\n" + "1,2.5\n".repeat(badLine - 2) + "2,oops\n" + "1,2.5\n".repeat(rows - (badLine - 1)));
  const f = tempFiles({ "big.csv": body });
  expectLoadError(() => readCsv(f["big.csv"]), {
    file: f["big.csv"], line: badLine, column: 3, columnName: "x",
    text: /cannot parse "oops" as a number, though the column's first 1,000 rows are all numbers \(1 such value.*schema: \{ "x": "str" \}.*onBadValue: "null"/,
  });
  // the fixes the message names: the column as text, or the value as missing (reported)
  const asText = readCsv(f["big.csv"], { schema: { x: "str" } });
  assert.equal(String(asText.getColumn("x").dtype), "DataType(String)");
  const nulled = readCsv(f["big.csv"], { onBadValue: "null" });
  assert.equal(nulled.height, rows);
  assert.equal(String(nulled.getColumn("x").dtype), "DataType(Float64)");
  assert.equal(nulled.getColumn("x").nullCount(), 1);
  assert.deepEqual(loadReport(nulled)!.nulled, [{ column: "x", type: "f64", typeFrom: "inferred", count: 1, first: [{ line: badLine, column: 3, value: "oops" }] }]);
});

test("type breaks past the 1,000-row sample: also when the sample holds NA tokens, in integer and true/false columns; text inside the sample stays text", () => {
  const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join("\n") + "\n";
  const f = tempFiles({
    // "NA" in the first rows makes Polars parse the column as text from the start (no re-inference)
    "na-sample.csv": "id,score\n" + lines(3000, (i) => `${i},${i === 2 ? "NA" : i === 2500 ? '"12,5"' : i}`),
    "ints.csv": "n\n" + lines(1500, (i) => (i === 1400 ? "1.5e" : String(i))),
    "flags.csv": "flag\n" + lines(2000, (i) => (i === 1999 ? "yes" : i % 2 ? "true" : "false")),
    "mixed-early.csv": "code\n" + lines(2000, (i) => (i === 10 ? "V45" : String(i))),
  });
  expectLoadError(() => readCsv(f["na-sample.csv"]), { file: f["na-sample.csv"], line: 2502, column: 6, columnName: "score", text: /cannot parse "12,5" as a number/ });
  expectLoadError(() => readCsv(f["ints.csv"]), { file: f["ints.csv"], line: 1402, column: 1, columnName: "n", text: /"1\.5e" as a number/ });
  expectLoadError(() => readCsv(f["flags.csv"]), { file: f["flags.csv"], line: 2001, column: 1, columnName: "flag", text: /"yes" as true or false, though the column's first 1,000 rows are all true or false/ });
  // a value that only widens the type (an integer column with a later 2.5) is no break
  assert.equal(String(parseCsv("v\n" + lines(1200, String) + "2.5\n").getColumn("v").dtype), "DataType(Float64)");
  // text within the first inferRows rows: the column is text from the start, as in pandas and Polars
  assert.equal(String(readCsv(f["mixed-early.csv"]).getColumn("code").dtype), "DataType(String)");
  // inferRows decides what the sample is
  assert.equal(String(readCsv(f["ints.csv"], { inferRows: 1500 }).getColumn("n").dtype), "DataType(String)");
});

test('onBadValue: "null" reads values that do not fit as missing and reports how many and where (inferred type and schema type)', (t) => {
  const lines = ["id,score,when"];
  for (let i = 1; i <= 3000; i++) lines.push(`${i},${i === 1500 || i === 2600 ? "n/a?" : i / 2},${i === 7 ? "soon" : "2024-01-05"}`);
  const f = tempFiles({ "s.csv": lines.join("\n") + "\n" });
  const warn = t.mock.method(console, "warn", () => undefined);
  const df = readCsv(f["s.csv"], { onBadValue: "null", schema: { when: "date" } });
  assert.equal(String(df.getColumn("score").dtype), "DataType(Float64)");
  assert.equal(df.getColumn("score").nullCount(), 2);
  assert.equal(df.getColumn("when").nullCount(), 1);
  assert.deepEqual(loadReport(df)!.nulled, [
    { column: "when", type: "date", typeFrom: "schema", count: 1, first: [{ line: 8, column: 7, value: "soon" }] },
    { column: "score", type: "f64", typeFrom: "inferred", count: 2, first: [{ line: 1501, column: 6, value: "n/a?" }, { line: 2601, column: 6, value: "n/a?" }] },
  ]);
  assert.equal(warn.mock.callCount(), 1);
  assert.match(String(warn.mock.calls[0].arguments[0]), /onBadValue "null": 2 values of column "score" .*read as missing \(first at 1501:6 "n\/a\?", 2601:6 "n\/a\?"\)/);
  // the default refuses the schema's bad value too, naming the fix
  expectLoadError(() => readCsv(f["s.csv"], { schema: { when: "date" } }), { file: f["s.csv"], line: 8, column: 7, columnName: "when", text: /"soon" as date \(type set by the schema override; 1 such value.*onBadValue: "null"/ });
});

test("an over-long record's error gives its real field count", () => {
  const f = tempFiles({ "long.csv": 'id,name,score\n1,ann,3.5\n2,bob,4.5,x,"y,z",w\n3,cy,4.0\n' });
  expectLoadError(() => readCsv(f["long.csv"]), { file: f["long.csv"], line: 3, column: 11, text: /record has 6 fields, expected 3 \(extra field starts here/ });
  expectLoadError(() => parseCsv("a,b\n1,2\n3,4,5,6,7\n"), { file: "<csv text>", line: 3, column: 5, text: /record has 5 fields, expected 2/ });
});

test("coerce() and parseDates() name file:line:column for a frame from readCsv (blank, quoted multi-line, skipped and comment lines counted)", () => {
  const text = 'exported by tool\nid,amount,note,when\n1,12.5,"two\nlines",2024-01-05\n# a comment\n2,abc,x,2024-13-01\n\n3,7,y,2023-02-03\n4,x1,z,\n';
  const f = tempFiles({ "c.csv": text });
  const df = readCsv(f["c.csv"], { skipRows: 1, comment: "#", schema: { amount: "str", when: "str" } });
  assert.equal(df.height, 5, "the blank line is a row of missing values (as Polars reads it)");
  const { failures } = coerce(df, { amount: "f64" });
  assert.deepEqual(failures, [{
    column: "amount", from: "String", to: "f64", failed: 2, file: f["c.csv"],
    examples: [{ row: 1, value: "abc", line: 6, column: 3 }, { row: 4, value: "x1", line: 9, column: 3 }],
  }]);
  assert.throws(() => coerce(df, { amount: "f64" }, { strict: true }), (e: Error) => e.message.includes(`do not convert to f64, e.g. ${f["c.csv"]}:6:3: "abc"`));
  const d = parseDates(df, ["when"]);
  assert.deepEqual(d.failures[0].examples, [{ row: 1, value: "2024-13-01", line: 6, column: 9 }]);
  // a frame derived from the loaded one has no file lines: rows, as before
  assert.deepEqual(coerce(df.head(3), { amount: "f64" }).failures[0].examples, [{ row: 1, value: "abc" }]);
});
