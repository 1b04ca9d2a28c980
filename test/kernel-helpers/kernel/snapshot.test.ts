/**
 * The kernel's startup snapshot (kernel-helpers/kernel/compiler/snapshot.ts), in a temp cache
 * folder: built in the background after a kernel's first result; the next kernel starts from it
 * (through the stand-in process) and behaves the same — cells, the sciforge library, SIGINT; a
 * stand-in killed takes its kernel with it; a snapshot Node refuses is removed and the kernel
 * starts without it.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KERNEL_NAME, sciforgeKernelSpec } from "../../../extension/jupyter/kernelspec";
import { LocalKernel } from "../../../extension/jupyter/launcher";
import { findSnapshot, snapshotsEnabled, waitForSnapshot, type SnapshotPaths } from "../../../kernel-helpers/kernel/compiler/snapshot";
import { run } from "../../helpers/kernel";
import { DIST, ROOT, requireBuilt, tempDir } from "../../helpers/paths";

const cacheDir = tempDir("sciforge-snapshot-cache-");
const paths: SnapshotPaths = { distDir: DIST, nodeModules: join(ROOT, "node_modules"), libraryDir: join(DIST, "sciforge"), cacheDir };

function start(): Promise<LocalKernel> {
  requireBuilt();
  return LocalKernel.start({ name: KERNEL_NAME, spec: sciforgeKernelSpec(DIST) }, { cwd: tempDir(), env: { SCIFORGE_CACHE_DIR: cacheDir, SCIFORGE_KERNEL_TIMING: "1" } });
}

const fromSnapshot = (k: LocalKernel) => /\[sciforge timing\] snapshot main/.test(k.stderr);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("startup snapshots only on the Node majors they are verified on (Node 24 aborts in a kernel started from one)", () => {
  const on = process.platform === "linux";
  assert.equal(snapshotsEnabled({}, "20.20.2"), on);
  assert.equal(snapshotsEnabled({}, "22.23.5"), on);
  assert.equal(snapshotsEnabled({}, "24.15.0"), false);
  assert.equal(snapshotsEnabled({ SCIFORGE_KERNEL_SNAPSHOT: "0" }, "20.20.2"), false);
});

describe("the kernel's startup snapshot", { skip: !snapshotsEnabled() && "startup snapshots are used on Linux under Node 20 and 22 only" }, () => {
  before(async () => {
    const first = await start();
    try {
      assert.equal(fromSnapshot(first), false, "no snapshot in a fresh cache");
      assert.equal((await run(first, "1 + 1")).of("execute_result")[0].data["text/plain"], "2");
    } finally {
      await first.shutdown();
    }
    assert.ok(await waitForSnapshot(paths, 180_000), "the first kernel builds the snapshot in the background");
  });

  test("the next kernel starts from it and runs cells, the library and an interrupt as usual", async () => {
    const k = await start();
    try {
      assert.ok(fromSnapshot(k), k.stderr);
      assert.equal((await run(k, "const n: number = 20 + 1;\nn * 2")).of("execute_result")[0].data["text/plain"], "42");
      const lib = await run(k, 'import { display, html } from "sciforge";\ndisplay(html("<b>x</b>"))');
      assert.equal(lib.of("display_data")[0].data["text/html"], "<b>x</b>");
      const loop = run(k, "while (true) {}");
      await new Promise((r) => setTimeout(r, 300));
      await k.interrupt();
      assert.equal((await loop).of("error")[0].ename, "KeyboardInterrupt", "SIGINT reaches the kernel through the stand-in");
      assert.equal((await run(k, "n")).of("execute_result")[0].data["text/plain"], "21");
    } finally {
      await k.shutdown();
    }
  });

  test("a stand-in killed with SIGKILL takes its kernel with it", async () => {
    const k = await start();
    assert.ok(fromSnapshot(k));
    await run(k, "1");
    const child = Number(/\d+/.exec(readFileSync(`/proc/${k.pid}/task/${k.pid}/children`, "utf8"))?.[0]);
    assert.ok(child > 0 && alive(child));
    process.kill(k.pid!, "SIGKILL");
    const deadline = Date.now() + 10_000;
    while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(child), false, "the kernel exits within seconds of its stand-in");
    await k.shutdown(); // closes the client's sockets
  });

  test("a snapshot Node refuses is removed, and the kernel starts without it", async () => {
    const { blob } = findSnapshot(paths);
    writeFileSync(blob, "not a snapshot");
    const k = await start();
    try {
      assert.equal(fromSnapshot(k), false);
      assert.match(k.stderr, /did not start from the startup snapshot .*removed it, starting without it/);
      assert.equal((await run(k, "1 + 1")).of("execute_result")[0].data["text/plain"], "2");
      assert.equal(findSnapshot(paths).exists, false);
    } finally {
      await k.shutdown();
    }
  });
});
