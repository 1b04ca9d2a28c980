/**
 * One sender per ZeroMQ socket: sends never overlap, none is refused, order is kept, and a message
 * with nothing before it leaves at once (synchronously).
 */
import type { Socket } from "zeromq";

type SendSocket = Pick<Socket, "closed"> & { send(frames: Buffer[]): Promise<void> };

function isBusy(e: unknown): boolean {
  return (e as { code?: string })?.code === "EBUSY" || /busy writing/i.test(String((e as Error)?.message ?? e));
}

export class SerialSender {
  private readonly queue: Array<{ frames: Buffer[]; done: () => void }> = [];
  private draining: Promise<void> | null = null;
  /** The last send handed to ZeroMQ directly, until it settles. */
  private direct: Promise<void> | null = null;
  private failed: Error | null = null;

  constructor(private readonly socket: SendSocket) {}

  /**
   * Queues `frames`. When nothing waits before them they are handed to ZeroMQ at once,
   * synchronously: a message sent right before the caller blocks the event loop (a cell's endless
   * loop) still leaves the process. ZeroMQ refuses a send while an earlier one is pending ("Socket
   * is busy writing" — a send to a socket that is not writable waits, and zmq.js also delays one
   * send in 512 to let the event loop breathe); a refused message is queued and sent once the
   * earlier one completes, never lost (a lost `idle` made a kernel look hung to its client).
   */
  send(frames: Buffer[]): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    if (!this.draining && this.queue.length === 0) {
      let sent: Promise<void> | null = null;
      try {
        sent = this.socket.send(frames);
      } catch (e) {
        if (!isBusy(e)) {
          this.failed = e as Error;
          return Promise.resolve();
        }
      }
      if (sent) {
        let refused = false;
        const settled = sent.catch((e) => {
          if (isBusy(e)) refused = true;
          else this.failed = e as Error;
        });
        const mine = settled.then(() => {
          if (this.direct === mine) this.direct = null;
        });
        this.direct = mine;
        return settled.then(() => (refused ? this.enqueue(frames) : undefined));
      }
    }
    return this.enqueue(frames);
  }

  private enqueue(frames: Buffer[]): Promise<void> {
    return new Promise<void>((done) => {
      this.queue.push({ frames, done });
      this.draining ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.direct) await this.direct;
    while (this.queue.length) {
      const { frames, done } = this.queue.shift()!;
      for (let attempt = 0; ; attempt++) {
        try {
          if (!this.socket.closed) await this.socket.send(frames);
        } catch (e) {
          // a direct send that slipped in between: wait for it, then try again
          if (isBusy(e) && attempt < 100) {
            await (this.direct ?? new Promise((r) => setImmediate(r)));
            continue;
          }
          this.failed = e as Error;
        }
        break;
      }
      done();
    }
    this.draining = null;
  }

  /** Resolves once everything queued so far has been handed to ZeroMQ. */
  async flush(): Promise<void> {
    while (this.direct || this.draining) await (this.draining ?? this.direct);
  }

  get lastError(): Error | null {
    return this.failed;
  }
}
