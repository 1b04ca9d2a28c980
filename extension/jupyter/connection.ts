/**
 * Connection files: free loopback ports, a fresh signing key, written readable by the owner only
 * into a folder only the owner can enter, and removed when the process that wrote them ends.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionInfo } from "../../kernel-helpers/protocol/messages";

function freePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, ip, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function allocateConnection(ip = "127.0.0.1", kernelName?: string): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort(ip));
  const [shell_port, control_port, stdin_port, iopub_port, hb_port] = [...ports];
  return {
    transport: "tcp",
    ip,
    shell_port,
    control_port,
    stdin_port,
    iopub_port,
    hb_port,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    ...(kernelName ? { kernel_name: kernelName } : {}),
  };
}

/** A runtime folder that must not be used: someone else's, or open to others. */
export class UnsafeRuntimeDirError extends Error {}

/** Jupyter's data folder (jupyter_core's `jupyter_data_dir()`), without creating it. */
function jupyterDataDir(env: NodeJS.ProcessEnv): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME || homedir();
  if (process.platform === "darwin") return join(home, "Library", "Jupyter");
  if (process.platform === "win32") return env.APPDATA ? join(env.APPDATA, "jupyter") : join(home, ".jupyter", "data");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "jupyter");
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The folder for connection files, first of:
 * 1. `$JUPYTER_RUNTIME_DIR`;
 * 2. Jupyter's own runtime folder (`<jupyter data dir>/runtime`) when Jupyter's data folder exists
 *    (`jupyter --runtime-dir`; `jupyter console --existing` finds the files there);
 * 3. `$XDG_RUNTIME_DIR/sciforge` when `$XDG_RUNTIME_DIR` is a folder (per user, mode 0700);
 * 4. `<tmp>/sciforge-runtime-<uid>`, created with mode 0700. In a shared /tmp another user could
 *    create it first and then swap connection files (and run code as you), so an existing one
 *    that is not a real folder owned by you with no access for others is refused.
 */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env, tmp: string = tmpdir()): string {
  if (env.JUPYTER_RUNTIME_DIR) return ensureDir(env.JUPYTER_RUNTIME_DIR);
  const data = jupyterDataDir(env);
  if (isDir(data)) return ensureDir(join(data, "runtime"));
  if (env.XDG_RUNTIME_DIR && isDir(env.XDG_RUNTIME_DIR)) return ensureDir(join(env.XDG_RUNTIME_DIR, "sciforge"));
  const uid = process.getuid?.();
  const dir = join(tmp, `sciforge-runtime-${uid ?? "u"}`);
  let created = false;
  try {
    mkdirSync(dir, { mode: 0o700 });
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  if (uid === undefined) return dir; // Windows: the per-user temp folder is private already
  if (created) {
    chmodSync(dir, 0o700);
    return dir;
  }
  const st = lstatSync(dir);
  const fix = `remove it, or set JUPYTER_RUNTIME_DIR (or XDG_RUNTIME_DIR) to a private folder`;
  if (!st.isDirectory()) throw new UnsafeRuntimeDirError(`refusing the runtime folder ${dir}: it is a ${st.isSymbolicLink() ? "symbolic link" : "file"}, not a folder; ${fix}`);
  if (st.uid !== uid) throw new UnsafeRuntimeDirError(`refusing the runtime folder ${dir}: it belongs to uid ${st.uid}, not to you (uid ${uid}), so its owner could swap connection files and run code as you; ${fix}`);
  if ((st.mode & 0o077) !== 0) {
    throw new UnsafeRuntimeDirError(`refusing the runtime folder ${dir}: its mode is ${(st.mode & 0o777).toString(8).padStart(4, "0")}, not 0700, so others could swap connection files and run code as you; ${fix}`);
  }
  return dir;
}

function ensureDir(dir: string): string {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

// ---- cleanup: connection files never outlive the process that wrote them ------------------------

const live = new Set<string>();
let hooked = false;

function removeLive(): void {
  for (const f of live) {
    try {
      rmSync(f, { force: true });
    } catch {
      // best effort on the way out
    }
  }
  live.clear();
}

/**
 * Removes the files still live when the process exits (process.exit, end of the event loop) or is
 * killed by SIGTERM/SIGINT/SIGHUP. A signal that nobody else listens for is re-raised after the
 * cleanup, so the process still dies of it as before; when the program has its own handler (e.g.
 * Ctrl-C that interrupts and shuts down), that handler decides and the exit hook cleans up.
 */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", removeLive);
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    const onSignal = () => {
      if (process.listenerCount(sig) > 1) return;
      removeLive();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** Writes a connection file (mode 0600, a fresh name) that is removed when this process ends, if not before. */
export function writeConnectionFile(info: ConnectionInfo, dir = runtimeDir()): string {
  const file = join(dir, `kernel-sciforge-${randomBytes(6).toString("hex")}.json`);
  hookExit();
  writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600, flag: "wx" });
  live.add(file);
  return file;
}

/** Removes a connection file written by {@link writeConnectionFile}. */
export function removeConnectionFile(file: string): void {
  live.delete(file);
  if (file) rmSync(file, { force: true });
}

export function readConnectionFile(file: string): ConnectionInfo {
  let info: Partial<ConnectionInfo>;
  try {
    info = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read connection file ${file}: ${(e as Error).message}`, { cause: e });
  }
  for (const k of ["ip", "shell_port", "control_port", "stdin_port", "iopub_port", "hb_port"] as const) {
    if (info[k] === undefined) throw new Error(`connection file ${file} has no "${k}"`);
  }
  return { transport: "tcp", key: "", signature_scheme: "hmac-sha256", ...info } as ConnectionInfo;
}
