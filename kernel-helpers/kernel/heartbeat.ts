/**
 * The heartbeat echo runs in a worker thread, so a cell that blocks the main thread
 * (a long synchronous loop) does not make the kernel look dead to front ends. The same thread
 * watches the process that started the kernel (see parent-watch.ts).
 */
import { once } from "node:events";
import { parentPort, Worker } from "node:worker_threads";
import { watchParent } from "./parent-watch";

export const HEARTBEAT_ROLE = "sciforge-heartbeat";

/** How long the main thread gets to exit cleanly once the parent is gone, before the worker kills the process. */
const PARENT_GONE_KILL_MS = 3000;

export class Heartbeat {
  private readonly worker: Worker;
  /** `parentPids`: processes whose end ends the kernel (who started it; a stand-in process, see snapshot-launch.ts). */
  constructor(entryFile: string, address: string, parentPids: number[] = []) {
    this.worker = new Worker(entryFile, { workerData: { role: HEARTBEAT_ROLE, address, parentPids } });
    this.worker.unref();
  }

  /** `cb` runs on the main thread when the process that started the kernel is gone. */
  onParentGone(cb: (pid: number) => void): void {
    this.worker.on("message", (m: { type?: string; pid?: number }) => {
      if (m?.type === "parent-gone") cb(m.pid!);
    });
  }

  /** Closes the socket inside the worker and waits for the thread to end (a clean exit for ZeroMQ). */
  async stop(): Promise<void> {
    const exited = once(this.worker, "exit");
    this.worker.postMessage("stop");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 500).unref())]);
  }
}

/** Body of the worker: echo every ping on a REP socket until told to stop; watch the parent. */
export async function runHeartbeat(address: string, parentPids: number[] = []): Promise<void> {
  const zmq = await import("zeromq");
  const sock = new zmq.Reply({ linger: 0 });
  await sock.bind(address);
  let kill: NodeJS.Timeout | undefined;
  const unwatchers = parentPids.map((parentPid) =>
    watchParent(parentPid, () => {
      if (kill) return;
      parentPort?.postMessage({ type: "parent-gone", pid: parentPid });
      // The main thread exits cleanly when it can; a cell that blocks it cannot keep the kernel alive.
      kill = setTimeout(() => process.kill(process.pid, "SIGKILL"), PARENT_GONE_KILL_MS);
    }),
  );
  const unwatch = () => unwatchers.forEach((u) => u());
  parentPort?.on("message", (m) => {
    if (m === "stop") {
      unwatch();
      clearTimeout(kill);
      sock.close();
      parentPort?.close();
    }
  });
  try {
    for await (const frames of sock) await sock.send(frames);
  } catch {
    // closed
  }
}
