/**
 * A kernel started on a Jupyter server through its REST API (POST /api/kernels, …/interrupt,
 * …/restart, DELETE) with its channels over the server's WebSocket — the remote counterpart of
 * LocalKernel. A dropped WebSocket is reconnected (the kernel and its variables stay); a server
 * that is gone or a kernel the server had to restart ends it with a message naming the URL.
 */
import { KernelAPI, KernelConnection } from "@jupyterlab/services";
import type { RunningKernel } from "../kernel-api";
import { describeServerError, RemoteServerError } from "./errors";
import { ConnectionWatch, type LivenessOptions } from "./liveness";
import { RemoteKernelClient } from "./remote-client";
import { probeServer, requireKernelSpec, withTimeout, type ServerInfo } from "./server";
import type { ServerAddress } from "./settings";

export interface RemoteStartOptions extends LivenessOptions {
  /** Kernelspec name on the server (default "sciforge"). */
  name?: string;
  /** How long the kernel may take to answer kernel_info after the server started it. Default 60 s. */
  startTimeoutMs?: number;
  /** Called with connection news (lost, reconnected) — the CLI prints them, VS Code logs them. */
  onNote?(text: string): void;
}

export class RemoteKernel implements RunningKernel {
  private constructor(
    readonly name: string,
    readonly server: ServerInfo,
    readonly client: RemoteKernelClient,
    private readonly api: KernelAPI.KernelAPIClient,
    private readonly watch: ConnectionWatch,
    /** Whether the kernelspec is Sciforge's (it also takes interrupt_request next to SIGINT). */
    private readonly isSciforge: boolean,
  ) {}

  /** Checks the server (reachable, token, kernelspec), starts a kernel there and connects to it. */
  static async start(where: ServerAddress | ServerInfo, o: RemoteStartOptions = {}): Promise<RemoteKernel> {
    const server = "settings" in where ? where : await probeServer(where);
    const url = server.address.baseUrl;
    const name = o.name ?? "sciforge";
    const spec = requireKernelSpec(server, name);
    const api = new KernelAPI.KernelAPIClient({ serverSettings: server.settings });
    let model: KernelAPI.IModel;
    try {
      model = await withTimeout(api.startNew({ name: spec.name }), o.startTimeoutMs ?? 60_000, `starting kernel "${spec.name}" on ${url}`);
    } catch (e) {
      throw describeServerError(e, url, `starting kernel "${spec.name}"`);
    }
    const conn = new KernelConnection({ model, serverSettings: server.settings, kernelAPIClient: api, handleComms: false });
    const client = new RemoteKernelClient(conn, url);
    const watch = new ConnectionWatch(conn, api, url, { end: (reason, lost) => client.markDead(reason, lost), note: (t) => o.onNote?.(t) }, o);
    const kernel = new RemoteKernel(spec.name, server, client, api, watch, Boolean((spec.metadata as Record<string, unknown> | undefined)?.sciforge));
    try {
      await kernel.waitReady(o.startTimeoutMs ?? 60_000);
    } catch (e) {
      await kernel.shutdown();
      throw e;
    }
    return kernel;
  }

  private async waitReady(timeoutMs: number) {
    const url = this.server.address.baseUrl;
    let onStatus!: (_: unknown, s: string) => void;
    const died = new Promise<never>((_, reject) => {
      onStatus = (_, s) => {
        if (s === "dead") reject(new RemoteServerError(`kernel "${this.name}" died while starting on ${url} (see the server's log)`));
      };
      this.client.connection.statusChanged.connect(onStatus);
    });
    try {
      await withTimeout(Promise.race([this.client.connection.info, died]), timeoutMs, `kernel "${this.name}" on ${url} did not answer`);
    } finally {
      this.client.connection.statusChanged.disconnect(onStatus);
    }
  }

  /** The kernel's id on the server. */
  get id(): string {
    return this.client.connection.id;
  }

  get pid(): number | undefined {
    return undefined;
  }

  get location(): string {
    return `remote ${this.server.address.label}`;
  }

  /**
   * POST /api/kernels/ID/interrupt: the server interrupts as the kernelspec says (SIGINT for
   * Sciforge's "signal" mode). Sciforge's kernel also gets an interrupt_request on the control
   * channel, as LocalKernel sends: a SIGINT can land while Node is busy compiling a cell.
   */
  async interrupt(): Promise<void> {
    const url = this.server.address.baseUrl;
    try {
      await withTimeout(this.api.interrupt(this.id), 10_000, `interrupting the kernel on ${url}`);
    } catch (e) {
      throw describeServerError(e, url, "interrupting the kernel");
    }
    if (this.isSciforge) void this.client.interruptByMessage().catch(() => {});
  }

  /** POST /api/kernels/ID/restart, then the channels reconnect: same kernel id, fresh state. */
  async restart(): Promise<void> {
    const url = this.server.address.baseUrl;
    this.watch.expectingChanges = true;
    try {
      await this.client.connection.restart();
      await withTimeout(this.client.connection.info, 60_000, `kernel "${this.name}" on ${url} did not answer after the restart`);
      this.client.revive();
    } catch (e) {
      throw describeServerError(e, url, "restarting the kernel");
    } finally {
      this.watch.expectingChanges = false;
    }
  }

  /** Shuts the kernel down on the server (which kills a kernel that does not stop) and fails what waits on it. */
  async kill(): Promise<void> {
    await this.shutdown();
    this.client.markDead(`the kernel on ${this.server.address.baseUrl} was shut down (it did not stop when interrupted)`);
  }

  /** DELETE /api/kernels/ID; a server that is already gone is not an error here. */
  async shutdown(): Promise<void> {
    this.watch.expectingChanges = true;
    this.watch.dispose();
    const conn = this.client.connection;
    if (!conn.isDisposed && !this.client.lost) {
      try {
        await withTimeout(this.api.shutdown(this.id), 5_000, "shutting the kernel down");
      } catch {
        // gone already, or the server is; nothing left to stop from here
      }
    }
    await this.client.close();
  }
}
