// Every bench, in its quick mode: it runs to the end and its last line is JSON whose ratios are
// numbers (a bench whose reference side is skipped or broken prints null there, and fails here).
// No timing thresholds: the figures themselves are for `npm run bench:*` on a quiet machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { requireBuilt, ROOT } from "../helpers/paths";

function quick(bench: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "test", "bench", `${bench}.bench.ts`), "--quick"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 240_000,
  });
  assert.equal(r.status, 0, `bench:${bench} --quick failed (${r.signal ?? r.status}):\n${r.stderr.slice(-2000)}`);
  const last = r.stdout.trim().split("\n").pop() ?? "";
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(last) as Record<string, unknown>;
  } catch {
    assert.fail(`bench:${bench}: the last line is not JSON: ${last}`);
  }
  assert.ok(r.stdout.split("\n").length > 3, `bench:${bench} prints its table before the JSON line`);
  return json;
}

/** Every key holding "ratio" is a finite number. */
function ratiosAreNumbers(bench: string, json: Record<string, unknown>, expected: string[]): void {
  for (const k of expected) assert.ok(k in json, `bench:${bench}: no ${k} in ${JSON.stringify(json)}`);
  for (const [k, v] of Object.entries(json)) {
    if (k.includes("ratio")) assert.ok(typeof v === "number" && Number.isFinite(v), `bench:${bench}: ${k} is ${JSON.stringify(v)}, not a number`);
  }
}

test("bench:train --quick: wasm at 1 and N threads beside PyTorch; every ratio a number", { timeout: 300_000 }, () => {
  const j = quick("train");
  ratiosAreNumbers("train", j, ["train_ratio_vs_torch", "infer_ratio_vs_torch", "train_ratio_vs_torch_1thread"]);
  assert.equal(typeof j.threads, "number");
  assert.equal(typeof j.wasm_1thread_train_img_s, "number");
});

test("bench:data --quick: Sciforge beside pandas and bare Polars; every ratio a number", { timeout: 300_000 }, () => {
  ratiosAreNumbers("data", quick("data"), ["ratio_vs_pandas", "bare_polars_ratio_vs_pandas"]);
});

test("bench:metrics --quick: beside scikit-learn, report identical; every ratio a number", { timeout: 300_000 }, () => {
  const j = quick("metrics");
  ratiosAreNumbers("metrics", j, ["ratio_vs_sklearn"]);
  assert.equal(j.report_identical, true);
});

test("bench:kernel --quick: beside raw tslab; every ratio a number", { timeout: 300_000 }, () => {
  requireBuilt();
  ratiosAreNumbers("kernel", quick("kernel"), ["roundtrip_ratio_vs_tslab", "cold_start_ratio_vs_tslab"]);
});
