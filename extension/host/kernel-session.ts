/**
 * One running Sciforge kernel for one notebook: started on first use through the shared
 * Jupyter client — on this machine (LocalKernel + sciforgeKernelSpec) or on the Jupyter server
 * chosen with "Connect to Jupyter Server…" (RemoteKernel) — with its state
 * (starting/idle/busy/dead), the compute backend it reported (in display metadata: SciforgeDisplayMetadata
 * of lib/payloads.ts) and the live training payloads it sent (which the dashboard mirrors).
 */
import * as vscode from "vscode";
import { dirname, join, isAbsolute } from "node:path";
import { LocalKernel } from "../jupyter/launcher";
import { sciforgeKernelSpec, KERNEL_NAME } from "../jupyter/kernelspec";
import type { ExecuteOptions, ExecuteResult, RunningKernel } from "../jupyter/kernel-api";
import type { ServerChoice } from "./remote-server";
import { isOneOf, type Message } from "../../kernel-helpers/protocol/messages";
import { MIME } from "../../kernel-helpers/lib/display/mime";
import { chooseNode } from "./node-path";
import { readSettings } from "./settings";
import { requireTrust } from "./trust";
import { backendInfoFromMetadata, type BackendInfo } from "./backend-label";

export type KernelState = "not started" | "starting" | "idle" | "busy" | "restarting" | "dead" | "stopped";

export type { BackendInfo } from "./backend-label";

export class KernelSession implements vscode.Disposable {
  private kernel: RunningKernel | undefined;
  private starting: Promise<RunningKernel> | undefined;
  private restarting = false;
  private busyCount = 0;
  state: KernelState = "not started";
  backend: BackendInfo | undefined;
  /** The last MIME.training payload seen (what the dashboard shows). */
  lastTraining: unknown;
  private readonly stateEmitter = new vscode.EventEmitter<KernelState>();
  private readonly deathEmitter = new vscode.EventEmitter<string>();
  private readonly trainingEmitter = new vscode.EventEmitter<unknown>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidDie = this.deathEmitter.event;
  readonly onTraining = this.trainingEmitter.event;

  constructor(
    readonly notebook: vscode.NotebookDocument,
    private readonly extensionPath: string,
    private readonly log: vscode.OutputChannel,
    private readonly server?: ServerChoice,
  ) {}

  get pid(): number | undefined {
    return this.kernel?.pid;
  }

  private setState(s: KernelState) {
    if (this.state === s) return;
    this.state = s;
    this.stateEmitter.fire(s);
  }

  /** The running kernel, started when there is none (a dead one is not restarted silently). */
  async ensureStarted(): Promise<RunningKernel> {
    if (this.state === "dead") throw new Error("the Sciforge kernel died; restart it (Sciforge: Restart Kernel)");
    if (this.kernel) return this.kernel;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<RunningKernel> {
    requireTrust();
    const settings = readSettings(this.notebook.uri);
    await this.server?.ready;
    const remote = this.server?.address;
    const local = remote ? undefined : this.localLaunch(settings);
    this.setState("starting");
    this.log.appendLine(remote ? `[kernel] starting on the Jupyter server ${remote.baseUrl} for ${this.notebook.uri.fsPath}` : `[kernel] starting for ${this.notebook.uri.fsPath} with ${local!.node.path} (${local!.node.why})`);
    try {
      const kernel: RunningKernel = remote
        ? await (await import("../jupyter/remote")).RemoteKernel.start(remote, { name: KERNEL_NAME, onNote: (t) => this.log.appendLine(`[kernel] ${t}`) })
        : await LocalKernel.start({ name: KERNEL_NAME, spec: local!.spec }, local!.options);
      this.attach(kernel);
      this.kernel = kernel;
      this.setState("idle");
      this.log.appendLine(`[kernel] started, ${kernel.pid ? `pid ${kernel.pid}` : kernel.location}`);
      if (settings.defaultBackend !== "auto") await this.execute(`%backend ${settings.defaultBackend}\n`, { storeHistory: false });
      return kernel;
    } catch (e) {
      this.setState("dead");
      this.log.appendLine(`[kernel] failed to start: ${(e as Error).message}`);
      throw e;
    }
  }

  /** How a local kernel starts: which Node, the kernelspec, its folder and environment. */
  private localLaunch(settings: ReturnType<typeof readSettings>) {
    const node = chooseNode(settings.nodePath);
    const dist = join(this.extensionPath, "dist");
    const cwd = this.notebook.uri.scheme === "file" ? dirname(this.notebook.uri.fsPath) : undefined;
    const modelsDir = settings.modelsDir && cwd && !isAbsolute(settings.modelsDir) ? join(cwd, settings.modelsDir) : settings.modelsDir;
    const env = {
      ...node.env,
      ...(this.notebook.uri.scheme === "file" ? { SCIFORGE_NOTEBOOK: this.notebook.uri.fsPath } : {}),
      ...(modelsDir ? { SCIFORGE_MODELS_DIR: modelsDir } : {}),
      ...(settings.wasmThreads > 0 ? { SCIFORGE_WASM_THREADS: String(settings.wasmThreads) } : {}),
    };
    return { node, spec: sciforgeKernelSpec(dist, node.path), options: { cwd, env } };
  }

  private attach(kernel: RunningKernel) {
    const client = kernel.client;
    client.on("dead", (reason: string) => {
      if (this.restarting || this.kernel !== kernel) return;
      this.log.appendLine(`[kernel] died: ${reason}`);
      this.kernel = undefined;
      this.busyCount = 0;
      this.setState("dead");
      this.deathEmitter.fire(reason);
    });
    client.on("iopub", (m: Message) => this.watch(m));
    client.on("warning", (w: string) => this.log.appendLine(`[kernel] ${w}`));
    client.on("error", (e: Error) => this.log.appendLine(`[kernel] socket error: ${e.message}`));
  }

  private watch(m: Message) {
    if (!isOneOf(m, ["display_data", "update_display_data", "execute_result"])) return;
    const data = m.content.data ?? {};
    if (data[MIME.training] !== undefined) {
      this.lastTraining = data[MIME.training];
      this.trainingEmitter.fire(this.lastTraining);
    }
    const b = backendInfoFromMetadata(m.content.metadata);
    if (b) {
      this.backend = b;
      this.stateEmitter.fire(this.state);
    }
  }

  /** Records the backend in use (when the kernel did not report it itself). */
  setBackend(info: BackendInfo): void {
    this.backend = info;
    this.stateEmitter.fire(this.state);
  }

  /** Runs code on the kernel (starting it first), tracking busy/idle. */
  async execute(code: string, o: ExecuteOptions = {}): Promise<ExecuteResult> {
    const kernel = await this.ensureStarted();
    this.busyCount++;
    this.setState("busy");
    try {
      return await kernel.client.execute(code, o);
    } finally {
      this.busyCount = Math.max(0, this.busyCount - 1);
      if (this.busyCount === 0 && this.state === "busy") this.setState("idle");
    }
  }

  async complete(code: string, offset: number) {
    if (!this.kernel || this.state === "dead") return undefined;
    return this.kernel.client.complete(code, offset);
  }

  async inspect(code: string, offset: number) {
    if (!this.kernel || this.state === "dead") return undefined;
    return this.kernel.client.inspect(code, offset);
  }

  async interrupt(): Promise<void> {
    this.log.appendLine("[kernel] interrupt");
    await this.kernel?.interrupt();
  }

  /** A fresh kernel process (also the way back from a dead one). */
  async restart(): Promise<void> {
    this.log.appendLine("[kernel] restart");
    this.restarting = true;
    this.setState("restarting");
    const old = this.kernel;
    this.kernel = undefined;
    this.backend = undefined;
    this.busyCount = 0;
    try {
      if (old) await old.shutdown().catch(() => {});
    } finally {
      this.restarting = false;
    }
    this.state = "not started";
    await this.ensureStarted();
  }

  /** Stops the kernel so the next cell starts one where kernels now start (this machine or a server). */
  async move(): Promise<void> {
    const k = this.kernel;
    if (!k && this.state !== "dead") return;
    this.log.appendLine(`[kernel] stopping the kernel (${k?.location ?? "dead"}): kernels now start ${this.server?.address ? `on ${this.server.address.baseUrl}` : "on this machine"}`);
    this.kernel = undefined;
    this.backend = undefined;
    this.busyCount = 0;
    this.restarting = true;
    try {
      if (k) await k.shutdown().catch(() => {});
    } finally {
      this.restarting = false;
    }
    this.setState("not started");
  }

  async shutdown(): Promise<void> {
    const k = this.kernel;
    this.kernel = undefined;
    this.restarting = true;
    if (k) await k.shutdown().catch(() => {});
    this.setState("stopped");
  }

  dispose(): void {
    void this.shutdown();
    this.stateEmitter.dispose();
    this.deathEmitter.dispose();
    this.trainingEmitter.dispose();
  }
}

/** One session per open notebook. */
export class KernelSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, KernelSession>();
  private readonly createdEmitter = new vscode.EventEmitter<KernelSession>();
  readonly onDidCreate = this.createdEmitter.event;

  private readonly serverSubscription: vscode.Disposable | undefined;

  constructor(
    private readonly extensionPath: string,
    readonly log: vscode.OutputChannel,
    /** Where new kernels start (none: always on this machine). */
    readonly server?: ServerChoice,
  ) {
    this.serverSubscription = server?.onDidChange(() => void Promise.all(this.all().map((s) => s.move())));
  }

  /** Sessions whose kernel is running (or starting). */
  running(): KernelSession[] {
    return this.all().filter((s) => s.state !== "not started" && s.state !== "stopped" && s.state !== "dead");
  }

  get(notebook: vscode.NotebookDocument): KernelSession | undefined {
    return this.sessions.get(notebook.uri.toString());
  }

  getOrCreate(notebook: vscode.NotebookDocument): KernelSession {
    let s = this.get(notebook);
    if (!s) {
      s = new KernelSession(notebook, this.extensionPath, this.log, this.server);
      this.sessions.set(notebook.uri.toString(), s);
      this.createdEmitter.fire(s);
    }
    return s;
  }

  all(): KernelSession[] {
    return [...this.sessions.values()];
  }

  close(notebook: vscode.NotebookDocument): void {
    const s = this.get(notebook);
    if (!s) return;
    this.sessions.delete(notebook.uri.toString());
    s.dispose();
  }

  dispose(): void {
    this.serverSubscription?.dispose();
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.createdEmitter.dispose();
  }
}
