/**
 * Watches a remote kernel's WebSocket. services reconnects a dropped socket by itself; this
 * decides when a drop is not a drop but the end: the server refuses connections (stopped) or
 * stays unreachable too long, the token is rejected, the kernel is gone from the server, or the
 * server had to restart the kernel process (its state is lost). While the socket is down it asks
 * the server (GET /api/kernels/ID) every `probeEveryMs`, and starts a new round of reconnects
 * when services has given up but the server answers again.
 */
import type { KernelAPI, KernelConnection } from "@jupyterlab/services";
import { describeServerError, isRefused } from "./errors";
import { withTimeout } from "./server";

export interface LivenessOptions {
  /** How long the server may refuse connections (stopped, restarting) before the kernel counts as lost. Default 5 s. */
  refusedGraceMs?: number;
  /** How long the server may stay unreachable otherwise (network down) before the kernel counts as lost. Default 60 s. */
  unreachableGraceMs?: number;
  /** How often to ask the server while the WebSocket is down. Default 500 ms. */
  probeEveryMs?: number;
}

export interface LivenessEvents {
  /** The kernel is dead (`lost` false) or out of reach for good (`lost` true). */
  end(reason: string, lost: boolean): void;
  /** Something people may want to know (connection lost, back after N s). */
  note(text: string): void;
}

export class ConnectionWatch {
  /** Set while this side restarts or shuts the kernel down (its status changes are expected). */
  expectingChanges = false;
  private downSince: number | null = null;
  private firstRefused: number | null = null;
  private firstFailure: number | null = null;
  private lastNudge = 0;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private ended = false;
  private readonly refusedGraceMs: number;
  private readonly unreachableGraceMs: number;
  private readonly probeEveryMs: number;

  constructor(
    private readonly conn: KernelConnection,
    private readonly api: KernelAPI.KernelAPIClient,
    private readonly url: string,
    private readonly events: LivenessEvents,
    o: LivenessOptions = {},
  ) {
    this.refusedGraceMs = o.refusedGraceMs ?? 5_000;
    this.unreachableGraceMs = o.unreachableGraceMs ?? 60_000;
    this.probeEveryMs = o.probeEveryMs ?? 500;
    conn.connectionStatusChanged.connect((_, status) => this.onConnection(status));
    conn.statusChanged.connect((_, status) => this.onStatus(status));
  }

  private onConnection(status: string) {
    if (this.ended || this.expectingChanges) return;
    if (status === "connected") {
      if (this.downSince !== null) this.events.note(`reconnected to the kernel on ${this.url} after ${((Date.now() - this.downSince) / 1000).toFixed(1)} s`);
      this.downSince = null;
      this.firstRefused = this.firstFailure = null;
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.downSince === null) {
      this.downSince = Date.now();
      this.events.note(`lost the connection to the kernel on ${this.url}; reconnecting`);
    }
    this.schedule();
  }

  private onStatus(status: string) {
    if (this.ended || this.expectingChanges) return;
    if (status === "autorestarting") {
      this.end(`the kernel process on ${this.url} died and the server started a new one: the kernel's state is gone`, false);
    } else if (status === "dead") {
      this.end(`the kernel on ${this.url} is dead`, false);
    }
  }

  private schedule() {
    if (this.timer || this.ended) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probe();
    }, this.probeEveryMs);
  }

  private async probe() {
    if (this.ended || this.probing || this.conn.isDisposed) return;
    this.probing = true;
    try {
      const model = await withTimeout(this.api.getModel(this.conn.id), 5_000, `the Jupyter server at ${this.url}`);
      this.firstRefused = this.firstFailure = null;
      if (!model) return this.end(`the kernel ${this.conn.id} no longer exists on the Jupyter server at ${this.url} (the server was restarted, or the kernel was shut down there)`, false);
      if (model.execution_state === "dead") return this.end(`the kernel on ${this.url} is dead${model.reason ? `: ${model.reason}` : ""}`, false);
      // The server answers. services retries by itself while "connecting" (tearing down its
      // attempt in flight could lose the messages the server replays on it); once it has given
      // up ("disconnected") a fresh reconnect starts here.
      if (this.conn.connectionStatus === "disconnected" && Date.now() - this.lastNudge > 3_000) {
        this.lastNudge = Date.now();
        this.conn.reconnect().catch(() => {});
      }
    } catch (e) {
      const now = Date.now();
      const err = describeServerError(e, this.url, "checking on the kernel");
      if (err.status === 401 || err.status === 403) return this.end(err.message, true);
      if (isRefused(e) || err.status === 503 || err.status === 424) {
        this.firstRefused ??= now;
        if (now - this.firstRefused >= this.refusedGraceMs) {
          return this.end(`the Jupyter server at ${this.url} is gone (${err.status ? `it answers ${err.status}` : "connection refused"} for ${((now - this.firstRefused) / 1000).toFixed(1)} s)`, true);
        }
      } else {
        this.firstRefused = null;
        this.firstFailure ??= now;
        if (now - this.firstFailure >= this.unreachableGraceMs) {
          return this.end(`lost the connection to the Jupyter server at ${this.url} for ${Math.round((now - this.firstFailure) / 1000)} s (${err.message})`, true);
        }
      }
    } finally {
      this.probing = false;
      if (!this.ended && this.conn.connectionStatus !== "connected") this.schedule();
    }
  }

  private end(reason: string, lost: boolean) {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.events.end(reason, lost);
  }

  /** Stops watching (the kernel is being shut down on purpose). */
  dispose(): void {
    this.ended = true;
    clearTimeout(this.timer);
  }
}
