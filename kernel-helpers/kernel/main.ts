/**
 * Kernel process entry: `node dist/kernel.js --connection-file FILE` (also `-f FILE` or FILE).
 * Jupyter front ends start it from the kernelspec that `sciforge kernel install` writes.
 */
import { readFileSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import { isMainThread, workerData } from "node:worker_threads";
import type { ConnectionInfo } from "../protocol/messages";
import { Heartbeat, HEARTBEAT_ROLE, runHeartbeat } from "./heartbeat";
import { channelAddress } from "../protocol/messages";
import { parentPidFromEnv } from "./parent-watch";
import { cellOutputLimit } from "./streams";
import { findSnapshot, scheduleSnapshotBuild, snapshotsEnabled, type SnapshotPaths } from "./compiler/snapshot";
import { saveCodeCache, snapshotState } from "./compiler/typescript";
import { reportReady, runFromSnapshot, WRAPPER_ENV } from "./snapshot-launch";
import { mark } from "./timing";
import { userCacheDir } from "./user-dirs";
import pkg from "../../package.json";

function connectionFileFromArgs(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--connection-file" || a === "-f") return argv[i + 1];
    if (a.startsWith("--connection-file=")) return a.slice("--connection-file=".length);
    if (!a.startsWith("-")) return a;
  }
  process.stderr.write("usage: sciforge-kernel --connection-file FILE\n");
  process.exit(2);
}

const paths = (): SnapshotPaths => ({
  distDir: __dirname,
  nodeModules: join(__dirname, "..", "node_modules"),
  libraryDir: join(__dirname, "sciforge"),
  cacheDir: userCacheDir(),
});

async function main() {
  mark(snapshotState() ? "snapshot main" : "main");
  const file = connectionFileFromArgs(process.argv.slice(2));
  const fromSnapshot = snapshotState() !== undefined;
  if (fromSnapshot) {
    reportReady();
  } else if (snapshotsEnabled()) {
    const found = findSnapshot(paths());
    if (found.exists && (await runFromSnapshot(found.blob, __filename)) !== "fallback") return;
  }
  // Node ≥ 22.1 keeps compiled code of the kernel, the compiler and the packages it loads.
  (Module as unknown as { enableCompileCache?(dir: string): unknown }).enableCompileCache?.(join(userCacheDir(), "compile-cache"));
  let connection: ConnectionInfo;
  try {
    connection = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    process.stderr.write(`sciforge kernel: cannot read connection file ${file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  // The process that started the kernel, and the one that stands in for it (started from the snapshot).
  const watched = [parentPidFromEnv(), parentPidFromEnv(process.env, WRAPPER_ENV)].filter((p): p is number => p !== null);
  const heartbeat = new Heartbeat(__filename, channelAddress(connection, "hb"), watched);
  const output = cellOutputLimit();
  if (output.warning) process.stderr.write(`sciforge kernel: ${output.warning}\n`);
  const { Kernel } = await import("./kernel");
  mark("kernel code loaded");
  const kernel = new Kernel({
    connection,
    heartbeat,
    outputLimit: output.limit,
    version: pkg.version,
    cacheDir: userCacheDir(),
    // Once the first cell has answered: write what makes the next start faster.
    whenIdle: () => {
      saveCodeCache();
      if (!fromSnapshot) scheduleSnapshotBuild(paths());
    },
    roots: {
      cwd: process.cwd(),
      libraryDir: join(__dirname, "sciforge"),
      bundledNodeModules: join(__dirname, "..", "node_modules"),
    },
  });
  await kernel.start();
  mark("sockets bound");
  heartbeat.onParentGone((pid) => void kernel.exit(1, `the process that started this kernel (pid ${pid}) is gone`));
}

if (!isMainThread && workerData?.role === HEARTBEAT_ROLE) {
  void runHeartbeat(workerData.address, workerData.parentPids ?? []);
} else {
  main().catch((e) => {
    process.stderr.write(`sciforge kernel failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
