import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostname } from "node:os";
import { openTracking, closeTracking, reapDeadRuns } from "../../../kernel-helpers/lib/track/db";
import { openSqlite } from "../../../kernel-helpers/lib/track/sqlite";
import { startRun, track } from "../../../kernel-helpers/lib/track/run";
import { runs } from "../../../kernel-helpers/lib/track/runs";
import { dataHash } from "../../../kernel-helpers/lib/track/hash";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { trainOn } from "../../fixtures/deploy/models";
import { loadSklearnCsv, IRIS_FEATURES } from "../../fixtures/deploy/data";

const dir = mkdtempSync(join(tmpdir(), "sciforge-track-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const root = process.env.SCIFORGE_ROOT ?? process.cwd();

test("runs record params, data hash, per-epoch and final metrics, artifacts; compare gives a table and a plotly figure", async () => {
  const db = join(dir, "a.sqlite");
  const iris = loadSklearnCsv("iris.csv", IRIS_FEATURES);
  const hash = dataHash(iris.frame);
  assert.equal(hash, dataHash(loadSklearnCsv("iris.csv", IRIS_FEATURES).frame));
  assert.notEqual(hash, dataHash(iris.frame.head(100)));
  const ids: string[] = [];
  for (const lr of [0.003, 0.03]) {
    await track({ db, experiment: "iris-lr", name: `lr=${lr}`, params: { lr, hidden: [16] }, seed: 1, dataHash: hash, notebook: "iris.ipynb", cell: "train" }, async (run) => {
      ids.push(run.id);
      await trainOn("iris.csv", { hidden: [16], epochs: 4, learningRate: lr, callbacks: [run.callback()] });
      // A figure artifact: the run's own loss curve as a plotly JSON file.
      const loss = runs.get(run.id, { db })!.epochs.map((e) => e.loss);
      const figPath = join(dir, `loss-${lr}.plotly.json`);
      writeFileSync(figPath, JSON.stringify({ data: [{ type: "scatter", y: loss }] }));
      run.logArtifact("loss curve", figPath, "figure");
      return { test_acc: 0.5 + lr };
    });
  }
  const conn = openTracking(db);
  assert.equal(conn.pragma("journal_mode", { simple: true }), "wal");
  assert.ok(Number(conn.pragma("busy_timeout", { simple: true })) >= 5000);
  const list = runs.list({ db, experiment: "iris-lr" });
  assert.equal(list.length, 2);
  const r = runs.get(ids[0], { db })!;
  assert.equal(r.status, "finished");
  assert.deepEqual(r.params, { lr: 0.003, hidden: [16] });
  assert.equal(r.backend, "wasm");
  assert.equal(r.dataHash, hash);
  assert.equal(r.seed, 1);
  assert.equal(r.notebook, "iris.ipynb");
  assert.equal(r.epochs.length, 4);
  assert.deepEqual(r.epochs.map((e) => e.epoch), [1, 2, 3, 4]);
  assert.ok(r.epochs.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.acc)));
  assert.equal(r.metrics.test_acc, 0.503);
  assert.ok(Number.isFinite(r.metrics.loss), "last epoch metrics recorded as final");
  assert.equal(r.artifacts[0].kind, "figure");
  assert.ok(r.artifacts[0].bytes! > 20);

  const cmp = await runs.compare({ experiment: "iris-lr" }, { db, static: false, metric: "loss" });
  assert.deepEqual(cmp.rows.map((x) => x.name), ["lr=0.003", "lr=0.03"]);
  assert.ok(cmp.columns.includes("param.lr") && cmp.columns.includes("test_acc"));
  const fig = cmp.figure.plotly;
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[0].x, [1, 2, 3, 4]);
  const bundle = mimeBundleOf(cmp);
  assert.ok(bundle[MIME.plotly]);
  assert.match(String(bundle[MIME.html]), /lr=0\.03/);
});

test("a failing body marks the run failed with the error", async () => {
  const db = join(dir, "a.sqlite");
  let id = "";
  await assert.rejects(
    track({ db, experiment: "boom" }, (run) => {
      id = run.id;
      throw new Error("diverged");
    }),
    /diverged/,
  );
  const r = runs.get(id, { db })!;
  assert.equal(r.status, "failed");
  assert.match(r.error!, /diverged/);
});

test("concurrent writers (two processes and this one) do not lose rows or hit SQLITE_BUSY", async () => {
  const db = join(dir, "concurrent.sqlite");
  openTracking(db);
  const script = `
    const { startRun } = require(${JSON.stringify(join(root, "kernel-helpers/lib/track/run.ts"))});
    const run = startRun({ db: ${JSON.stringify(db)}, experiment: "concurrent", heartbeatMs: 0 });
    for (let e = 1; e <= 150; e++) run.logEpoch(e, { loss: 1 / e });
    run.finish({ done: 1 });`;
  const child = () =>
    new Promise<number>((resolve) => {
      const p = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
      p.on("exit", (code) => resolve(code ?? -1));
    });
  const mine = startRun({ db, experiment: "concurrent", heartbeatMs: 0 });
  const children = Promise.all([child(), child()]);
  for (let e = 1; e <= 150; e++) {
    mine.logEpoch(e, { loss: 1 / e });
    if (e % 10 === 0) await new Promise((r) => setTimeout(r, 5));
  }
  mine.finish({ done: 1 });
  assert.deepEqual(await children, [0, 0]);
  const all = runs.list({ db, experiment: "concurrent" });
  assert.equal(all.length, 3);
  for (const r of all) {
    assert.equal(r.status, "finished");
    assert.equal(r.epochs.length, 150);
  }
});

test("a tracked run whose kernel is SIGKILLed mid-training leaves a readable DB with the run marked incomplete", async () => {
  const db = join(dir, "killed.sqlite");
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/fixtures/deploy/tracked-train.ts"), db, "500"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let runId = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      runId = /RUN (\S+)/.exec(out)?.[1] ?? runId;
      if (/EPOCH 3\b/.test(out)) {
        child.kill("SIGKILL");
        resolve();
      }
    });
    child.on("exit", () => reject(new Error(`child ended before epoch 3: ${out}`)));
  });
  await new Promise((r) => child.once("exit", r));
  assert.equal(child.signalCode, "SIGKILL");
  assert.doesNotMatch(out, /DONE/);

  // The file is intact and readable by a plain connection before any reaping.
  const raw = openSqlite(db, { readonly: true });
  assert.equal(raw.pragma("integrity_check", { simple: true }), "ok");
  const before = raw.prepare("SELECT status, pid FROM runs WHERE id = ?").get(runId) as { status: string; pid: number };
  raw.close();
  assert.equal(before.status, "running");
  assert.equal(before.pid, child.pid);

  // Opening the tracking DB reaps runs whose process is gone.
  closeTracking(db);
  const r = runs.get(runId, { db })!;
  assert.equal(r.status, "incomplete");
  assert.match(r.error!, /ended without finishing/);
  assert.ok(r.epochs.length >= 3, `epochs recorded before the kill: ${r.epochs.length}`);
  assert.ok(r.epochs.every((e) => Number.isFinite(e.loss)));
  assert.deepEqual(reapDeadRuns(openTracking(db)), [], "already reaped");
  // A live run of this process is never reaped.
  const live = startRun({ db, heartbeatMs: 0 });
  assert.deepEqual(runs.reap({ db }), []);
  assert.equal(runs.get(live.id, { db })!.status, "running");
  // A run whose pid now belongs to another process (pid reuse: same pid, other start time) is dead,
  // and so is a run on another host whose heartbeat is stale.
  const conn = openTracking(db);
  const insert = conn.prepare("INSERT INTO runs (id, experiment, name, status, pid, pid_start, host, started_at, heartbeat_at) VALUES (?, 'x', 'x', 'running', ?, ?, ?, ?, ?)");
  insert.run("reused-pid", process.pid, "1", hostname(), Date.now(), Date.now());
  insert.run("other-host-stale", 1, null, "elsewhere", 0, 0);
  insert.run("other-host-fresh", 1, null, "elsewhere", Date.now(), Date.now());
  assert.deepEqual(runs.reap({ db }).sort(), ["other-host-stale", "reused-pid"]);
  assert.equal(runs.get("other-host-fresh", { db })!.status, "running");
  live.finish();
});
