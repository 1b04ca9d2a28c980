// The streamed pre-parse check (load/quick-check.ts) and its SIMD field counter (field-count.wat):
// compared with a plain reference on crafted and random files, on this thread and in a worker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { quickCheckFile, startQuickCheck } from "../../../kernel-helpers/lib/data/load/quick-check";
import { ROOT, tempFiles } from "./helpers";

/** What the check must answer: fields per line when every line has the same count, else -1. */
function reference(text: string, sep: string): number {
  if (text.length === 0) return -1;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop(); // the last newline ends a line, it starts none
  const counts = new Set(lines.map((l) => l.split(sep).length));
  return counts.size === 1 ? [...counts][0] : -1;
}

/** A seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("the committed WebAssembly is the assembly of field-count.wat", () => {
  // exits non-zero, naming the file, when someone edits the .wat and forgets `node esbuild.mjs --wasm`
  execFileSync(process.execPath, [join(ROOT, "esbuild.mjs"), "--wasm", "--check"], { cwd: ROOT, stdio: "pipe" });
});

test("field counts at the edges of the 64-byte blocks", () => {
  const cases: Record<string, string> = {
    // a newline as the first and as the last byte of a block
    "nl-at-63.csv": "a".repeat(62) + ",\n" + "b".repeat(62) + ",\n",
    "nl-at-0.csv": "a".repeat(63) + "\n,b\n" + "c".repeat(62) + "\n" + ",d\n",
    // a separator as the last byte of a block, the line going on in the next one
    "sep-at-63.csv": "x".repeat(63) + ",y\n" + "z".repeat(10) + ",w\n",
    // many newlines in one block (one-byte lines are blank lines: 1 field)
    "dense.csv": ",\n".repeat(100),
    "short-in-dense.csv": ",\n".repeat(40) + "\n" + ",\n".repeat(40),
    // no newline at the end: the last line counts, and may be the odd one out
    "no-final-nl.csv": "a,b\n1,2\n3,4",
    "no-final-nl-short.csv": "a,b\n1,2\n3",
    "one-line.csv": "a,b,c",
    "crlf.csv": "a,b\r\n1,2\r\n",
    "empty.csv": "",
    "long-line.csv": "a,b\n" + "1,".padEnd(5000, "9") + "\n" + "2,".padEnd(3000, "8") + ",x\n",
  };
  const files = tempFiles(cases);
  for (const [name, text] of Object.entries(cases)) {
    assert.equal(quickCheckFile(files[name], ",", '"').fields, reference(text, ","), name);
  }
});

test("random files agree with the reference, across 4 MiB chunks, here and in a worker", () => {
  const rand = rng(20261129);
  const cases: Record<string, string> = {};
  for (let k = 0; k < 40; k++) {
    const fields = 1 + Math.floor(rand() * 12);
    const lines = 1 + Math.floor(rand() * (k < 36 ? 400 : 120_000)); // the last few pass a chunk boundary
    const odd = rand() < 0.5 ? Math.floor(rand() * lines) : -1; // one line with another field count
    const sep = k % 3 === 0 ? "\t" : ",";
    const out: string[] = [];
    for (let i = 0; i < lines; i++) {
      const n = i === odd ? Math.max(1, fields + (rand() < 0.5 ? -1 : 1)) : fields;
      out.push(Array.from({ length: n }, () => "v".repeat(Math.floor(rand() * (rand() < 0.1 ? 90 : 8)))).join(sep));
    }
    const text = out.join("\n") + (rand() < 0.8 ? "\n" : "");
    cases[`r${k}-${sep === "\t" ? "tab" : "comma"}.csv`] = text;
  }
  const files = tempFiles(cases);
  let big = 0;
  for (const [name, text] of Object.entries(cases)) {
    const sep = name.includes("tab") ? "\t" : ",";
    const want = reference(text, sep);
    assert.equal(quickCheckFile(files[name], sep, '"').fields, want, `${name} (here)`);
    if (text.length > 4 << 20) {
      big++;
      assert.equal(startQuickCheck(files[name], text.length, sep, '"')().fields, want, `${name} (worker)`);
    }
  }
  assert.ok(big >= 2, `expected files past one 4 MiB chunk, got ${big}`);
});

test("a quote character or invalid UTF-8 sends the file to the exact validator; probes are found", () => {
  const files = tempFiles({
    "quoted.csv": 'a,b\n1,"x"\n',
    "latin1.csv": Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xe9, 0x0a]),
    "probes.csv": "a,b\n1,nan\n2,3\n",
  });
  assert.equal(quickCheckFile(files["quoted.csv"], ",", '"').fields, -1);
  assert.equal(quickCheckFile(files["latin1.csv"], ",", '"').fields, -1);
  assert.deepEqual(quickCheckFile(files["probes.csv"], ",", '"', ["nan", "NaN"]), { fields: 2, found: [true, false] });
});
