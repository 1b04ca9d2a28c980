import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBundle } from "../../../kernel-helpers/lib/deploy/bundle/bundle";
import { saveBundle, loadBundle, currentVersion, bundleVersions } from "../../../kernel-helpers/lib/deploy/bundle/files";
import { serve } from "../../../kernel-helpers/lib/deploy/serve/server";
import { feedback } from "../../../kernel-helpers/lib/deploy/feedback/api";
import { retrain } from "../../../kernel-helpers/lib/deploy/feedback/retrain";
import { runs } from "../../../kernel-helpers/lib/track/runs";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { trainOn } from "../../fixtures/deploy/models";

const dir = mkdtempSync(join(tmpdir(), "sciforge-feedback-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

test("feedback through the service is stored; retrain creates version 2 with a comparison on the same held-out set", async () => {
  const db = join(dir, "runs.sqlite");
  // v1: an under-trained iris model (2 epochs), so users have mistakes to correct.
  const t = await trainOn("iris.csv", { hidden: [8], epochs: 2, seed: 5, learningRate: 0.01 });
  const v1 = createBundle({ model: t.model, pipeline: t.pipeline, features: t.train, target: "target", labels: t.classes, name: "iris-fb" });
  await saveBundle(v1, join(dir, "iris"));
  const svc = await serve(v1, { db });
  try {
    // Users send the training rows; where the prediction is wrong they send the true label back.
    const records = t.train.toRecords() as Array<Record<string, number>>;
    const rows = records.map(({ target: _t, ...f }) => f);
    const pred = await post(`${svc.url}/predict`, { rows });
    assert.equal(pred.status, 200);
    const wrong = pred.body.predictions.map((p: { index: number }, i: number) => ({ i, p })).filter(({ p, i }: { p: { index: number }; i: number }) => p.index !== records[i].target);
    console.log(`v1 got ${wrong.length}/${rows.length} training rows wrong`);
    assert.ok(wrong.length > 0, "the weak model makes mistakes to correct");
    const fb = await post(`${svc.url}/feedback`, { items: wrong.map(({ i }: { i: number }) => ({ predictionId: pred.body.ids[i], label: t.classes[records[i].target] })) }, svc.token);
    assert.equal(fb.status, 201);
    assert.equal(fb.body.ids.length, wrong.length);
    // A correction by row (helper), and bad feedback refused.
    feedback.record(v1, { row: rows[0], label: records[0].target }, { db });
    assert.equal((await post(`${svc.url}/feedback`, { predictionId: pred.body.ids[0], label: "tulip" }, svc.token)).status, 400);
    assert.equal((await post(`${svc.url}/feedback`, { predictionId: 987654, label: "setosa" }, svc.token)).status, 404);
  } finally {
    await svc.close();
  }
  const corrections = feedback.list(v1, { db });
  assert.ok(corrections.length >= 2);
  assert.deepEqual(Object.keys(corrections[0].input).sort(), ["petal_length", "petal_width", "sepal_length", "sepal_width"]);

  const loaded = await loadBundle(join(dir, "iris"));
  const report = await retrain(loaded, { with: corrections, train: t.train, holdout: t.test, epochs: 30, learningRate: 0.01, seed: 5, db });
  console.log(String(mimeBundleOf(report)["text/plain"]));
  assert.equal(report.previous.version, 1);
  assert.equal(report.candidate.version, 2);
  assert.deepEqual(bundleVersions(join(dir, "iris")), [1, 2]);
  const prev = report.previous.metrics.holdout_accuracy;
  const cand = report.candidate.metrics.holdout_accuracy;
  assert.ok(Number.isFinite(prev) && Number.isFinite(cand));
  assert.equal(report.promoted, cand >= prev);
  assert.equal(currentVersion(join(dir, "iris")), report.promoted ? 2 : 1);
  assert.ok(cand > prev, `v2 ${cand} should beat the under-trained v1 ${prev}`);
  assert.ok(report.candidate.metrics.feedback_accuracy > report.previous.metrics.feedback_accuracy, "v2 learned the corrections");
  assert.match(String(mimeBundleOf(report)["text/plain"]), /v1[\s\S]*v2/);
  // Corrections are marked used; the retrain is a tracked run with the new bundle as artifact.
  assert.equal(feedback.list(v1, { db }).length, 0);
  assert.equal(feedback.list(v1, { db, includeUsed: true }).every((f) => f.usedInVersion === 2), true);
  const run = runs.get(report.runId, { db })!;
  assert.equal(run.status, "finished");
  assert.equal(run.epochs.length, 30);
  assert.equal(run.artifacts[0].kind, "bundle");
  assert.ok(run.artifacts[0].bytes! > 1000, "bundle folder size recorded");
  assert.match(run.artifacts[0].path, /v2$/);
  const v2 = await loadBundle(join(dir, "iris"), { version: 2 });
  assert.equal(v2.metadata.retrainedFrom, 1);

  // promote: "never" saves v3 but keeps the current version.
  const r3 = await retrain(v2, { with: [], train: t.train, holdout: t.test, epochs: 1, promote: "never", db });
  assert.equal(r3.candidate.version, 3);
  assert.equal(r3.promoted, false);
  assert.equal(currentVersion(join(dir, "iris")), report.promoted ? 2 : 1);
});
