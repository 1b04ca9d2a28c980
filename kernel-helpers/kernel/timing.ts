/**
 * Where a kernel's start goes: with `SCIFORGE_KERNEL_TIMING=1` the kernel writes one line per
 * phase to stderr — the wall clock in milliseconds (Date.now(), comparable with the process that
 * started the kernel; a process started from a snapshot has no reliable performance.now origin) —
 * up to its first result (`npm run bench:kernel` reads them). Off by default.
 */
import { writeSync } from "node:fs";

const enabled = process.env.SCIFORGE_KERNEL_TIMING === "1";
let done = false;

export function mark(phase: string): void {
  if (!enabled || done) return;
  // fd 2 itself: process.stderr is captured into cell output once the kernel runs.
  writeSync(2, `[sciforge timing] ${phase} ${Date.now()}\n`);
  if (phase === "first result sent") done = true;
}
