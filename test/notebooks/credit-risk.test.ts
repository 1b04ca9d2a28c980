/**
 * The README's main job, short version: the credit-risk case study runs headless with the CLI
 * on the default backend, writes the executed notebook and the HTML report, and the model
 * beats a floor on held-out data.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/paths";
import { committedRun, runCaseStudy, runCardOf } from "../helpers/case-study";

test("credit-risk.ipynb runs headless with -p epochs=5 and reports AUC above 0.75, a cost threshold, calibration and group rates", () => {
  const { nb, outputs, html } = runCaseStudy("credit-risk.ipynb", { epochs: 5 });
  const { results, params, data, seed } = runCardOf(nb);
  assert.ok(results.aucMlp > 0.75, `AUC ${results.aucMlp}`);
  assert.ok(results.brierMlp > 0 && results.brierMlp < 0.25, `Brier ${results.brierMlp}`);
  assert.ok(results.threshold > 0 && results.threshold < 1, `threshold ${results.threshold}`);
  assert.equal(params.epochs, 5);
  assert.equal(seed, 42);
  assert.equal(data[0].sha256, createHash("sha256").update(readFileSync(join(ROOT, "notebooks", "data", "credit_data.csv"))).digest("hex"));
  const all = outputs as Array<{ data?: Record<string, unknown> }>;
  assert.ok(all.some((o) => /^<Calibration curve; linear: Brier=/.test(String(o.data?.["text/plain"]))), "calibration figure");
  assert.ok(all.some((o) => /^<Cost curve; cheapest threshold/.test(String(o.data?.["text/plain"]))), "cost curve");
  assert.ok(all.some((o) => /<th title="String">age<br>/.test(String(o.data?.["text/html"]))), "group rates table");
  // Deploy: the HTTP service's probabilities equal the notebook's own predictions.
  const served = all.map((o) => String(o.data?.["text/plain"] ?? "")).find((t) => t.startsWith("applicant (Float64)"));
  assert.ok(served, "the predict service answered");
  const rows = served.split("\n").slice(2).map((l) => l.trim().split(/\s{2,}/)).filter((r) => r.length === 7);
  assert.equal(rows.length, 4);
  for (const r of rows) assert.equal(r[3], r[4], `service vs notebook probability: ${r.join(" | ")}`);
  // Feedback: version 2 was trained and compared on the held-out applicants.
  assert.ok(all.some((o) => /^Retrain credit-risk: v2 from v1 with 713 correction\(s\)/.test(String(o.data?.["text/plain"]))), "retrain report");
  assert.ok(results.aucV2 > 0.75, `v2 AUC ${results.aucV2}`);
  assert.ok(all.some((o) => o.data && "application/vnd.sciforge.metrics-report+json" in o.data), "the evaluation report is in the notebook");
  assert.match(html, /Credit risk: who repays\?/);
  assert.match(html, /precision/);
});

test("the committed credit-risk.ipynb carries a full run with its default parameters", () => {
  const { results, pngs } = committedRun("credit-risk.ipynb");
  assert.ok(results.aucMlp > 0.82 && results.aucMlp > results.aucLinear, `saved AUC ${results.aucMlp} vs linear ${results.aucLinear}`);
  assert.ok(pngs >= 3, `static pictures for GitHub: ${pngs}`);
});
