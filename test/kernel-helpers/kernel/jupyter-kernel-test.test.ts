/**
 * Jupyter's own kernel test suite (jupyter_kernel_test, Debian's python3-jupyter-kernel-test,
 * installed by .ci/run) against the real kernel, started by jupyter_client from the kernelspec
 * `sciforge kernel install` writes: kernel_info, stdout/stderr, completion, is_complete (complete /
 * incomplete / invalid), errors, execute_result, display_data, history (tail, range, search with
 * unique and n), inspect, clear_output — every test but the pager (no `?` pages) passes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { CLI, PY, pythonHas, requireBuilt, ROOT, tempDir } from "../../helpers/paths";

test("jupyter_kernel_test's KernelTests pass against the sciforge kernelspec", { timeout: 300_000 }, () => {
  requireBuilt();
  assert.ok(pythonHas("jupyter_kernel_test", "jupyter_client"), "Debian's python3-jupyter-kernel-test is needed (.ci/run installs it)");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_DATA_DIR: tempDir("sciforge-jkt-data-"),
    JUPYTER_PATH: "",
    JUPYTER_CONFIG_DIR: tempDir("sciforge-jkt-config-"),
    JUPYTER_RUNTIME_DIR: tempDir("sciforge-jkt-runtime-"),
    SCIFORGE_DATA_DIR: tempDir("sciforge-jkt-history-"),
  };
  const install = spawnSync(process.execPath, [CLI, "kernel", "install"], { env, encoding: "utf8" });
  assert.equal(install.status, 0, install.stderr);
  const r = spawnSync(PY, [join(ROOT, "test", "kernel-helpers", "kernel", "jupyter_kernel_suite.py")], {
    cwd: tempDir("sciforge-jkt-cwd-"),
    env,
    encoding: "utf8",
    timeout: 280_000,
  });
  const report = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, report.slice(-6000));
  const ran = Number(/Ran (\d+) tests?/.exec(report)?.[1] ?? 0);
  assert.ok(ran >= 12, `ran ${ran} tests:\n${report.slice(-3000)}`);
  // Only the pager may be skipped.
  const skipped = [...report.matchAll(/^(test_\w+) .*\.\.\. skipped/gm)].map((m) => m[1]);
  assert.deepEqual(skipped, ["test_pager"], report.slice(-3000));
});
