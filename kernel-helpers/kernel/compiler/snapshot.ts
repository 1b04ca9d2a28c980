/**
 * The kernel's startup snapshot: a V8 heap (Node's `--build-snapshot`) with the compiler loaded
 * and TypeScript's lib, Node's types and the sciforge library's declarations already parsed and
 * bound. A kernel started from it has its first program in tens of milliseconds instead of most
 * of a second. It is built for one Node binary and one installation, in the background after a
 * kernel's first result, into the user's cache folder (`<cache>/kernel-snapshot/<key>.blob`);
 * the next kernels start from it. `SCIFORGE_KERNEL_SNAPSHOT=0` turns it off (Linux only: not
 * tried elsewhere).
 *
 * Node starts from a snapshot only when told on its command line, and a kernelspec names
 * `node dist/kernel.js`, so dist/kernel.js starts a second Node with `--snapshot-blob` when a
 * snapshot is there (main.ts): signals are passed on, the exit status passed back, and the kernel
 * watches the first process as its parent. A snapshot Node refuses starts the kernel without it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";

export interface SnapshotPaths {
  /** dist/: kernel.js and kernel-snapshot.js. */
  distDir: string;
  /** The node_modules folder Sciforge runs with (typescript, @types/node). */
  nodeModules: string;
  /** dist/sciforge. */
  libraryDir: string;
  /** The user's cache folder. */
  cacheDir: string;
}

/** Environment of the snapshot builder (read by snapshot-main.ts). */
export const BUILD_ENV = {
  ts: "SCIFORGE_SNAPSHOT_TS",
  library: "SCIFORGE_SNAPSHOT_LIBRARY",
  nodeModules: "SCIFORGE_SNAPSHOT_NODE_MODULES",
  key: "SCIFORGE_SNAPSHOT_KEY",
} as const;

export const CHECK_FLAG = "--sciforge-snapshot-check";

/**
 * Node majors whose user-land startup snapshots the kernel is verified on. Node 24 aborts in a
 * kernel started from one (`IsolateData::set_shutdown_wrap_template: Assertion failed`, in
 * LibuvStreamWrap::Initialize) once the kernel opens a stream, after it has reported ready, so
 * there it starts without a snapshot (code cache only).
 */
export const SNAPSHOT_NODE_MAJORS: readonly number[] = [20, 22];

export function snapshotsEnabled(env: NodeJS.ProcessEnv = process.env, nodeVersion = process.versions.node): boolean {
  return env.SCIFORGE_KERNEL_SNAPSHOT !== "0" && process.platform === "linux" && SNAPSHOT_NODE_MAJORS.includes(Number(nodeVersion.split(".")[0]));
}

function stamp(p: string): string {
  try {
    const st = statSync(p);
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return "-";
  }
}

function version(pkgJson: string): string {
  try {
    return (JSON.parse(readFileSync(pkgJson, "utf8")) as { version?: string }).version ?? "?";
  } catch {
    return "-";
  }
}

/** What a snapshot depends on: this Node binary, the kernel's files, TypeScript, the types parsed into it. */
export function snapshotKey(p: SnapshotPaths): string {
  const parts = [
    process.version,
    process.arch,
    process.execPath,
    stamp(process.execPath),
    stamp(join(p.distDir, "kernel-snapshot.js")),
    version(join(p.nodeModules, "typescript", "package.json")),
    stamp(join(p.nodeModules, "typescript", "lib", "typescript.js")),
    version(join(p.nodeModules, "@types", "node", "package.json")),
    stamp(join(p.libraryDir, "index.d.ts")),
    stamp(join(p.libraryDir, "types", "index.d.ts")),
  ];
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 16);
}

export function snapshotDir(cacheDir: string): string {
  return join(cacheDir, "kernel-snapshot");
}

/** The snapshot for this installation and Node, if one has been built. */
export function findSnapshot(p: SnapshotPaths): { key: string; blob: string; exists: boolean } {
  const key = snapshotKey(p);
  const blob = join(snapshotDir(p.cacheDir), `${key}.blob`);
  return { key, blob, exists: existsSync(blob) };
}

/**
 * Builds the snapshot in the background (a detached, low-priority process that outlives this
 * kernel): build into a temporary file, start a Node from it as a check, then rename it into
 * place; older snapshots are removed. Does nothing when one exists or another build is running.
 */
export function scheduleSnapshotBuild(p: SnapshotPaths): boolean {
  if (!snapshotsEnabled()) return false;
  const { key, blob, exists } = findSnapshot(p);
  if (exists) return false;
  const dir = snapshotDir(p.cacheDir);
  const lock = join(dir, "build.lock");
  try {
    mkdirSync(dir, { recursive: true });
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs < 5 * 60_000) return false;
  } catch {
    return false;
  }
  const child = spawn(process.execPath, ["-e", SUPERVISOR], {
    detached: true,
    stdio: "ignore",
    env: {
      ...process.env,
      SCIFORGE_SNAPSHOT_BLOB: blob,
      SCIFORGE_SNAPSHOT_ENTRY: join(p.distDir, "kernel-snapshot.js"),
      SCIFORGE_SNAPSHOT_LOCK: lock,
      [BUILD_ENV.ts]: join(p.nodeModules, "typescript", "lib", "typescript.js"),
      [BUILD_ENV.library]: p.libraryDir,
      [BUILD_ENV.nodeModules]: p.nodeModules,
      [BUILD_ENV.key]: key,
      SCIFORGE_KERNEL_TIMING: "0",
    },
  });
  child.on("error", () => {});
  try {
    if (child.pid) setPriority(child.pid, 19);
  } catch {
    // not allowed: build at normal priority
  }
  child.unref();
  return true;
}

/** Waits (for tests and the bench) until the snapshot of `p` exists, at most `timeoutMs`. */
export async function waitForSnapshot(p: SnapshotPaths, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (findSnapshot(p).exists) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return findSnapshot(p).exists;
}

/** Lists the snapshots in the cache folder (for pruning and tests). */
export function listSnapshots(cacheDir: string): string[] {
  try {
    return readdirSync(snapshotDir(cacheDir)).filter((f) => f.endsWith(".blob"));
  } catch {
    return [];
  }
}


// The builder's supervisor, run with `node -e` (it must not depend on the kernel's files, which a
// rebuild may replace meanwhile). Keeps the two newest snapshots.
const SUPERVISOR = `
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { SCIFORGE_SNAPSHOT_BLOB: blob, SCIFORGE_SNAPSHOT_ENTRY: entry, SCIFORGE_SNAPSHOT_LOCK: lock } = process.env;
let fd;
try { fd = fs.openSync(lock, "wx"); } catch { process.exit(0); }
const tmp = blob + ".tmp-" + process.pid;
try {
  const built = spawnSync(process.execPath, ["--snapshot-blob", tmp, "--build-snapshot", entry], { stdio: "ignore", timeout: 180000 });
  if (built.status === 0) {
    const check = spawnSync(process.execPath, ["--snapshot-blob", tmp, entry, "${CHECK_FLAG}"], { encoding: "utf8", timeout: 60000 });
    if (check.status === 0 && check.stdout.includes("sciforge snapshot ok")) {
      fs.renameSync(tmp, blob);
      const dir = path.dirname(blob);
      const old = fs.readdirSync(dir).filter((f) => f.endsWith(".blob")).map((f) => path.join(dir, f))
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs).slice(2);
      for (const f of old) fs.rmSync(f, { force: true });
    }
  }
} finally {
  fs.rmSync(tmp, { force: true });
  fs.closeSync(fd);
  fs.rmSync(lock, { force: true });
}
`;
