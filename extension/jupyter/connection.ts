/**
 * Connection files: free loopback ports, a fresh signing key, written readable by the owner only.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
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

/** Jupyter's runtime folder (connection files live there). */
export function runtimeDir(): string {
  const dir = process.env.JUPYTER_RUNTIME_DIR ?? join(tmpdir(), `sciforge-runtime-${process.getuid?.() ?? "u"}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function writeConnectionFile(info: ConnectionInfo, dir = runtimeDir()): string {
  const file = join(dir, `kernel-sciforge-${randomBytes(6).toString("hex")}.json`);
  writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return file;
}

export function readConnectionFile(file: string): ConnectionInfo {
  let info: Partial<ConnectionInfo>;
  try {
    info = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read connection file ${file}: ${(e as Error).message}`);
  }
  for (const k of ["ip", "shell_port", "control_port", "stdin_port", "iopub_port", "hb_port"] as const) {
    if (info[k] === undefined) throw new Error(`connection file ${file} has no "${k}"`);
  }
  return { transport: "tcp", key: "", signature_scheme: "hmac-sha256", ...info } as ConnectionInfo;
}
