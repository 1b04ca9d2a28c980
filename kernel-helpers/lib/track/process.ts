/** Liveness of a process id on this machine (used to find runs whose kernel died). */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * The fields of /proc/PID/stat after the command name (Linux): [0] is the state letter, [19] the
 * start time. Undefined where /proc is absent (macOS, Windows) or the pid is gone.
 */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) is in parentheses and may itself hold spaces or ')'
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * The process's state letter from /proc/PID/stat (R, S, D, T, Z zombie, X dead, ...), or
 * undefined where /proc is not available.
 */
export function processState(pid: number): string | undefined {
  return procStat(pid)?.[0];
}

/**
 * True when a process with this pid exists on this host and is not a zombie (EPERM still means it
 * exists). A zombie has exited but was not yet waited for by its parent: it runs nothing, so a run
 * it started is over. Zombies are recognised where /proc exists (Linux); elsewhere the pid's
 * existence alone decides.
 */
export function pidAlive(pid: number): boolean {
  return runProcessAlive(pid, null);
}

/** A process with this pid exists (signal 0 reaches it, or is refused with EPERM). */
function pidExists(pid: number): boolean {
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
  return procStat(pid)?.[19];
}

/**
 * True when the process that started a run (pid + recorded start time) is still running: it
 * exists, is not a zombie, and (where the start time is known) started when the run's did.
 */
export function runProcessAlive(pid: number, startTime: string | null): boolean {
  if (!pidExists(pid)) return false;
  const stat = procStat(pid);
  if (stat === undefined) return true; // no /proc: existence is all we can tell
  if (stat[0] === "Z" || stat[0] === "X") return false;
  return !startTime || stat[19] === startTime;
}
