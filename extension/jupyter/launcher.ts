/**
 * Starts a kernel process from a kernelspec and keeps a client connected to it; reports a
 * kernel that dies (crash, kill, out of memory) with its exit status and last stderr lines,
 * interrupts by signal or message as the kernelspec says, and restarts it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { allocateConnection, removeConnectionFile, writeConnectionFile } from "./connection";
import { KernelClient } from "./client";
import type { FoundKernelSpec, KernelSpec } from "./kernelspec";
import type { RunningKernel } from "./kernel-api";

export interface LaunchOptions {
  cwd?: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export class LocalKernel implements RunningKernel {
  client!: KernelClient;
  private child!: ChildProcess;
  private connectionFile = "";
  private stderrTail: string[] = [];
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;

  private constructor(
    readonly spec: KernelSpec,
    readonly name: string,
    private readonly options: LaunchOptions,
  ) {}

  static async start(found: FoundKernelSpec | { name: string; spec: KernelSpec }, options: LaunchOptions = {}): Promise<LocalKernel> {
    const k = new LocalKernel(found.spec, found.name, options);
    await k.launch();
    return k;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get location(): string {
    return `local (pid ${this.pid})`;
  }

  /** The last lines the kernel wrote to stderr (its own log and crash messages). */
  get stderr(): string {
    return this.stderrTail.join("");
  }

  private async launch() {
    const connection = await allocateConnection("127.0.0.1", this.name);
    this.connectionFile = writeConnectionFile(connection);
    const argv = this.spec.argv.map((a) => a.replace("{connection_file}", this.connectionFile));
    this.stderrTail = [];
    this.stopping = false;
    const child = spawn(argv[0], argv.slice(1), {
      cwd: this.options.cwd ?? process.cwd(),
      // The kernel exits when this process is gone (as ipykernel watches JPY_PARENT_PID).
      env: { ...process.env, ...this.spec.env, ...this.options.env, JPY_PARENT_PID: String(process.pid) },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own session, as jupyter_client starts kernels: Ctrl-C in a terminal reaches this
      // process only, which interrupts the kernel itself (once) and decides what happens next.
      detached: process.platform !== "win32",
    });
    this.child = child;
    child.stdout!.on("data", (d: Buffer) => this.keepTail(d));
    child.stderr!.on("data", (d: Buffer) => this.keepTail(d));
    let onExit!: (reason: string) => void;
    const exitReason = new Promise<string>((r) => (onExit = r));
    this.exited = new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = this.stderr.trim().split("\n").slice(-5).join("\n");
        onExit(`the kernel process (pid ${child.pid}) ${how}${this.stopping ? " after shutdown" : ""}${tail ? `; its last output:\n${tail}` : ""}`);
        resolve();
      });
      child.once("error", (e) => {
        onExit(`the kernel could not be started (${argv[0]}): ${e.message}`);
        resolve();
      });
    });
    exitReason.then((reason) => this.client?.markDead(reason));
    const connecting = KernelClient.connect(connection, this.options.startTimeoutMs ?? 60_000);
    const client = await Promise.race([
      connecting,
      exitReason.then((reason) => {
        throw new Error(`kernel failed to start: ${reason}`);
      }),
    ]);
    this.client = client;
  }

  private keepTail(d: Buffer) {
    this.stderrTail.push(d.toString());
    if (this.stderrTail.length > 50) this.stderrTail.splice(0, this.stderrTail.length - 50);
  }

  /** Interrupts the running cell: SIGINT for interrupt_mode "signal" (the default), else a control message. */
  async interrupt(): Promise<void> {
    if ((this.spec.interrupt_mode ?? "signal") === "signal") {
      this.child.kill("SIGINT");
      // Node can drop a SIGINT that lands while the kernel is busy compiling a cell; Sciforge's
      // kernel also takes the interrupt as a control message (ignored when stale).
      if (this.name === "sciforge") void this.client.interruptByMessage().catch(() => {});
    } else {
      await this.client.interruptByMessage();
    }
  }

  /** Kills the kernel process now (SIGKILL) and waits until it is gone: for a cell that no interrupt stops. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.killGroup();
      await this.exited;
    }
  }

  /**
   * SIGKILL to the kernel's process group (it runs in its own session), as jupyter_client kills
   * kernels: a kernel may be more than one process (Sciforge's stand-in and the kernel started
   * from its snapshot, processes a cell started), and none may outlive the kill.
   */
  private killGroup(): void {
    const pid = this.child.pid;
    if (pid && process.platform !== "win32") {
      try {
        process.kill(-pid, "SIGKILL");
        return;
      } catch {
        // no such group: the process alone
      }
    }
    this.child.kill("SIGKILL");
  }

  /** Shuts the kernel down (politely, then by force) and removes its connection file. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        await this.client.shutdown(false, 3000);
      } catch {
        // fall through to kill
      }
      const killed = setTimeout(() => this.killGroup(), 3000);
      await this.exited;
      clearTimeout(killed);
    }
    this.client?.close();
    removeConnectionFile(this.connectionFile);
  }

  /** A fresh process: all state is gone. */
  async restart(): Promise<void> {
    await this.shutdown();
    await this.launch();
  }
}
