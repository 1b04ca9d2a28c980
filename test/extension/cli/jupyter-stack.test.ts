/**
 * The same notebook through Debian's real Jupyter stack (nbconvert → nbclient → jupyter_client)
 * with the kernelspec `sciforge kernel install` wrote: same outputs as `sciforge run`.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, FIXTURES, pythonHas, requireBuilt, tempDir } from "../../helpers/paths";
import type { CodeCell, Notebook, Output } from "../../../extension/notebook/nbformat";

/** Outputs without volatile parts (display ids, timings), text joined. */
function comparable(nb: Notebook) {
  const join = (v: unknown) => (Array.isArray(v) ? v.join("") : v);
  return nb.cells
    .filter((c): c is CodeCell => c.cell_type === "code")
    .map((c) => ({
      count: c.execution_count,
      outputs: c.outputs.map((o: Output) => {
        if (o.output_type === "stream") return { stream: o.name, text: join(o.text) };
        if (o.output_type === "error") return { error: o.ename, evalue: o.evalue };
        return { type: o.output_type, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, join(v)])) };
      }),
    }));
}

describe("the Jupyter stack runs Sciforge notebooks", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    requireBuilt();
    assert.ok(pythonHas("nbclient", "nbconvert", "jupyter_client"), "Debian's jupyter-nbconvert / python3-nbclient are needed");
    dir = tempDir();
    copyFileSync(join(FIXTURES, "notebooks", "protocol.ipynb"), join(dir, "protocol.ipynb"));
    const data = tempDir();
    env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_PATH: "", JUPYTER_CONFIG_DIR: tempDir(), JUPYTER_RUNTIME_DIR: tempDir() };
    const r = spawnSync(process.execPath, [CLI, "kernel", "install"], { env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });

  function nbconvert(out: string, allowErrors: boolean) {
    return spawnSync(
      "/usr/bin/jupyter",
      ["nbconvert", "--to", "notebook", "--execute", ...(allowErrors ? ["--allow-errors"] : []), "--ExecutePreprocessor.timeout=60", "--output", out, "protocol.ipynb"],
      { cwd: dir, env, encoding: "utf8", timeout: 120_000 },
    );
  }

  test("nbconvert --execute --allow-errors gives the same outputs as sciforge run --allow-errors", () => {
    const a = nbconvert("nbc.ipynb", true);
    assert.equal(a.status, 0, a.stderr);
    const b = spawnSync(process.execPath, [CLI, "run", "protocol.ipynb", "--allow-errors", "--out", "sf.ipynb", "--quiet"], { cwd: dir, env, encoding: "utf8" });
    assert.equal(b.status, 1, b.stderr);
    const viaJupyter = comparable(JSON.parse(readFileSync(join(dir, "nbc.ipynb"), "utf8")));
    const viaSciforge = comparable(JSON.parse(readFileSync(join(dir, "sf.ipynb"), "utf8")));
    assert.deepEqual(viaJupyter, viaSciforge);
    // integer execution counts, execute_result values, the error as an error output, and the last cell ran
    assert.deepEqual(viaJupyter.map((c) => c.count), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(viaJupyter[2].outputs, [{ type: "execute_result", data: { "text/plain": "21.70820393249937" } }]);
    assert.equal((viaJupyter[5].outputs[0] as { error: string }).error, "TypeScriptError");
    assert.deepEqual(viaJupyter[6].outputs, [{ type: "execute_result", data: { "text/plain": "'after the error 3'" } }]);
  });

  test("without --allow-errors nbconvert reports the TypeScript error by name", () => {
    const r = nbconvert("stop.ipynb", false);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /TypeScriptError: cell\[6\]:1:7 - TS2322/);
  });
});
