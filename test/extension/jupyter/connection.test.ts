/**
 * Connection files and their folder: nobody else can swap them (a private runtime folder, an
 * attacker's /tmp folder refused), and they do not outlive the process that wrote them (exit,
 * SIGTERM, and a `sciforge run` killed with SIGTERM).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allocateConnection, runtimeDir, UnsafeRuntimeDirError, writeConnectionFile } from "../../../extension/jupyter/connection";
import { codeNotebook } from "../../helpers/notebook-fixture";
import { CLI, ROOT, requireBuilt, tempDir } from "../../helpers/paths";

const uid = process.getuid?.();
const posix = uid !== undefined;
/** An environment with no runtime folder configured and no Jupyter data folder. */
const bare = (extra: Record<string, string> = {}) => ({ HOME: tempDir("sciforge-home-"), ...extra });
const connectionFiles = (dir: string) => readdirSync(dir).filter((f) => /^kernel-.*\.json$/.test(f));

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Direct children of a process (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe("connection files: the runtime folder", { skip: !posix && "POSIX permissions" }, () => {
  test("with nothing configured, <tmp>/sciforge-runtime-<uid> is created with mode 0700", () => {
    const tmp = tempDir();
    const dir = runtimeDir(bare(), tmp);
    assert.equal(dir, join(tmp, `sciforge-runtime-${uid}`));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(runtimeDir(bare(), tmp), dir, "the same folder is used again");
    const file = writeConnectionFile({ ip: "127.0.0.1" } as never, dir);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test("a /tmp folder someone else created first (mode 0777) is refused with a clear error", () => {
    const tmp = tempDir();
    const planted = join(tmp, `sciforge-runtime-${uid}`);
    mkdirSync(planted);
    chmodSync(planted, 0o777);
    assert.throws(() => runtimeDir(bare(), tmp), (e: Error) => {
      assert.ok(e instanceof UnsafeRuntimeDirError);
      assert.match(e.message, /refusing the runtime folder .*sciforge-runtime-\d+: its mode is 0777, not 0700.*set JUPYTER_RUNTIME_DIR/);
      return true;
    });
    chmodSync(planted, 0o750);
    assert.throws(() => runtimeDir(bare(), tmp), /its mode is 0750, not 0700/);
  });

  test("a folder owned by another user is refused even at 0700", { skip: uid !== 0 && "needs root to chown" }, () => {
    const tmp = tempDir();
    const planted = join(tmp, `sciforge-runtime-${uid}`);
    mkdirSync(planted, { mode: 0o700 });
    chownSync(planted, 65534, 65534);
    assert.throws(() => runtimeDir(bare(), tmp), /belongs to uid 65534, not to you/);
  });

  test("a symbolic link planted at the /tmp name is refused", async () => {
    const tmp = tempDir();
    const { symlinkSync } = await import("node:fs");
    symlinkSync(tempDir(), join(tmp, `sciforge-runtime-${uid}`));
    assert.throws(() => runtimeDir(bare(), tmp), /it is a symbolic link, not a folder/);
  });

  test("JUPYTER_RUNTIME_DIR, then Jupyter's own runtime folder, then XDG_RUNTIME_DIR are used instead of /tmp", () => {
    const tmp = tempDir();
    const xdg = tempDir();
    const explicit = join(tempDir(), "rt");
    assert.equal(runtimeDir(bare({ JUPYTER_RUNTIME_DIR: explicit, XDG_RUNTIME_DIR: xdg }), tmp), explicit);
    assert.ok(existsSync(explicit));
    const home = tempDir("sciforge-home-");
    mkdirSync(join(home, ".local", "share", "jupyter"), { recursive: true });
    if (process.platform === "linux") {
      assert.equal(runtimeDir({ HOME: home, XDG_RUNTIME_DIR: xdg }, tmp), join(home, ".local", "share", "jupyter", "runtime"));
    }
    const data = tempDir();
    assert.equal(runtimeDir({ HOME: home, JUPYTER_DATA_DIR: data }, tmp), join(data, "runtime"));
    const viaXdg = runtimeDir(bare({ XDG_RUNTIME_DIR: xdg }), tmp);
    assert.equal(viaXdg, join(xdg, "sciforge"));
    assert.equal(statSync(viaXdg).mode & 0o777, 0o700);
    assert.equal(existsSync(join(tmp, `sciforge-runtime-${uid}`)), false, "nothing was created in /tmp");
  });
});

describe("connection files: removed when their process ends", () => {
  /** A process that writes a connection file into `dir`, prints its path, then exits or waits. */
  function writer(dir: string, then: "exit" | "wait") {
    const script = join(tempDir(), "writer.ts");
    writeFileSync(
      script,
      `import { writeConnectionFile } from ${JSON.stringify(join(ROOT, "extension/jupyter/connection.ts"))};\n` +
        `console.log(writeConnectionFile({ ip: "127.0.0.1" } as never, ${JSON.stringify(dir)}));\n` +
        (then === "exit" ? "process.exit(3);\n" : "setInterval(() => {}, 1000);\n"),
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    return { child, path: () => out.trim() };
  }

  test("process.exit removes it", async () => {
    const dir = tempDir();
    const w = writer(dir, "exit");
    const end = await exited(w.child);
    assert.equal(end.code, 3);
    assert.match(w.path(), /kernel-sciforge-[0-9a-f]+\.json$/);
    assert.deepEqual(connectionFiles(dir), []);
  });

  test("SIGTERM removes it, and the process still dies of SIGTERM", async () => {
    const dir = tempDir();
    const w = writer(dir, "wait");
    await until("the connection file", () => w.path() && existsSync(w.path()));
    w.child.kill("SIGTERM");
    const end = await exited(w.child);
    assert.equal(end.signal, "SIGTERM");
    assert.deepEqual(connectionFiles(dir), []);
  });

  test("`sciforge run` killed with SIGTERM leaves no connection file behind", { skip: process.platform !== "linux" && "reads /proc" }, async () => {
    requireBuilt();
    const dir = tempDir();
    const rt = join(dir, "runtime");
    writeFileSync(join(dir, "slow.ipynb"), JSON.stringify(codeNotebook(["await new Promise((r) => setTimeout(r, 120_000));"])));
    const cli = spawn(process.execPath, [CLI, "run", "slow.ipynb", "--quiet"], { cwd: dir, env: { ...process.env, JUPYTER_RUNTIME_DIR: rt }, stdio: "ignore" });
    const kernels: number[] = [];
    try {
      await until("the kernel and its connection file", () => existsSync(rt) && connectionFiles(rt).length === 1 && childrenOf(cli.pid!).length > 0);
      kernels.push(...childrenOf(cli.pid!));
      await new Promise((r) => setTimeout(r, 1500)); // let the cell start
      cli.kill("SIGTERM");
      await exited(cli);
      assert.deepEqual(connectionFiles(rt), [], "the connection file is removed");
    } finally {
      if (cli.exitCode === null && cli.signalCode === null) cli.kill("SIGKILL");
      // Whether the kernel outlives its parent is another spec's business; do not leave one here.
      for (const pid of kernels) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  });
});

test("allocateConnection gives five distinct loopback ports and a 256-bit key", async () => {
  const c = await allocateConnection();
  assert.equal(new Set([c.shell_port, c.control_port, c.stdin_port, c.iopub_port, c.hb_port]).size, 5);
  assert.match(c.key, /^[0-9a-f]{64}$/);
});
