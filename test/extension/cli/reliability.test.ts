/**
 * Nothing hangs, nothing is lost: the real `sciforge run` (dist/cli.js) with the real kernel,
 * pushed the way a clumsy user or a crash would — a loop the interrupt cannot stop, Ctrl-C and
 * SIGTERM, the CLI killed outright, 600 MB printed in one cell, process.exit() in a cell, errors
 * thrown from timers and promises. Kernel processes are found by the pid their cell wrote.
 * No timing thresholds: every wait is "until it happens", with generous limits.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeNotebook } from "../../helpers/notebook-fixture";
import { CLI, requireBuilt, tempDir } from "../../helpers/paths";
import type { CodeCell, Notebook } from "../../../extension/notebook/nbformat";

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

interface Started {
  child: ChildProcess;
  done: Promise<Ran>;
  stderrSoFar: () => string;
}

/** Starts the CLI; `verbose` drops --quiet's silence for the run's progress lines (what a timeout then shows). */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, verbose = false): Started {
  const child = spawn(process.execPath, [CLI, ...(verbose ? args.filter((a) => a !== "--quiet") : args)], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Ran>((resolve) => child.once("close", (status, signal) => resolve({ status, signal, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

/** Runs the CLI to the end; a run that does not end within `ms` is killed and fails the test. */
async function sciforge(args: string[], cwd: string, o: { env?: NodeJS.ProcessEnv; ms?: number } = {}): Promise<Ran> {
  const { child, done } = start(args, cwd, o.env);
  const timer = setTimeout(() => child.kill("SIGKILL"), o.ms ?? 120_000);
  const r = await done;
  clearTimeout(timer);
  assert.notEqual(r.signal, "SIGKILL", `sciforge ${args.join(" ")} did not end within ${(o.ms ?? 120_000) / 1000} s (it hangs)\n${r.stderr}`);
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `f` holds; a timeout names what was awaited and what the CLIs in `runs` said meanwhile. */
async function waitFor<T>(what: string, f: () => T | undefined | null | false, ms = 60_000, runs: Started[] = []): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) {
      const said = runs.map((r, i) => `CLI ${i + 1} (${r.child.exitCode ?? r.child.signalCode ?? "running"}): ${r.stderrSoFar().trim().slice(-1500) || "(nothing on stderr)"}`).join("\n");
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${said ? `\n${said}` : ""}`);
    }
    await sleep(100);
  }
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}

/** A cell line that records the kernel's pid in FILE (so the spec can watch that process). */
const writePid = (file: string) => `require("node:fs").writeFileSync(${JSON.stringify(file)}, String(process.pid));`;
const readPid = (dir: string, file: string) => (existsSync(join(dir, file)) ? Number(readFileSync(join(dir, file), "utf8")) || null : null);

const code = (nb: Notebook) => nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
const read = (file: string): Notebook => JSON.parse(readFileSync(file, "utf8"));
const errors = (c: CodeCell) => c.outputs.filter((o) => o.output_type === "error") as { ename: string; evalue: string }[];
const result = (c: CodeCell) => (c.outputs.find((o) => o.output_type === "execute_result") as { data: Record<string, string> } | undefined)?.data["text/plain"];
const streamText = (c: CodeCell, name = "stdout") => c.outputs.filter((o) => o.output_type === "stream" && o.name === name).map((o) => [(o as { text: string | string[] }).text].flat().join("")).join("");

describe("sciforge run: nothing hangs, nothing is lost", { timeout: 600_000 }, () => {
  let dir: string;
  before(() => {
    requireBuilt();
    dir = tempDir();
  });

  test("--timeout bounds a cell no interrupt stops (a loop after an await): the kernel is killed, the cell says why, the notebook is written, exit 1", async () => {
    writeFileSync(join(dir, "spin.ipynb"), JSON.stringify(codeNotebook(["const before = 1;\nbefore", `${writePid("spin.pid")}\nawait Promise.resolve();\nwhile (true) {}`, "2"])));
    const r = await sciforge(["run", "spin.ipynb", "--timeout", "2", "--quiet"], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cell 2 failed: CellTimeoutError: cell 2 ran longer than the 2 s timeout and did not stop within 5 s of the interrupt: the kernel was killed/);
    const cells = code(read(join(dir, "spin.executed.ipynb")));
    assert.equal(result(cells[0]), "1");
    assert.equal(errors(cells[1])[0].ename, "CellTimeoutError");
    assert.equal(cells[2].execution_count, null);
    const pid = readPid(dir, "spin.pid")!;
    assert.equal(alive(pid), false, `kernel ${pid} is still running`);
  });

  test("Ctrl-C interrupts the running cell, writes what ran, shuts the kernel down, exits 130", async () => {
    writeFileSync(join(dir, "ctrlc.ipynb"), JSON.stringify(codeNotebook(["40 + 2", `${writePid("ctrlc.pid")}\nawait new Promise((r) => setTimeout(r, 600_000));`, "3"])));
    const { child, done } = start(["run", "ctrlc.ipynb", "--quiet"], dir);
    const pid = await waitFor("the second cell to run", () => readPid(dir, "ctrlc.pid"));
    child.kill("SIGINT");
    const r = await done;
    assert.equal(r.status, 130, r.stderr);
    assert.match(r.stderr, /ctrlc\.ipynb: stopped by SIGINT in cell 2 after 2 cells/);
    const nb = read(join(dir, "ctrlc.executed.ipynb"));
    const cells = code(nb);
    assert.equal(result(cells[0]), "42");
    assert.equal(errors(cells[1])[0].ename, "KeyboardInterrupt");
    assert.equal(cells[2].execution_count, null);
    assert.equal((nb.metadata.sciforge as { run: { status: string } }).run.status, "interrupted");
    assert.equal(alive(pid), false, `kernel ${pid} is still running`);
  });

  test("SIGTERM, then a second signal while a loop after an await ignores the interrupt: the kernel is killed at once, the notebook written, exit 143", async () => {
    writeFileSync(join(dir, "term.ipynb"), JSON.stringify(codeNotebook([`${writePid("term.pid")}\nconsole.log("spinning");\nawait Promise.resolve();\nwhile (true) {}`, "2"])));
    const { child, done } = start(["run", "term.ipynb", "--quiet"], dir);
    const pid = await waitFor("the cell to run", () => readPid(dir, "term.pid"));
    child.kill("SIGTERM");
    await sleep(500);
    child.kill("SIGINT");
    const r = await done;
    assert.equal(r.status, 143, r.stderr);
    assert.match(r.stderr, /killing the kernel/);
    const cells = code(read(join(dir, "term.executed.ipynb")));
    assert.equal(streamText(cells[0]), "spinning\n", "output printed before the kill is kept");
    assert.match(errors(cells[0])[0].evalue, /the run was stopped \(SIGTERM\) while cell 1 ran, and the cell did not stop( within 5 s of the interrupt)?: the kernel was killed/);
    assert.equal(cells[1].execution_count, null);
    assert.equal(alive(pid), false, `kernel ${pid} is still running`);
  });

  test("a kernel dies with its parent: `sciforge run` killed outright (SIGKILL) leaves no kernel behind, idle or busy", async () => {
    writeFileSync(join(dir, "idle.ipynb"), JSON.stringify(codeNotebook([`${writePid("idle.pid")}\nawait new Promise((r) => setTimeout(r, 600_000));`])));
    writeFileSync(join(dir, "busy.ipynb"), JSON.stringify(codeNotebook([`${writePid("busy.pid")}\nawait Promise.resolve();\nwhile (true) {}`])));
    const runs = [start(["run", "idle.ipynb", "--quiet"], dir, process.env, true), start(["run", "busy.ipynb", "--quiet"], dir, process.env, true)];
    try {
      const pids = [await waitFor("the idle kernel", () => readPid(dir, "idle.pid"), 60_000, runs), await waitFor("the busy kernel", () => readPid(dir, "busy.pid"), 60_000, runs)];
      for (const { child } of runs) child.kill("SIGKILL");
      await Promise.all(runs.map((r) => r.done));
      for (const pid of pids) await waitFor(`kernel ${pid} to exit after its parent was killed`, () => !alive(pid));
    } finally {
      // a failure must not leave the CLIs (and their kernels) holding this test file open
      for (const { child } of runs) child.kill("SIGKILL");
    }
  });

  test("600 × 1 MB printed in one cell: the kernel keeps 10 MB with a note, answers, and the next cell runs; SCIFORGE_MAX_CELL_OUTPUT sets the limit", async () => {
    writeFileSync(join(dir, "huge.ipynb"), JSON.stringify(codeNotebook(['const mb = "x".repeat(1_000_000);\nfor (let i = 0; i < 600; i++) console.log(mb);\n"printed"', '"after"'])));
    const r = await sciforge(["run", "huge.ipynb", "--quiet"], dir);
    assert.equal(r.status, 0, r.stderr);
    const cells = code(read(join(dir, "huge.executed.ipynb")));
    const text = streamText(cells[0]);
    assert.ok(text.length > 9_900_000 && text.length < 10_100_000, `kept ${text.length} characters`);
    assert.match(text, /\[output truncated: 590\.0 MB dropped — stdout keeps 10\.0 MB per cell \(SCIFORGE_MAX_CELL_OUTPUT\)\]\n$/);
    assert.equal(result(cells[0]), "'printed'");
    assert.equal(result(cells[1]), "'after'");

    writeFileSync(join(dir, "small.ipynb"), JSON.stringify(codeNotebook(['for (let i = 0; i < 100; i++) console.error("e".repeat(99));', 'console.error("fresh budget")'])));
    const s = await sciforge(["run", "small.ipynb", "--quiet"], dir, { env: { ...process.env, SCIFORGE_MAX_CELL_OUTPUT: "1000" } });
    assert.equal(s.status, 0, s.stderr);
    const small = code(read(join(dir, "small.executed.ipynb")));
    assert.match(streamText(small[0], "stderr"), /^(e{99}\n){10}\[output limit reached: stderr keeps 1\.0 kB per cell[^\n]*\]\n\[output truncated: 9\.0 kB dropped — stderr keeps 1\.0 kB per cell \(SCIFORGE_MAX_CELL_OUTPUT\)\]\n$/);
    assert.equal(streamText(small[1], "stderr"), "fresh budget\n");
  });

  test("process.exit(3) in a cell: the cell answers, the kernel exits with code 3 (no SIGABRT), the run names the code and the cell", async () => {
    writeFileSync(join(dir, "exit.ipynb"), JSON.stringify(codeNotebook(["1", 'console.log("bye");\nprocess.exit(3);', "2"])));
    const r = await sciforge(["run", "exit.ipynb", "--quiet"], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /exit\.ipynb: cell 2 failed: KernelExit: the kernel exited with code 3 while running cell 2 \(process\.exit\(3\) in the cell\)/);
    assert.doesNotMatch(r.stderr, /SIGABRT|Napi/);
    const cells = code(read(join(dir, "exit.executed.ipynb")));
    assert.equal(streamText(cells[1]), "bye\n");
    assert.equal(errors(cells[1])[0].evalue, "process.exit(3) was called: the kernel exits with code 3");
    assert.equal(cells[2].execution_count, null);
  });

  test("errors thrown from timers and unhandled rejections fail the cell that was running, or the next one; the run fails", async () => {
    const book = codeNotebook([
      'setTimeout(() => { throw new Error("from a timer"); }, 50);\nawait new Promise((r) => setTimeout(r, 1000));\n"cell 1 done"',
      'setTimeout(() => void Promise.reject(new Error("late rejection")), 1000);\n"scheduled"',
      'await new Promise((r) => setTimeout(r, 3000));\n"cell 3 done"',
      '"cell 4"',
    ]);
    writeFileSync(join(dir, "background.ipynb"), JSON.stringify(book));
    const all = await sciforge(["run", "background.ipynb", "--allow-errors", "--quiet"], dir);
    assert.equal(all.status, 1, all.stderr);
    assert.match(all.stderr, /background\.ipynb: cell 1 failed: Error: \(in background\) from a timer/);
    const cells = code(read(join(dir, "background.executed.ipynb")));
    assert.deepEqual(errors(cells[0]).map((e) => e.evalue), ["(in background) from a timer"]);
    assert.equal(result(cells[0]), "'cell 1 done'", "the cell's own code finished");
    assert.deepEqual(errors(cells[1]), []);
    // The rejection comes 1 s after cell 2: during cell 3, or (a slow machine) before it starts.
    assert.equal(errors(cells[2]).length, 1);
    assert.match(errors(cells[2])[0].evalue, /^\(in background(, after cell\[2\] ended)?\) late rejection$/);
    assert.equal(result(cells[3]), "'cell 4'");
    // without --allow-errors the run stops at the first such cell
    const stop = await sciforge(["run", "background.ipynb", "--quiet"], dir);
    assert.equal(stop.status, 1);
    assert.equal(code(read(join(dir, "background.executed.ipynb")))[1].execution_count, null);
  });
});
