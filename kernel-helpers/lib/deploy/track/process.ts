/** Liveness of a process id on this machine (used to find runs whose kernel died). */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** True when a process with this pid exists on this host (EPERM still means it exists). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** This machine's name, stored with each run so liveness is only judged on the same host. */
export function hostName(): string {
  return hostname();
}

/**
 * When a process started, as the kernel records it (Linux: field 22 of /proc/PID/stat, in clock
 * ticks since boot); undefined where unavailable. Stored with a run so that a reused pid is not
 * mistaken for the run's own process.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

/** True when the process that started a run (pid + recorded start time) is still running. */
export function runProcessAlive(pid: number, startTime: string | null): boolean {
  if (!pidAlive(pid)) return false;
  if (!startTime) return true;
  const now = processStartTime(pid);
  return now === undefined || now === startTime;
}
