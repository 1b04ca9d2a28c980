// Benchmark: classification report + confusion matrix on 1,000,000 predictions (10 classes),
// Sciforge beside scikit-learn timed in the same run on the same data (written to a temp file
// and read by /usr/bin/python3). Prints a table, then as its LAST line one JSON object
// {"ratio_vs_sklearn": js/sklearn, ...}. Goal: ratio <= 0.5.
// --quick: 20,000 predictions, 1 run per side (what `npm test` runs: the bench works, not how fast).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classificationReport, confusionMatrix } from "../../kernel-helpers/lib/metrics";
import { mulberry32 } from "../../kernel-helpers/lib/random";

const QUICK = process.argv.includes("--quick");
const N = QUICK ? 20_000 : 1_000_000;
const K = 10;
const RUNS = QUICK ? 1 : 5;
/** sklearn takes seconds per run on this size: fewer runs keep the bench short. */
const PY_RUNS = QUICK ? 1 : 3;

const rand = mulberry32(42); // every run benchmarks the same data
const yTrue = new Int32Array(N);
const yPred = new Int32Array(N);
for (let i = 0; i < N; i++) {
  // Imbalanced classes: class c drawn with weight proportional to c + 1.
  const u = rand() * ((K * (K + 1)) / 2);
  let c = 0;
  let acc = 1;
  while (u >= acc && c < K - 1) acc += ++c + 1;
  yTrue[i] = c;
  yPred[i] = rand() < 0.7 ? c : Math.floor(rand() * K);
}

const dir = mkdtempSync(join(tmpdir(), "sciforge-bench-metrics-"));
writeFileSync(join(dir, "y_true.i32"), Buffer.from(yTrue.buffer));
writeFileSync(join(dir, "y_pred.i32"), Buffer.from(yPred.buffer));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeJs(a: ArrayLike<number>, b: ArrayLike<number>): { ms: number; report: string; cm: number[][] } {
  let report = "";
  let cm: number[][] = [];
  classificationReport(a, b); // warm-up (JIT)
  confusionMatrix(a, b);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    report = classificationReport(a, b, { digits: 4 });
    cm = confusionMatrix(a, b);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), report, cm };
}

const js = timeJs(yTrue, yPred);
const jsArray = timeJs(Array.from(yTrue), Array.from(yPred));

const py = `
import json, sys, time
import numpy as np
from sklearn.metrics import classification_report, confusion_matrix
d = sys.argv[1]
yt = np.fromfile(d + "/y_true.i32", dtype=np.int32)
yp = np.fromfile(d + "/y_pred.i32", dtype=np.int32)
times = []
for _ in range(${PY_RUNS}):
    t0 = time.perf_counter()
    rep = classification_report(yt, yp, digits=4)
    cm = confusion_matrix(yt, yp)
    times.append((time.perf_counter() - t0) * 1000)
import sklearn
print(json.dumps({"ms": sorted(times)[len(times) // 2], "report": rep, "cm": cm.tolist(), "version": sklearn.__version__}))
`;
const res = spawnSync("/usr/bin/python3", ["-c", py, dir], { encoding: "utf8", maxBuffer: 1 << 26 });
rmSync(dir, { recursive: true, force: true });
if (res.status !== 0) {
  console.error(res.stderr);
  throw new Error(`/usr/bin/python3 failed (status ${res.status})`);
}
const sk = JSON.parse(res.stdout.trim().split("\n").pop()!) as { ms: number; report: string; cm: number[][]; version: string };

const reportIdentical = sk.report === js.report && sk.report === jsArray.report;
const cmIdentical = JSON.stringify(sk.cm) === JSON.stringify(js.cm) && JSON.stringify(sk.cm) === JSON.stringify(jsArray.cm);
const ratio = js.ms / sk.ms;

const rows: [string, string, string][] = [
  ["sciforge (Int32Array input)", js.ms.toFixed(1), (js.ms / sk.ms).toFixed(3)],
  ["sciforge (number[] input)", jsArray.ms.toFixed(1), (jsArray.ms / sk.ms).toFixed(3)],
  [`scikit-learn ${sk.version}`, sk.ms.toFixed(1), "1.000"],
];
console.log(`classification_report + confusion_matrix, ${N.toLocaleString("en")} predictions, ${K} classes, median of ${RUNS} runs (sklearn: ${PY_RUNS})`);
console.log("");
console.log(`${"implementation".padEnd(30)} ${"ms".padStart(10)} ${"× sklearn".padStart(10)}`);
for (const [name, ms, x] of rows) console.log(`${name.padEnd(30)} ${ms.padStart(10)} ${x.padStart(10)}`);
console.log("");
console.log(`report text identical to sklearn: ${reportIdentical}; confusion matrix identical: ${cmIdentical}`);
console.log(
  JSON.stringify({
    ratio_vs_sklearn: Number(ratio.toFixed(4)),
    ratio_number_array: Number((jsArray.ms / sk.ms).toFixed(4)),
    sciforge_ms: Number(js.ms.toFixed(2)),
    sciforge_number_array_ms: Number(jsArray.ms.toFixed(2)),
    sklearn_ms: Number(sk.ms.toFixed(2)),
    n: N,
    classes: K,
    runs: RUNS,
    sklearn_runs: PY_RUNS,
    report_identical: reportIdentical,
    confusion_matrix_identical: cmIdentical,
    goal_met: ratio <= 0.5,
  }),
);
