/**
 * Starting the kernel from its startup snapshot (compiler/snapshot.ts): dist/kernel.js, started
 * plainly by a kernelspec, starts `node --snapshot-blob BLOB dist/kernel.js …` as its child and
 * stands in for it — signals (SIGINT interrupts a cell) are passed on, and it exits as the child
 * exits (same code, or the same signal). The child says "ready" over an IPC channel once it runs;
 * a child that ends before that could not use the snapshot (Node refused it): the snapshot is
 * removed and the caller starts the kernel itself.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

/** Set in the child: the pid of the process that stands in for it (watched like JPY_PARENT_PID). */
export const WRAPPER_ENV = "SCIFORGE_KERNEL_WRAPPER";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Resolves "fallback" when the snapshot could not be used; otherwise the process exits with the child. */
export function runFromSnapshot(blob: string, entry: string): Promise<"fallback"> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, "--snapshot-blob", blob, entry, ...process.argv.slice(2)], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: { ...process.env, [WRAPPER_ENV]: String(process.pid) },
    });
    let ready = false;
    let forwarded = false;
    const forward = (signal: NodeJS.Signals) => () => {
      forwarded = true;
      try {
        child.kill(signal);
      } catch {
        // gone
      }
    };
    const handlers = FORWARDED.map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    child.on("message", (m) => {
      if (m === "ready") ready = true;
    });
    child.on("error", (e) => {
      process.stderr.write(`sciforge kernel: could not start from the startup snapshot (${e.message}); starting without it\n`);
      for (const [s, h] of handlers) process.off(s, h);
      resolve("fallback");
    });
    child.on("exit", (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      // Before "ready", an exit we did not ask for (a bad snapshot: an error exit, or an abort) means Node could not use it.
      if (!ready && !forwarded && (signal !== null || code !== 0)) {
        process.stderr.write(`sciforge kernel: Node did not start from the startup snapshot ${blob} (${signal ?? `exit ${code}`}); removed it, starting without it\n`);
        rmSync(blob, { force: true });
        resolve("fallback");
        return;
      }
      if (signal) process.kill(process.pid, signal);
      process.exit(code ?? 1);
    });
  });
}

/** In the child: tells the stand-in that the snapshot was usable. */
export function reportReady(): void {
  if (process.send) {
    process.send("ready");
    process.disconnect?.();
  }
}
