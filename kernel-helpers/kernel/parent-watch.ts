/**
 * A kernel dies with its parent. The launcher names the process that started the kernel in
 * JPY_PARENT_PID (as jupyter_client does for ipykernel); when that process is gone — the CLI or
 * VS Code was killed, a Jupyter server crashed — nobody can reach the kernel any more, so it
 * exits instead of sitting there holding memory (and maybe a CPU).
 *
 * Polled from the heartbeat worker thread, so a cell that blocks the main thread cannot stop it.
 */
import { readFileSync } from "node:fs";

/** The parent pid to watch from the environment, or null (unset, invalid, or init). */
export function parentPidFromEnv(env: NodeJS.ProcessEnv = process.env, name = "JPY_PARENT_PID"): number | null {
  const n = Number(env[name]);
  return Number.isInteger(n) && n > 1 ? n : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie answers kill(0) but is dead (its own parent has not reaped it yet).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/**
 * Calls `onGone` once the process `pid` has ended. When it is our direct parent, a changed
 * parent pid says so (we were re-parented); otherwise (a wrapper script in between) the pid
 * itself is checked. Returns a function that stops watching.
 */
export function watchParent(pid: number, onGone: () => void, everyMs = 1000): () => void {
  const direct = process.ppid === pid;
  const gone = () => (direct ? process.ppid !== pid : !alive(pid));
  const timer = setInterval(() => {
    if (!gone()) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  return () => clearInterval(timer);
}
