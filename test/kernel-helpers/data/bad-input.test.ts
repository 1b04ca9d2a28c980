// Malformed input: every loader error names file:line:column and the column; nothing half-loaded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readCsv, readData, readJsonLines, readArff, DataLoadError } from "../../../kernel-helpers/lib/data";
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
