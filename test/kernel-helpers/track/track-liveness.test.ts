// Liveness of tracked runs with real processes and a real SQLite file: a run whose process died
// is reaped on every read (also by a connection opened while it was alive), and a zombie process
// (exited, not yet waited for by its parent) does not keep its run "running".
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openTracking, closeTracking } from "../../../kernel-helpers/lib/track/db";
import { runs } from "../../../kernel-helpers/lib/track/runs";
import { runProcessAlive } from "../../../kernel-helpers/lib/track/process";

const dir = mkdtempSync(join(tmpdir(), "sciforge-track-live-"));
const started: ChildProcess[] = [];
after(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});
const root = process.env.SCIFORGE_ROOT ?? process.cwd();

/** Node code that starts a tracked run, prints "RUN <id> <pid>", then stays alive (or dies at once with `die`). */
function runScript(db: string, die: boolean): string {
  return `
    const { startRun } = require(${JSON.stringify(join(root, "kernel-helpers/lib/track/run.ts"))});
    const run = startRun({ db: ${JSON.stringify(db)}, experiment: "live", heartbeatMs: 0 });
    process.stdout.write("RUN " + run.id + " " + process.pid + "\\n", () => {
      ${die ? 'process.kill(process.pid, "SIGKILL");' : "setInterval(() => {}, 1000);"}
    });`;
}

/** Resolves with the run id and pid the child prints. */
function readRun(p: ChildProcess): Promise<{ id: string; pid: number }> {
  return new Promise((resolve, reject) => {
    let out = "";
    p.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /RUN (\S+) (\d+)/.exec(out);
      if (m) resolve({ id: m[1], pid: Number(m[2]) });
    });
    p.on("exit", () => reject(new Error(`child ended before starting a run: ${out}`)));
  });
}

/** State letter and parent pid from /proc/PID/stat, read here independently of the code under test. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const [state, ppid] = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ");
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  for (const t0 = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
  }
}

test("a run whose process is killed reads 'incomplete' on a connection that was open before (reaped on every read, not only at open)", async () => {
  const db = join(dir, "open-connection.sqlite");
  const conn = openTracking(db); // the connection this process keeps using (cached per file)
  const child = spawn(process.execPath, ["--import", "tsx", "-e", runScript(db, false)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  started.push(child);
  const { id, pid } = await readRun(child);
  assert.equal(pid, child.pid);
  assert.equal(runs.get(id, { db })!.status, "running", "alive: not reaped");
  assert.deepEqual(runs.list({ db, status: "running" }).map((r) => r.id), [id]);

  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  assert.equal(openTracking(db), conn, "still the same open connection");
  // every read path reaps: list (with a status filter), get, compare
  assert.deepEqual(runs.list({ db, status: "running" }), []);
  const r = runs.get(id, { db })!;
  assert.equal(r.status, "incomplete");
  assert.match(r.error!, new RegExp(`process ${pid} .*ended without finishing`));
  const cmp = await runs.compare([id], { db, static: false });
  assert.equal(cmp.rows[0].status, "incomplete");
  closeTracking(db);
});

test("a zombie process (exited, its parent never waits for it) does not keep its run 'running'", { skip: !existsSync("/proc/self/stat") && "needs /proc (Linux)" }, async () => {
  const db = join(dir, "zombie.sqlite");
  // sh starts the tracked node process in the background, then becomes `sleep`, which never
  // waits for children: when node dies it stays a zombie until `sleep` is killed
  const parent = spawn("/bin/sh", ["-c", `"$0" --import tsx -e "$1" & exec sleep 120`, process.execPath, runScript(db, true)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  started.push(parent);
  const { id, pid } = await readRun(parent);
  await until(`process ${pid} to become a zombie`, () => procStat(pid)?.state === "Z");
  // the zombie still "exists" for signal 0 and keeps its start time: only its state tells it is gone
  assert.doesNotThrow(() => process.kill(pid, 0));
  assert.equal(procStat(pid)!.ppid, parent.pid, "its parent is the sleeping process, which does not reap it");

  closeTracking(db);
  const r = runs.get(id, { db })!;
  assert.equal(r.status, "incomplete");
  assert.match(r.error!, /ended without finishing/);
  assert.equal(procStat(pid)?.state, "Z", "still a zombie while it was judged");
  assert.equal(runProcessAlive(pid, null), false);
  assert.deepEqual(runs.list({ db, status: "running" }), []);
  closeTracking(db);
  parent.kill("SIGKILL");
});

test("a live process is alive (its own state is not Z)", () => {
  assert.equal(runProcessAlive(process.pid, null), true);
  if (existsSync("/proc/self/stat")) assert.match(procStat(process.pid)!.state, /^[RS]$/);
  assert.equal(runProcessAlive(0, null), false);
  assert.equal(runProcessAlive(2 ** 22 + 7, null), false, "no such pid");
});
