/**
 * `sciforge run` end to end: the real CLI bundle, the real kernel, real files; the written
 * notebook is validated by Jupyter's own nbformat validator (Debian's Python).
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sciforgeKernelSpec } from "../../../extension/jupyter/kernelspec";
import { spawn, spawnSync } from "node:child_process";
import { allocateConnection, writeConnectionFile } from "../../../extension/jupyter/connection";
import { KernelClient } from "../../../extension/jupyter/client";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeNotebook } from "../../helpers/notebook-fixture";
import { CLI, DIST, FIXTURES, PY, pythonHas, requireBuilt, tempDir } from "../../helpers/paths";
import type { Notebook, CodeCell } from "../../../extension/notebook/nbformat";

function sciforge(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
}

function validate(file: string): string {
  const r = spawnSync(PY, ["-c", "import nbformat,sys; nb=nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(nb.nbformat, nb.nbformat_minor)", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const code = (nb: Notebook) => nb.cells.filter((c): c is CodeCell => c.cell_type === "code");

describe("sciforge run", () => {
  let dir: string;
  before(() => {
    requireBuilt();
    assert.ok(pythonHas("nbformat"), "Debian's python3-nbformat is needed (apt-get install python3-nbformat)");
    dir = tempDir();
    copyFileSync(join(FIXTURES, "notebooks", "protocol.ipynb"), join(dir, "protocol.ipynb"));
  });

  test("runs a notebook, stops at the type error, writes a valid 4.5 notebook and an HTML report", () => {
    const r = sciforge(["run", "protocol.ipynb", "--out", "out.ipynb", "--html", "report.html", "-p", "epochs=2"], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /protocol\.ipynb: cell 8 failed: TypeScriptError: line 1, column 7: TS2322: Type 'number' is not assignable to type 'string'\./);
    assert.equal(validate(join(dir, "out.ipynb")), "4 5");
    const nb: Notebook = JSON.parse(readFileSync(join(dir, "out.ipynb"), "utf8"));
    const cells = code(nb);
    // parameters cell, injected cell, then the notebook's own cells
    assert.deepEqual(cells[1].metadata.tags, ["injected-parameters"]);
    assert.match(String(cells[1].source), /epochs = 2;/);
    const counts = cells.map((c) => c.execution_count);
    assert.deepEqual(counts, [1, 2, 3, 4, 5, 6, 7, null]);
    const result = (c: CodeCell) => c.outputs.find((o) => o.output_type === "execute_result");
    assert.deepEqual(result(cells[3]), { output_type: "execute_result", execution_count: 4, data: { "text/plain": "14.47213595499958" }, metadata: {} });
    assert.equal((result(cells[4]) as { data: Record<string, string> }).data["text/plain"], "'fixture awaited'");
    const displays = cells[5].outputs;
    assert.equal(displays[0].output_type, "display_data");
    assert.deepEqual((displays[1] as { data: unknown }).data, { "application/vnd.sciforge.test+json": { answer: 42 }, "text/plain": "answer 42" });
    // the live display shows its last update
    assert.equal((displays[2] as { data: Record<string, string> }).data["text/html"], "<p>step 3</p>");
    assert.deepEqual(displays[3], { output_type: "stream", name: "stdout", text: "printed 2\n" });
    const err = cells[6].outputs[0] as { output_type: string; ename: string; evalue: string; traceback: string[] };
    assert.equal(err.output_type, "error");
    assert.equal(err.ename, "TypeScriptError");
    assert.match(err.evalue, /:1:7 - TS2322/);
    assert.ok(err.traceback.length >= 2);
    assert.deepEqual(cells[7].outputs, [], "cells after the error did not run");
    const run = (nb.metadata.sciforge as { run: Record<string, unknown> }).run;
    assert.equal(run.status, "failed");
    assert.deepEqual(run.parameters, { epochs: 2 });
    assert.match(String(run.input_sha256), /^[0-9a-f]{64}$/);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    assert.match(html, /<b>bold<\/b> text/);
    assert.match(html, /<h1>Kernel protocol fixture<\/h1>/);
    assert.match(html, /ansi-red/);
    assert.ok(!html.includes("\u001b["));
  });

  test("--allow-errors runs the cells after an error", () => {
    const r = sciforge(["run", "protocol.ipynb", "--out", "all.ipynb", "--allow-errors", "--quiet"], dir);
    assert.equal(r.status, 1);
    const nb: Notebook = JSON.parse(readFileSync(join(dir, "all.ipynb"), "utf8"));
    const last = code(nb).at(-1)!;
    assert.deepEqual((last.outputs[0] as { data: unknown }).data, { "text/plain": "'after the error 3'" });
  });

  test("--tags runs the tagged cells and the untagged setup cells above them", () => {
    const r = sciforge(["run", "protocol.ipynb", "--out", "tags.ipynb", "--tags", "train", "--quiet"], dir);
    assert.equal(r.status, 0, r.stderr);
    const nb: Notebook = JSON.parse(readFileSync(join(dir, "tags.ipynb"), "utf8"));
    const ran = code(nb).map((c) => c.execution_count !== null);
    // parameters cell, 3 setup cells, train cell ran; evaluate cell and the cell after it did not
    assert.deepEqual(ran, [true, true, true, true, true, false, false]);
  });

  test("--timeout interrupts a cell that runs too long and keeps what ran", () => {
    const nb = codeNotebook(["const before = 1;\nbefore", "while (true) {}", "2"]);
    writeFileSync(join(dir, "slow.ipynb"), JSON.stringify(nb));
    const t0 = Date.now();
    const r = sciforge(["run", "slow.ipynb", "--timeout", "1", "--quiet"], dir);
    assert.ok(Date.now() - t0 < 30_000);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cell 2 failed: CellTimeoutError: cell 2 ran longer than the 1 s timeout/);
    const out: Notebook = JSON.parse(readFileSync(join(dir, "slow.executed.ipynb"), "utf8"));
    assert.equal((code(out)[0].outputs[0] as { data: Record<string, string> }).data["text/plain"], "1");
    assert.equal(code(out)[2].execution_count, null);
  });

  test("bad input: broken JSON names file:line:column and writes nothing", () => {
    writeFileSync(join(dir, "broken.ipynb"), '{\n  "cells": [\n    {"cell_type": "code",, }\n  ]\n}\n');
    const r = sciforge(["run", "broken.ipynb"], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /broken\.ipynb:3:\d+: not valid JSON/);
    assert.equal(existsSync(join(dir, "broken.executed.ipynb")), false);
    const usage = sciforge(["run", "protocol.ipynb", "-p", "1bad=2"], dir);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /parameter name "1bad" is not a valid identifier/);
  });

  test("--connection-file runs on an already running kernel, which keeps its state", async () => {
    const conn = await allocateConnection();
    const file = writeConnectionFile(conn, dir);
    const kernel = spawn(process.execPath, [join(DIST, "kernel.js"), "--connection-file", file], { cwd: dir, stdio: "ignore" });
    try {
      const client = await KernelClient.connect(conn);
      await client.execute("const preset: number = 40;");
      const book = codeNotebook(["preset + 2"]);
      writeFileSync(join(dir, "attach.ipynb"), JSON.stringify(book));
      const r = spawnSync(process.execPath, [CLI, "run", "attach.ipynb", "--connection-file", file, "--quiet"], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const out: Notebook = JSON.parse(readFileSync(join(dir, "attach.executed.ipynb"), "utf8"));
      assert.equal((code(out)[0].outputs[0] as { data: Record<string, string> }).data["text/plain"], "42");
      await client.shutdown();
      client.close();
    } finally {
      kernel.kill("SIGKILL");
    }
  });

  test("the kernel knows the notebook and the cell (experiment tracking records them)", () => {
    const book = codeNotebook(['import { currentCell } from "sciforge";\n[process.env.SCIFORGE_NOTEBOOK, currentCell()?.label]']);
    writeFileSync(join(dir, "env.ipynb"), JSON.stringify(book));
    const r = sciforge(["run", "env.ipynb", "--quiet"], dir);
    assert.equal(r.status, 0, r.stderr);
    const out: Notebook = JSON.parse(readFileSync(join(dir, "env.executed.ipynb"), "utf8"));
    assert.equal((code(out)[0].outputs[0] as { data: Record<string, string> }).data["text/plain"], `[ '${join(dir, "env.ipynb")}', 'cell[1]' ]`);
  });

  test("kernel install writes a kernelspec that kernel list finds (no Python involved)", () => {
    const data = tempDir();
    const env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_PATH: "" };
    const inst = spawnSync(process.execPath, [CLI, "kernel", "install"], { env, encoding: "utf8" });
    assert.equal(inst.status, 0, inst.stderr);
    const spec = JSON.parse(readFileSync(join(data, "kernels", "sciforge", "kernel.json"), "utf8"));
    assert.equal(spec.display_name, "TypeScript (Sciforge)");
    assert.equal(spec.language, "typescript");
    assert.deepEqual(spec.argv.slice(-2), ["--connection-file", "{connection_file}"]);
    assert.equal(spec.interrupt_mode, process.platform === "win32" ? "message" : "signal");
    // the logos Jupyter front ends show beside the name, made from media/icon.png
    for (const [file, size] of [["logo-32x32.png", 32], ["logo-64x64.png", 64]] as const) {
      const png = readFileSync(join(data, "kernels", "sciforge", file));
      assert.equal(png.subarray(1, 4).toString(), "PNG", file);
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [size, size], file);
    }
    assert.equal(sciforgeKernelSpec("/x/dist", "/n/node", "win32").interrupt_mode, "message");
    assert.equal(sciforgeKernelSpec("/x/dist", "/n/node", "linux").interrupt_mode, "signal");
    const list = spawnSync(process.execPath, [CLI, "kernel", "list"], { env, encoding: "utf8" });
    assert.match(list.stdout, new RegExp(`sciforge\\s+${data}/kernels/sciforge`));
    const prefix = tempDir();
    const p = spawnSync(process.execPath, [CLI, "kernel", "install", "--prefix", prefix], { env, encoding: "utf8" });
    assert.equal(p.status, 0);
    assert.ok(existsSync(join(prefix, "share", "jupyter", "kernels", "sciforge", "kernel.json")));
  });
});
