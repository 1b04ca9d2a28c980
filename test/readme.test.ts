/**
 * The README's main job runs exactly as written: the `npx sciforge run …` line of its "Main job"
 * block, in the repository root after the build, writes the executed notebook and the HTML report.
 * (`npx` needs dist/cli.js to be executable: a fresh clone once failed here with "Permission denied".)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers/paths";

function mainJobCommand(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const block = /\*\*Main job\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "README has a **Main job** block with a sh code block");
  const lines = block[1].trim().split("\n");
  assert.equal(lines.length, 1, "the main job is one command");
  return lines[0];
}

test("the README's main-job command runs as written and writes the executed notebook and the HTML report", () => {
  const cmd = mainJobCommand();
  const m = /^npx sciforge run (\S+\.ipynb) --out (\S+\.ipynb) --html (\S+\.html)$/.exec(cmd);
  assert.ok(m, `unexpected main-job command: ${cmd}`);
  const [, notebook, out, html] = m;
  assert.ok(existsSync(join(ROOT, notebook)), `${notebook} exists`);
  // keep any copies a developer made by running the main job by hand
  const outputs = [out, html].map((f) => join(ROOT, f));
  const kept = outputs.filter((f) => existsSync(f)).map((f) => (renameSync(f, `${f}.kept-by-readme-test`), f));
  try {
    const r = spawnSync("sh", ["-c", cmd], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
    assert.equal(r.status, 0, `${cmd}\n${r.stdout}\n${r.stderr}`);
    const nb = JSON.parse(readFileSync(outputs[0], "utf8"));
    assert.equal(nb.metadata.sciforge.run.status, "ok");
    const codeCells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    assert.ok(codeCells.every((c: { execution_count: number | null }) => c.execution_count !== null), "every code cell ran");
    const report = readFileSync(outputs[1], "utf8");
    assert.match(report, /^<!DOCTYPE html>/i);
    assert.ok(report.length > 100_000, "the report carries its figures");
  } finally {
    for (const f of outputs) rmSync(f, { force: true });
    for (const f of kept) renameSync(`${f}.kept-by-readme-test`, f);
  }
});

test("the README's notebook example (\"In a notebook\") runs as written in the real kernel", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const block = /## In a notebook\s*\n+```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "README's In a notebook section starts with a ts block");
  const dir = mkdtempSync(join(tmpdir(), "sciforge-readme-"));
  try {
    symlinkSync(join(ROOT, "notebooks", "data"), join(dir, "data")); // the example reads data/credit_data.csv, as a case study does
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "sciforge", display_name: "Sciforge (TypeScript)", language: "typescript" } },
      cells: [{ cell_type: "code", id: "example", metadata: {}, execution_count: null, outputs: [], source: block[1] }],
    };
    writeFileSync(join(dir, "example.ipynb"), JSON.stringify(nb));
    const r = spawnSync(process.execPath, [join(ROOT, "dist", "cli.js"), "run", join(dir, "example.ipynb"), "--out", join(dir, "out.ipynb"), "--quiet"], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const out = JSON.parse(readFileSync(join(dir, "out.ipynb"), "utf8")) as { cells: Array<{ outputs: Array<{ output_type: string; data?: Record<string, unknown> }> }> };
    const outputs = out.cells[0].outputs;
    const texts = outputs.map((o) => String(o.data?.["text/plain"] ?? ""));
    assert.ok(outputs.some((o) => o.data && "application/vnd.sciforge.metrics-report+json" in o.data), "evaluate's report");
    assert.ok(texts.some((t) => /Cross-validation, 5 folds/.test(t)), "the cross-validation table");
    const last = outputs.find((o) => o.output_type === "execute_result");
    assert.match(String(last?.data?.["text/plain"]), /label: '(good|bad)'/, "the service's predictions");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
