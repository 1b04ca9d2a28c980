import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hp, gridPoints, randomPoints } from "../../../kernel-helpers/lib/search/space";
import { gridSearch, randomSearch, successiveHalving } from "../../../kernel-helpers/lib/search/strategies";
import { runs } from "../../../kernel-helpers/lib/track/runs";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { buildMLP } from "../../../kernel-helpers/lib/train/models/mlp";
import { fit } from "../../../kernel-helpers/lib/train/fit/fit";
import { accuracyOf } from "../../../kernel-helpers/lib/deploy/compress/evaluate";
import { trainOn, type Trained } from "../../fixtures/deploy/models";
import { installFakeBridge as installBridge } from "../../helpers/fake-bridge";
import type { TrialContext } from "../../../kernel-helpers/lib/search/types";

const dir = mkdtempSync(join(tmpdir(), "sciforge-search-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let data: Trained;
before(async () => {
  data = await trainOn("iris.csv", { hidden: [4], epochs: 1 });
});

const space = { units: hp.choice([4, 16] as const), lr: hp.logUniform(0.003, 0.03, 2) };

/** Trains an iris MLP with the trial's params; score = held-out accuracy. */
async function objective(p: { units: 4 | 16; lr: number }, ctx: TrialContext): Promise<{ score: number; metrics: Record<string, number> }> {
  const model = buildMLP({ inputDim: 4, hidden: [p.units], numClasses: 3, seed: 1 });
  await fit(model, data.xTrain, data.yTrain, { epochs: ctx.budget ?? 3, batchSize: 16, learningRate: p.lr, seed: 1, progress: false, callbacks: [ctx.run.callback()] });
  const acc = accuracyOf(model, data.xTest, data.yTest);
  model.dispose();
  return { score: acc, metrics: { test_acc: acc } };
}

test("typed space: grid is the cartesian product; random points are seeded and in range", () => {
  const g = gridPoints(space);
  assert.equal(g.length, 4);
  assert.deepEqual(g.map((p) => p.units), [4, 4, 16, 16]);
  assert.ok(Math.abs(g[1].lr - 0.03) < 1e-12 && Math.abs(g[0].lr - 0.003) < 1e-12);
  const r1 = randomPoints({ n: hp.int(1, 5), x: hp.uniform(-1, 1) }, 20, 3);
  assert.deepEqual(r1, randomPoints({ n: hp.int(1, 5), x: hp.uniform(-1, 1) }, 20, 3));
  assert.ok(r1.every((p) => Number.isInteger(p.n) && p.n >= 1 && p.n <= 5 && p.x >= -1 && p.x <= 1));
  assert.throws(() => hp.logUniform(0, 1), /bad range/);
});

test("grid search: every trial is a tracked run; the leaderboard is shown and updated in place; best is the top score", async () => {
  const db = join(dir, "s.sqlite");
  const { bridge, remove } = installBridge();
  try {
    const res = await gridSearch({ space, objective, experiment: "grid", db });
    assert.equal(res.trials.length, 4);
    assert.ok(res.trials.every((t) => t.status === "finished"));
    assert.equal(res.best!.score, Math.max(...res.trials.map((t) => t.score!)));
    const tracked = runs.list({ db, experiment: "grid" });
    assert.equal(tracked.length, 4);
    assert.ok(tracked.every((r) => r.status === "finished" && r.epochs.length === 3 && typeof r.metrics.score === "number" && "units" in r.params));
    const shown = bridge.outputs.filter((o) => MIME.html in o.data);
    assert.equal(shown.filter((o) => !o.update).length, 1, "one leaderboard display");
    assert.equal(shown.filter((o) => o.update).length, 4, "updated after each trial");
    assert.match(String(shown[shown.length - 1].data[MIME.text]), /4\/4/);
  } finally {
    remove();
  }
});

test("random search and successive halving (budgets grow by eta; survivors are the best of each round)", async () => {
  const db = join(dir, "s.sqlite");
  const r = await randomSearch({ space, objective, experiment: "random", trials: 3, seed: 2, db, display: false });
  assert.equal(r.trials.length, 3);
  const h = await successiveHalving({ space, objective, experiment: "halving", configs: 4, minBudget: 1, eta: 2, seed: 1, db, display: false });
  assert.deepEqual(h.trials.map((t) => t.budget), [1, 1, 1, 1, 2, 2, 4]);
  assert.equal(h.rounds, 3);
  const round1 = h.trials.slice(0, 4).sort((a, b) => b.score! - a.score!);
  const survivors = h.trials.slice(4, 6).map((t) => JSON.stringify(t.params));
  assert.ok(survivors.includes(JSON.stringify(round1[0].params)));
  assert.equal(runs.list({ db, experiment: "halving" }).length, 7);
});

test("an interrupt stops the search after the running trial; that trial's run is marked interrupted", async () => {
  const db = join(dir, "s.sqlite");
  const { bridge, remove } = installBridge();
  try {
    let calls = 0;
    const res = await gridSearch({
      space,
      experiment: "interrupted",
      db,
      objective: async (p, ctx) => {
        calls++;
        if (calls === 2) bridge.interrupted = true; // the user presses stop during trial 2
        return objective(p, ctx);
      },
    });
    assert.equal(res.stopped, "interrupt");
    assert.equal(res.trials.length, 2);
    assert.equal(calls, 2);
    assert.equal(res.trials[1].status, "interrupted");
    const statuses = runs.list({ db, experiment: "interrupted" }).map((r) => r.status).sort();
    assert.deepEqual(statuses, ["finished", "interrupted"]);
  } finally {
    remove();
  }
});
