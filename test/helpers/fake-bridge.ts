// A fake kernel bridge on globalThis[Symbol.for("sciforge.kernel")] that records displays and
// lets a test raise the interrupt flag (what the Sciforge kernel does on an interrupt). Shared by
// the train and deploy specs.
import type { KernelBridge } from "../../kernel-helpers/lib/display/display";

export interface Recorded {
  data: Record<string, unknown>;
  displayId: string | undefined;
  update: boolean;
}

export class FakeBridge implements KernelBridge {
  interrupted = false;
  readonly outputs: Recorded[] = [];
  display(data: Record<string, unknown>, _metadata: Record<string, unknown>, displayId: string | undefined, update: boolean): void {
    this.outputs.push({ data, displayId, update });
  }
  input(): Promise<string> {
    return Promise.reject(new Error("no stdin in tests"));
  }
}

const KEY = Symbol.for("sciforge.kernel");

/** Installs a fresh fake bridge; returns it and a function that removes it. */
export function installFakeBridge(): { bridge: FakeBridge; remove: () => void } {
  const bridge = new FakeBridge();
  (globalThis as Record<symbol, unknown>)[KEY] = bridge;
  return { bridge, remove: () => delete (globalThis as Record<symbol, unknown>)[KEY] };
}
