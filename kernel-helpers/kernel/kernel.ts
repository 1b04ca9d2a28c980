/**
 * The Sciforge kernel, put together: the transport (server.ts) serves the handlers (handlers.ts)
 * that run cells on the Executor; the display bridge (bridge.ts) connects the library and cells
 * to both; stdout/stderr become stream messages (streams.ts); the process's SIGINT, background
 * errors and process.exit are routed to the handlers; exit() ends it all cleanly.
 */
import type { KernelHooks } from "../lib/display/display";
import type { ConnectionInfo } from "../protocol/messages";
import { installBridge } from "./bridge";
import { snapshotState } from "./compiler/typescript";
import { interceptExit } from "./exit-request";
import { Executor } from "./executor";
import { TypeScriptHandlers } from "./handlers";
import type { Heartbeat } from "./heartbeat";
import type { ModuleRoots } from "./module-fallback";
import { KernelServer } from "./server";
import { StreamCapture } from "./streams";
import { mark } from "./timing";

export interface KernelOptions {
  connection: ConnectionInfo;
  roots: ModuleRoots;
  version: string;
  heartbeat?: Heartbeat;
  /** Bytes of stdout and of stderr one cell may print (the rest is dropped with a note); 0 = no limit. */
  outputLimit?: number;
  /** The user's cache folder (compiler caches). */
  cacheDir?: string;
  /** Runs once, shortly after the first cell has answered (caches for the next start). */
  whenIdle?: () => void;
}

export class Kernel {
  private readonly server: KernelServer;
  private readonly streams: StreamCapture;
  private readonly handlers: TypeScriptHandlers;
  /** What the library lends the kernel through the bridge. */
  private readonly hooks: KernelHooks = {};
  private exiting = false;
  private readonly realExit = process.exit.bind(process);

  constructor(private readonly options: KernelOptions) {
    this.server = new KernelServer(options.connection, (text) => this.streams.log(text));
    this.streams = new StreamCapture((name, text) => this.server.publish("stream", { name, text }), 20, options.outputLimit);
    const snapshot = snapshotState();
    const executor = new Executor(options.roots, { cacheDir: options.cacheDir, registry: snapshot?.registry, hostCaches: snapshot?.hostCaches });
    mark("compiler loaded");
    this.handlers = new TypeScriptHandlers({
      io: this.server,
      executor,
      streams: this.streams,
      hooks: this.hooks,
      version: options.version,
      exit: (code, why) => this.exit(code, why),
      whenIdle: options.whenIdle,
    });
  }

  async start(): Promise<void> {
    await this.server.bind();
    const { server, streams, handlers } = this;
    installBridge(
      {
        publish: (msgType, content, metadata, buffers) => server.publish(msgType, content, server.parent, metadata, buffers),
        flushStreams: () => streams.flush(),
        input: (prompt, password) => handlers.input(prompt, password),
        get interrupted() {
          return handlers.interrupted;
        },
        get cell() {
          return handlers.cell;
        },
      },
      this.hooks,
    );
    this.streams.install();
    process.on("SIGINT", () => this.handlers.interrupt());
    process.on("uncaughtException", (e) => this.reportBackground(e));
    process.on("unhandledRejection", (e) => this.reportBackground(e));
    interceptExit((code) => this.handlers.exitRequest(code));
    this.server.serve(this.handlers);
  }

  private reportBackground(e: unknown) {
    if (!this.exiting) this.handlers.reportBackground(e);
  }

  /**
   * Ends the kernel process cleanly: what is queued is sent, the sockets and the heartbeat thread
   * are closed, then the process exits. (Exiting with ZeroMQ sockets open aborts the process with
   * SIGABRT from the native addon.)
   */
  async exit(code: number, why?: string): Promise<never> {
    if (!this.exiting) {
      this.exiting = true;
      if (why) this.streams.log(`[sciforge kernel] ${why}; exiting`);
      try {
        this.streams.flush();
        await this.server.flush();
        this.handlers.close();
        this.server.close();
        await this.options.heartbeat?.stop();
      } catch (e) {
        this.streams.log(`[sciforge kernel] while exiting: ${(e as Error).message}`);
      }
      this.realExit(code);
    }
    return new Promise<never>(() => {});
  }
}
