/** Helpers for specs that start a server process: keep the tail of its output, wait until it answers. */
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** Collects the last `max` chunks of a child's stdout and stderr (for error messages). */
export function tailOutput(child: ChildProcess, max: number): string[] {
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    lines.push(d.toString());
    if (lines.length > max) lines.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return lines;
}

/**
 * Polls `url` until it answers with a status `accept` takes, the child exits, or the time is up.
 * Returns whether it answered.
 */
export async function waitForHttp(
  url: string,
  child: ChildProcess,
  options: { timeoutMs: number; intervalMs: number; accept(status: number): boolean; init?: RequestInit },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if (options.accept((await fetch(url, options.init)).status)) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
  return false;
}

/** Processes whose command line passes `test` (read from /proc; processes that end meanwhile are skipped). */
export function pidsWhere(test: (cmdline: string, pid: number) => boolean): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (test(readFileSync(`/proc/${name}/cmdline`, "utf8"), Number(name))) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}
