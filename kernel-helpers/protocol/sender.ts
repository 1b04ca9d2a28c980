/**
 * ZeroMQ sockets allow one send in flight at a time; this queues sends in order so that
 * callers (output streams, displays, replies) can fire and forget without interleaving.
 */
import type { Socket } from "zeromq";

export class SerialSender {
  private tail: Promise<void> = Promise.resolve();
  private failed: Error | null = null;
  private inFlight = 0;

  constructor(
    private readonly socket: Pick<Socket, "closed"> & { send(frames: Buffer[]): Promise<void> },
    /** The socket never makes a send wait (PUB: it drops at the high-water mark instead). */
    private readonly neverWaits = false,
  ) {}

  /**
   * Queues `frames`. With nothing in flight (or on a socket whose sends never wait) they are
   * handed to ZeroMQ at once, synchronously: a message sent right before the caller blocks the
   * event loop (a cell's endless loop) still leaves the process.
   */
  send(frames: Buffer[]): Promise<void> {
    const run = async () => {
      try {
        if (!this.socket.closed) await this.socket.send(frames);
      } catch (e) {
        this.failed = e as Error;
      } finally {
        this.inFlight--;
      }
    };
    this.inFlight++;
    const next = this.inFlight === 1 || this.neverWaits ? run() : this.tail.then(run);
    this.tail = next;
    return next;
  }

  /** Resolves once everything queued so far has been handed to ZeroMQ. */
  flush(): Promise<void> {
    return this.tail;
  }

  get lastError(): Error | null {
    return this.failed;
  }
}
