/**
 * A real Jupyter server (Debian's jupyter_server) on 127.0.0.1 with token auth and Sciforge's
 * kernelspec installed by `sciforge kernel install --prefix`; every Jupyter folder is a temp
 * folder, so nothing of the user's configuration is read or written. `stop()` ends the server
 * and any kernel it started (also ones it left behind when it was killed).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CLI, PY, pythonHas, requireBuilt, tempDir } from "./paths";
import { freePort, pidsWhere, tailOutput, waitForHttp } from "./server-process";

export { freePort };

export interface JupyterServer {
  url: string;
  port: number;
  token: string;
  /** The server's root folder (kernels start here). */
  root: string;
  process: ChildProcess;
  /** The server's stdout/stderr so far. */
  log(): string;
  /** Kernel processes this server started (found by their connection files in its runtime folder). */
  kernelPids(): number[];
  /** SIGKILL the server (a crash): its kernels are left running, as after a real crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}


export function hasJupyterServer(): boolean {
  return pythonHas("jupyter_server");
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once("exit", () => r()));
}

export async function startJupyterServer(o: { token?: string; root?: string } = {}): Promise<JupyterServer> {
  requireBuilt();
  const base = tempDir("sciforge-jupyter-");
  const dirs = { data: join(base, "data"), config: join(base, "config"), runtime: join(base, "runtime"), prefix: join(base, "prefix"), root: o.root ?? join(base, "root") };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_DATA_DIR: dirs.data,
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    JUPYTER_PATH: join(dirs.prefix, "share", "jupyter"),
    JUPYTER_TOKEN: "",
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  delete env.SCIFORGE_SERVER_TOKEN;
  const inst = spawnSync(process.execPath, [CLI, "kernel", "install", "--prefix", dirs.prefix], { env, encoding: "utf8" });
  if (inst.status !== 0) throw new Error(`sciforge kernel install --prefix failed: ${inst.stderr}`);
  const token = o.token ?? randomBytes(16).toString("hex");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      PY,
      ["-m", "jupyter_server", "--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, "--ServerApp.port_retries=0", `--ServerApp.token=${token}`, `--ServerApp.root_dir=${dirs.root}`],
      { env, cwd: dirs.root, stdio: ["ignore", "pipe", "pipe"] },
    );
    const lines = tailOutput(child, 500);
    const url = `http://127.0.0.1:${port}/`;
    const up = await waitForHttp(`${url}api`, child, { timeoutMs: 60_000, intervalMs: 200, accept: (status) => status >= 200 && status < 300 });
    if (!up) {
      child.kill("SIGKILL");
      await exited(child);
      if (attempt < 3 && /already in use|Address already/.test(lines.join(""))) continue;
      throw new Error(`jupyter server did not start on ${url}:\n${lines.join("")}`);
    }
    const kernelPids = () => pidsWhere((cmd) => cmd.includes(dirs.runtime));
    const killKernels = () => {
      for (const pid of kernelPids()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    };
    return {
      url,
      port,
      token,
      root: dirs.root,
      process: child,
      log: () => lines.join(""),
      kernelPids,
      kill: async () => {
        child.kill("SIGKILL");
        await exited(child);
      },
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const t = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited(child);
          clearTimeout(t);
        }
        killKernels();
      },
    };
  }
}
