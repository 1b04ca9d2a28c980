// Loading: CSV/TSV dialects, NA tokens, header detection, schema override, ARFF, JSON lines,
// Parquet, Arrow IPC, lazy scans with progress.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  readCsv, parseCsv, readArff, readJsonLines, readParquet, readIpc, readData, scanData, collectWithProgress, pl,
} from "../../../kernel-helpers/lib/data";
import { tempFiles } from "./helpers";
import { DATA } from "../../helpers/paths";

const dtypes = (df: ReturnType<typeof readCsv>) => Object.fromEntries(df.columns.map((c, i) => [c, String(df.dtypes[i]).replace(/^DataType\((.*)\)$/, "$1")]));

test("CSV: quoted fields with separators, newlines and doubled quotes; NA tokens are missing", () => {
  const df = parseCsv('id,text,x\n1,"a, b",1.5\n2,"line1\nline2",NA\n3,"say ""hi""",nan\n4,,\n5,plain,2\n');
  assert.equal(df.height, 5);
  assert.deepEqual(df.getColumn("text").toArray(), ["a, b", "line1\nline2", 'say "hi"', null, "plain"]);
  assert.deepEqual(df.getColumn("x").toArray(), [1.5, null, null, null, 2]);
  assert.deepEqual(dtypes(df), { id: "Int64", text: "String", x: "Float64" });
});

test("CSV: NA tokens in numeric columns give numeric columns; nan-like floats become missing", () => {
  const df = parseCsv("a,b,c,d\n1,nan,NA,x\n2,NaN,NA,None\nNA,1.5,,y\n");
  assert.deepEqual(dtypes(df), { a: "Int64", b: "Float64", c: "Float64", d: "String" });
  assert.deepEqual(df.getColumn("a").toArray(), [1, 2, null]);
  assert.deepEqual(df.getColumn("b").toArray(), [null, null, 1.5]);
  assert.equal(df.getColumn("c").nullCount(), 3);
  assert.deepEqual(df.getColumn("d").toArray(), ["x", null, "y"]);
  // the same from a file on disk (the streamed check looks for the nan spellings)
  const f = tempFiles({ "n.csv": "a,b\n1,2.5\n2,nan\n3,NaN\n", "plain.csv": "a,b\n1,2.5\n2,3.5\n" });
  assert.deepEqual(readCsv(f["n.csv"]).getColumn("b").toArray(), [2.5, null, null]);
  assert.deepEqual(readCsv(f["plain.csv"]).getColumn("b").toArray(), [2.5, 3.5]);
  // custom tokens replace the defaults
  assert.deepEqual(parseCsv("a\n-999\n5\n", { naValues: ["", "-999"] }).getColumn("a").toArray(), [null, 5]);
});

test("CSV: header detection", () => {
  const noHeader = parseCsv("1,2.5,a\n2,3.5,b\n3,4.5,c\n");
  assert.deepEqual(noHeader.columns, ["column_1", "column_2", "column_3"]);
  assert.equal(noHeader.height, 3);
  const withHeader = parseCsv("n,v,k\n1,2.5,a\n2,3.5,b\n");
  assert.deepEqual(withHeader.columns, ["n", "v", "k"]);
  const textOnly = parseCsv("name,colour\nann,red\nbob,blue\n");
  assert.deepEqual(textOnly.columns, ["name", "colour"]);
  assert.equal(parseCsv("a,b\nc,d\n", { header: false }).height, 2);
});

test("CSV/TSV: separator from extension or sniffed", () => {
  const f = tempFiles({ "t.tsv": "a\tb\n1\tx,y\n2\tz\n", "s.csv": "a;b;c\n1;2;3\n4;5;6\n", "p.txt": "a|b\n1|2\n" });
  assert.deepEqual(readCsv(f["t.tsv"]).getColumn("b").toArray(), ["x,y", "z"]);
  assert.deepEqual(readCsv(f["s.csv"]).columns, ["a", "b", "c"]);
  assert.deepEqual(readData(f["p.txt"]).columns, ["a", "b"]);
});

test("CSV: explicit schema overrides inference (and category type)", () => {
  const df = parseCsv("zip,amount,grade\n01234,10,a\n02345,20,b\n", { schema: { zip: "str", amount: "f64", grade: "category" } });
  assert.deepEqual(dtypes(df), { zip: "String", amount: "Float64", grade: "Categorical" });
  assert.deepEqual(df.getColumn("zip").toArray(), ["01234", "02345"]);
});

test("CSV: a later value that breaks the inferred type triggers a full-scan re-inference, not an error", () => {
  const rows = ["v"];
  for (let i = 0; i < 50; i++) rows.push(String(i));
  rows.push("2.5");
  const df = parseCsv(rows.join("\n") + "\n", { inferRows: 10 });
  assert.equal(dtypes(df).v, "Float64");
  assert.equal(df.height, 51);
});

test("ARFF: credit-g (Weka) loads with nominal columns as categoricals", () => {
  const df = readArff(join(DATA, "tabular", "credit-g.arff"));
  assert.deepEqual(df.shape, { height: 1000, width: 21 });
  assert.equal(dtypes(df).checking_status, "Categorical");
  assert.equal(dtypes(df).duration, "Float64");
  assert.equal(df.getColumn("checking_status").cast(pl.String).get(0), "<0");
  assert.equal(df.getColumn("credit_history").cast(pl.String).get(0), "critical/other existing credit");
  const classes = df.getColumn("class").cast(pl.String).valueCounts(true).toRecords() as { class: string; count: number }[];
  assert.deepEqual(classes.map((r) => [r.class, Number(r.count)]), [["good", 700], ["bad", 300]]);
  assert.equal(df.attributes!.find((a) => a.name === "purpose")!.values!.length, 11);
});

test("JSON lines, Parquet and Arrow IPC round-trip", () => {
  const f = tempFiles({ "x.jsonl": '{"a":1,"b":"x"}\n{"a":2,"b":null}\n\n{"a":3,"b":"z"}\n' });
  const j = readJsonLines(f["x.jsonl"]);
  assert.deepEqual(j.toRecords(), [{ a: 1, b: "x" }, { a: 2, b: null }, { a: 3, b: "z" }]);
  const pq = join(f.dir, "x.parquet");
  const ipc = join(f.dir, "x.arrow");
  j.writeParquet(pq);
  j.writeIPC(ipc);
  assert.deepEqual(readParquet(pq).toRecords(), j.toRecords());
  assert.deepEqual(readIpc(ipc).toRecords(), j.toRecords());
  assert.deepEqual(readData(pq, { columns: ["b"] }).columns, ["b"]);
  // lazy scans of the same files
  assert.deepEqual(scanData(pq).filter(pl.col("a").gt(1)).collectSync().toRecords(), [{ a: 2, b: null }, { a: 3, b: "z" }]);
  assert.equal(scanData(ipc).collectSync().height, 3);
  assert.equal(scanData(f["x.jsonl"]).select(pl.col("a").sum()).collectSync().row(0)[0], 6);
});

test("lazy scan + collectWithProgress: batches, progress display, streaming callback", async () => {
  const n = 2500;
  const body = ["i,v", ...Array.from({ length: n }, (_, i) => `${i},${i % 7 === 0 ? "NA" : i * 0.5}`)].join("\n") + "\n";
  const f = tempFiles({ "big.csv": body });
  const shown: string[] = [];
  const key = Symbol.for("sciforge.kernel");
  const g = globalThis as Record<symbol, unknown>;
  g[key] = { display: (d: Record<string, unknown>, _m: unknown, _id: string, update: boolean) => shown.push(`${update ? "update" : "new"}:${d["text/plain"]}`), input: async () => "", interrupted: false };
  try {
    const lf = scanData(f["big.csv"]).filter(pl.col("i").gtEq(100));
    const df = await collectWithProgress(lf, { batchRows: 1000, totalRows: n - 100, label: "big.csv" });
    assert.equal(df.height, n - 100);
    assert.equal(df.getColumn("v").nullCount(), Array.from({ length: n }, (_, i) => i).filter((i) => i >= 100 && i % 7 === 0).length);
    assert.equal(shown.length, 3);
    assert.match(shown[0], /^new:big\.csv: 1,000 rows of 2,400 \(42%\)/);
    assert.match(shown[2], /^update:big\.csv: 2,400 rows of 2,400 \(100%\) — done/);
    let seen = 0;
    const none = await collectWithProgress(scanData(f["big.csv"]), { batchRows: 1000, progress: false, onBatch: (b) => (seen += b.height) });
    assert.equal(seen, n);
    assert.equal(none.height, 0);
  } finally {
    delete g[key];
  }
});

test("gzip input is read transparently, recognised by its magic bytes (any name), with the same located errors", () => {
  const text = "id,name,score\n1,ann,3.5\n2,bob,4.5\n3,cy,\n";
  const f = tempFiles({
    "d.csv.gz": gzipSync(text),
    "d.tsv.gz": gzipSync(text.replace(/,/g, "\t")),
    "no-extension": gzipSync(text),
    "two-members.csv.gz": Buffer.concat([gzipSync("a,b\n1,2\n"), gzipSync("3,4\n")]),
    "ragged.csv.gz": gzipSync("a,b\n1,2\n3\n"),
    "truncated.csv.gz": gzipSync(text).subarray(0, 20),
  });
  const plain = parseCsv(text);
  for (const name of ["d.csv.gz", "d.tsv.gz", "no-extension"]) {
    const df = readCsv(f[name]);
    assert.deepEqual(df.toRecords(), plain.toRecords(), name);
    assert.deepEqual(dtypes(df), dtypes(plain), name);
  }
  assert.deepEqual(readData(f["d.csv.gz"]).toRecords(), plain.toRecords());
  assert.deepEqual(readCsv(f["two-members.csv.gz"]).getColumn("a").toArray(), [1, 3]);
  assert.deepEqual(parseCsv(gzipSync(text)).toRecords(), plain.toRecords());
  assert.throws(() => readCsv(f["ragged.csv.gz"]), (e: Error) => e.message.startsWith(`${f["ragged.csv.gz"]}:3:2: record has 1 fields, expected 2`));
  assert.throws(() => readCsv(f["truncated.csv.gz"]), (e: Error) => e.message.startsWith(`${f["truncated.csv.gz"]}: cannot decompress gzip input`));
});

test("skipRows: scikit-learn's bundled iris.csv (first line \"150,4,setosa,versicolor,virginica\") loads as 150 numeric rows", () => {
  const iris = join(DATA, "tabular", "iris.csv");
  const df = readCsv(iris, { skipRows: 1 });
  assert.deepEqual(df.shape, { height: 150, width: 5 });
  assert.deepEqual(dtypes(df), { column_1: "Float64", column_2: "Float64", column_3: "Float64", column_4: "Float64", column_5: "Int64" });
  assert.deepEqual(df.row(0), [5.1, 3.5, 1.4, 0.2, 0]);
  assert.deepEqual(df.getColumn("column_5").valueCounts().sort("column_5").getColumn("count").toArray().map(Number), [50, 50, 50]);
  // breast_cancer.csv's metadata line ("569,30,malignant,benign") has 4 fields, its rows 31: without skipRows it is ragged
  assert.deepEqual(readCsv(join(DATA, "tabular", "breast_cancer.csv"), { skipRows: 1 }).shape, { height: 569, width: 31 });
  // errors keep the file's line numbers
  const f = tempFiles({ "meta.csv": "3,2,a,b\nx,y\n1,2\n3\n" });
  assert.throws(() => readCsv(f["meta.csv"], { skipRows: 1 }), (e: Error) => e.message.startsWith(`${f["meta.csv"]}:4:2: record has 1 fields, expected 2`));
  assert.deepEqual(readCsv(f["meta.csv"], { skipRows: 3 }).columns, ["3"]);
});

test("comment: lines starting with it are skipped anywhere (not inside a quoted field); errors name the file's lines", () => {
  const text = '# source: survey 2024\nid,note,x\n1,"a\n# not a comment",1.5\n# dropped row\n2,b,2.5\n#3,c,3.5\n4,d,4.5\n';
  const df = parseCsv(text, { comment: "#" });
  assert.deepEqual(df.toRecords(), [{ id: 1, note: "a\n# not a comment", x: 1.5 }, { id: 2, note: "b", x: 2.5 }, { id: 4, note: "d", x: 4.5 }]);
  const f = tempFiles({ "c.csv": "# meta\na,b\n1,2\n# c\n3,4,5\n" });
  assert.throws(() => readCsv(f["c.csv"], { comment: "#" }), (e: Error) => e.message.startsWith(`${f["c.csv"]}:5:5: record has 3 fields, expected 2`));
  assert.deepEqual(parseCsv("a,b\n// note\n1,2\n/x,3\n", { comment: "//" }).toRecords(), [{ a: "1", b: 2 }, { a: "/x", b: 3 }]);
});
