/**
 * ZeroMQ sockets allow one send in flight at a time; this queues sends in order so that
 * callers (output streams, displays, replies) can fire and forget without interleaving.
 */
import type { Socket } from "zeromq";

export class SerialSender {
  private tail: Promise<void> = Promise.resolve();
  private failed: Error | null = null;

  constructor(private readonly socket: Pick<Socket, "closed"> & { send(frames: Buffer[]): Promise<void> }) {}

  send(frames: Buffer[]): Promise<void> {
    const next = this.tail.then(async () => {
      if (this.socket.closed) return;
      try {
        await this.socket.send(frames);
      } catch (e) {
        this.failed = e as Error;
      }
    });
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
