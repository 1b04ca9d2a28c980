/**
 * The heartbeat echo runs in a worker thread, so a cell that blocks the main thread
 * (a long synchronous loop) does not make the kernel look dead to front ends.
 */
import { once } from "node:events";
import { parentPort, Worker } from "node:worker_threads";

export const HEARTBEAT_ROLE = "sciforge-heartbeat";

export class Heartbeat {
  private readonly worker: Worker;
  constructor(entryFile: string, address: string) {
    this.worker = new Worker(entryFile, { workerData: { role: HEARTBEAT_ROLE, address } });
    this.worker.unref();
  }
  /** Closes the socket inside the worker and waits for the thread to end (a clean exit for ZeroMQ). */
  async stop(): Promise<void> {
    const exited = once(this.worker, "exit");
    this.worker.postMessage("stop");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 500).unref())]);
  }
}

/** Body of the worker: echo every ping on a REP socket until told to stop. */
export async function runHeartbeat(address: string): Promise<void> {
  const zmq = await import("zeromq");
  const sock = new zmq.Reply({ linger: 0 });
  await sock.bind(address);
  parentPort?.on("message", (m) => {
    if (m === "stop") {
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
