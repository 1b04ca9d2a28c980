/**
 * Installs the KernelBridge (lib/display/display.ts) on globalThis[Symbol.for("sciforge.kernel")]:
 * how the library and cells reach the kernel — displays, comms, clear_output and input go out
 * through it; the interrupt flag and the running cell come in through it; and the library lends
 * the kernel its hooks (e.g. `%backend`'s switcher) on it.
 */
import type { KernelBridge, KernelCell, KernelHooks } from "../lib/display/display";

const BRIDGE = Symbol.for("sciforge.kernel");

/** What the bridge needs from the kernel. */
export interface BridgeHost {
  /** Publishes on iopub, for the request outputs go to now. */
  publish(msgType: string, content: unknown, metadata?: Record<string, unknown>, buffers?: Buffer[]): void;
  /** Sends the cell's pending stdout/stderr first, so that outputs keep their order. */
  flushStreams(): void;
  input(prompt: string, password: boolean): Promise<string>;
  readonly interrupted: boolean;
  readonly cell: KernelCell | undefined;
}

export function installBridge(host: BridgeHost, hooks: KernelHooks): KernelBridge {
  const bridge: KernelBridge = {
    display(data, metadata, displayId, update) {
      host.flushStreams();
      host.publish(update ? "update_display_data" : "display_data", { data, metadata, transient: displayId ? { display_id: displayId } : {} });
    },
    input: (prompt, password) => host.input(prompt, password),
    comm(msgType, content, metadata, buffers) {
      host.flushStreams();
      host.publish(msgType, content, metadata, buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
    },
    clearOutput(wait) {
      host.flushStreams();
      host.publish("clear_output", { wait });
    },
    get interrupted() {
      return host.interrupted;
    },
    get cell() {
      return host.cell;
    },
    hooks,
  };
  (globalThis as Record<symbol, unknown>)[BRIDGE] = bridge;
  return bridge;
}
