/**
 * `sciforge run --server`: the real CLI bundle runs a notebook on a real Jupyter server
 * (Debian's jupyter_server on 127.0.0.1, token auth, the kernelspec from `sciforge kernel
 * install --prefix`) and writes the same outputs as a local run; a wrong token, a server killed
 * mid-cell and bad flags each end with a clear message.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeNotebook } from "../../helpers/notebook-fixture";
import { CLI, FIXTURES, requireBuilt } from "../../helpers/paths";
import { hasJupyterServer, startJupyterServer, type JupyterServer } from "../../helpers/jupyter-server";
import type { CodeCell, Notebook, Output } from "../../../extension/notebook/nbformat";

const skip = hasJupyterServer() ? false : "Debian's python3-jupyter-server is needed (apt-get install python3-jupyter-server)";

/** Outputs without volatile parts (timings, metadata), text joined. */
function comparable(nb: Notebook) {
  const joined = (v: unknown) => (Array.isArray(v) ? v.join("") : v);
  return nb.cells
    .filter((c): c is CodeCell => c.cell_type === "code")
    .map((c) => ({
      source: joined(c.source),
      count: c.execution_count,
      outputs: c.outputs.map((o: Output) => {
        if (o.output_type === "stream") return { stream: o.name, text: joined(o.text) };
        if (o.output_type === "error") return { error: o.ename, evalue: o.evalue, traceback: o.traceback };
        return { type: o.output_type, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, joined(v)])) };
      }),
    }));
}

const cleanEnv = () => {
  const env = { ...process.env };
  delete env.SCIFORGE_SERVER_TOKEN;
  delete env.JUPYTER_TOKEN;
  return env;
};

function sciforge(args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: "utf8", timeout: 180_000 });
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}

describe("sciforge run --server (a real Jupyter server)", { skip, timeout: 600_000 }, () => {
  let server: JupyterServer;
  let dir: string;
  before(async () => {
    requireBuilt();
    server = await startJupyterServer();
    dir = server.root; // the kernel on the server starts in its root folder; the local run uses the notebook's folder: the same
    copyFileSync(join(FIXTURES, "notebooks", "protocol.ipynb"), join(dir, "protocol.ipynb"));
  });
  after(async () => {
    await server?.stop();
  });

  test("runs a notebook on the server with the same outputs as a local run", { timeout: 240_000 }, () => {
    const local = sciforge(["run", "protocol.ipynb", "--allow-errors", "-p", "epochs=2", "--out", "local.ipynb", "--quiet"], dir);
    assert.equal(local.status, 1, local.stderr); // the fixture has one type error
    // token from the environment (stays out of shell history)
    const remote = sciforge(["run", "protocol.ipynb", "--allow-errors", "-p", "epochs=2", "--out", "remote.ipynb", "--server", server.url], dir, { ...cleanEnv(), SCIFORGE_SERVER_TOKEN: server.token });
    assert.equal(remote.status, 1, remote.stderr);
    assert.match(remote.stderr, new RegExp(`sciforge run: kernel [0-9a-f-]{36} on ${server.url.replace(/\./g, "\\.")}`));
    assert.match(remote.stderr, /protocol\.ipynb: cell 8 failed: TypeScriptError: line 1, column 7: TS2322/);
    const a: Notebook = JSON.parse(readFileSync(join(dir, "local.ipynb"), "utf8"));
    const b: Notebook = JSON.parse(readFileSync(join(dir, "remote.ipynb"), "utf8"));
    assert.deepEqual(comparable(b), comparable(a));
    assert.equal(comparable(b).length, 8);
    assert.ok(comparable(b).every((c) => c.count !== null), "every cell ran (--allow-errors)");
    const run = (b.metadata.sciforge as { run: Record<string, unknown> }).run;
    assert.equal(run.server, server.url);
    assert.ok(!JSON.stringify(b).includes(server.token), "the token is not written into the notebook");
    assert.deepEqual(b.metadata.language_info, a.metadata.language_info);
    console.log(`# protocol.ipynb: local ${local.seconds.toFixed(1)} s, remote ${remote.seconds.toFixed(1)} s (CLI wall time, kernel start included)`);
  });

  test("--token on the command line; --timeout interrupts through the server", { timeout: 120_000 }, () => {
    const nb = codeNotebook(["const before = 1;\nbefore", "await new Promise((r) => setTimeout(r, 120_000));", "2"]);
    writeFileSync(join(dir, "slow.ipynb"), JSON.stringify(nb));
    const r = sciforge(["run", "slow.ipynb", "--timeout", "2", "--quiet", "--server", server.url, "--token", server.token], dir);
    assert.ok(r.seconds < 60, `${r.seconds} s`);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cell 2 failed: CellTimeoutError: cell 2 ran longer than the 2 s timeout/);
    const out: Notebook = JSON.parse(readFileSync(join(dir, "slow.executed.ipynb"), "utf8"));
    const cells = out.cells as CodeCell[];
    assert.equal((cells[0].outputs[0] as { data: Record<string, string> }).data["text/plain"], "1");
    assert.equal(cells[2].execution_count, null);
  });

  test("a wrong token: exit 1, a 403 message naming the URL, nothing written", () => {
    const r = sciforge(["run", "protocol.ipynb", "--out", "denied.ipynb", "--server", server.url, "--token", "not-the-token"], dir);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim().split("\n")[0], `sciforge: the Jupyter server at ${server.url} answered 403 Forbidden: the token was rejected (give the server's token with --token, or in SCIFORGE_SERVER_TOKEN / JUPYTER_TOKEN)`);
    assert.equal(existsSync(join(dir, "denied.ipynb")), false);
  });

  test("bad flags are usage errors", () => {
    const both = sciforge(["run", "protocol.ipynb", "--server", server.url, "--connection-file", "x.json"], dir);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--server and --connection-file exclude each other/);
    const token = sciforge(["run", "protocol.ipynb", "--token", "t"], dir);
    assert.equal(token.status, 2);
    assert.match(token.stderr, /--token goes with --server URL/);
    const url = sciforge(["run", "protocol.ipynb", "--server", "ftp://example.org/"], dir);
    assert.equal(url.status, 2);
    assert.match(url.stderr, /--server: "ftp:\/\/example\.org\/": a Jupyter server URL starts with http:\/\/ or https:\/\//);
    const help = sciforge(["run", "--help"], dir);
    assert.match(help.stdout, /--server URL/);
    assert.match(help.stdout, /--token T .*SCIFORGE_SERVER_TOKEN/s);
  });

  // last: it kills the server
  test("the server killed mid-cell: the run stops naming the cell, the outputs so far are written", { timeout: 120_000 }, async () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: "markdown", id: "m", metadata: {}, source: "# long run" },
        { cell_type: "code", id: "a", metadata: {}, source: "const first: number = 1;\nfirst", outputs: [], execution_count: null },
        {
          cell_type: "code",
          id: "b",
          metadata: {},
          source: 'import { writeFileSync } from "node:fs";\nfor (let i = 0; i < 600; i++) {\n  console.log("tick", i);\n  if (i === 3) writeFileSync("ticking.txt", "3");\n  await new Promise((r) => setTimeout(r, 100));\n}',
          outputs: [],
          execution_count: null,
        },
        { cell_type: "code", id: "c", metadata: {}, source: "'never'", outputs: [], execution_count: null },
      ],
    };
    writeFileSync(join(dir, "long.ipynb"), JSON.stringify(nb));
    const child = spawn(process.execPath, [CLI, "run", "long.ipynb", "--server", server.url, "--token", server.token], { cwd: dir, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!existsSync(join(dir, "ticking.txt"))) {
        assert.ok(Date.now() < deadline, `the long cell never started:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      await server.kill();
      const code = await exited;
      const seconds = (Date.now() - t0) / 1000;
      assert.equal(code, 1, stderr);
      assert.match(stderr, new RegExp(`long\\.ipynb: cell 3 failed: DeadKernelError: Lost the kernel while running cell 3: the Jupyter server at ${server.url.replace(/\./g, "\\.")} is gone \\(connection refused for \\d+\\.\\d s\\)`));
      assert.match(stderr, /executed notebook with the outputs so far: .*long\.executed\.ipynb/);
      const out: Notebook = JSON.parse(readFileSync(join(dir, "long.executed.ipynb"), "utf8"));
      const cells = out.cells.filter((c): c is CodeCell => c.cell_type === "code");
      assert.equal((cells[0].outputs[0] as { data: Record<string, string> }).data["text/plain"], "1");
      const ticks = cells[1].outputs.filter((o) => o.output_type === "stream").map((o) => (o as { text: string | string[] }).text).flat().join("");
      assert.match(ticks, /^tick 0\ntick 1\ntick 2\ntick 3\n/);
      const err = cells[1].outputs.at(-1) as { output_type: string; ename: string };
      assert.equal(err.output_type, "error");
      assert.equal(err.ename, "DeadKernelError");
      assert.deepEqual(cells[2].outputs, []);
      assert.equal((out.metadata.sciforge as { run: { status: string } }).run.status, "failed");
      console.log(`# server killed → sciforge run exited after ${seconds.toFixed(1)} s`);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
