/**
 * Kernel process entry: `node dist/kernel.js --connection-file FILE` (also `-f FILE` or FILE).
 * Jupyter front ends start it from the kernelspec that `sciforge kernel install` writes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isMainThread, workerData } from "node:worker_threads";
import type { ConnectionInfo } from "../protocol/messages";
import { Heartbeat, HEARTBEAT_ROLE, runHeartbeat } from "./heartbeat";
import { channelAddress } from "../protocol/messages";
import { parentPidFromEnv } from "./parent-watch";
import { cellOutputLimit } from "./streams";
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

async function main() {
  const file = connectionFileFromArgs(process.argv.slice(2));
  let connection: ConnectionInfo;
  try {
    connection = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    process.stderr.write(`sciforge kernel: cannot read connection file ${file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const parentPid = parentPidFromEnv();
  const heartbeat = new Heartbeat(__filename, channelAddress(connection, "hb"), parentPid);
  const output = cellOutputLimit();
  if (output.warning) process.stderr.write(`sciforge kernel: ${output.warning}\n`);
  const { Kernel } = await import("./kernel");
  const kernel = new Kernel({
    connection,
    heartbeat,
    outputLimit: output.limit,
    version: pkg.version,
    roots: {
      cwd: process.cwd(),
      libraryDir: join(__dirname, "sciforge"),
      bundledNodeModules: join(__dirname, "..", "node_modules"),
    },
  });
  await kernel.start();
  heartbeat.onParentGone((pid) => void kernel.exit(1, `the process that started this kernel (pid ${pid}) is gone`));
}

if (!isMainThread && workerData?.role === HEARTBEAT_ROLE) {
  void runHeartbeat(workerData.address, workerData.parentPid ?? null);
} else {
  main().catch((e) => {
    process.stderr.write(`sciforge kernel failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
