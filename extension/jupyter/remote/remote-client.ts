/**
 * The message side of a kernel on a Jupyter server: @jupyterlab/services' KernelConnection (the
 * server's /api/kernels/ID/channels WebSocket) behind the same KernelChannel interface as the
 * ZeroMQ KernelClient, so the runner and the controller do not care where the kernel runs.
 *
 * Outputs are taken from the connection's iopub stream and routed by parent msg_id (as
 * KernelClient does), not from services' per-request futures: those re-route display updates to
 * the request that first showed a display, which would hide an update from the cell that sent it.
 *
 * Nothing is lost to a dropped WebSocket: Sciforge's kernel numbers its iopub messages, so a
 * message the server lost around a reconnect shows as a gap. Messages after a gap wait; what is
 * missing (and any reply lost with it) is asked of the kernel (protocol/replay.ts) and delivered
 * in order, once. After every reconnect the same is asked for everything after the last message.
 */
import { EventEmitter } from "node:events";
import { KernelMessage, type KernelConnection } from "@jupyterlab/services";
import { isMessageType, type ExecuteReply, type KernelInfoReply, type Message, type MessageHeader } from "../../../kernel-helpers/protocol/messages";
import { isReplayReply, REPLAY_REQUEST, SEQ_KEY, type LoggedMessage, type ReplayRequest } from "../../../kernel-helpers/protocol/replay";
import { executeRequestContent, KernelDiedError, replyContent, KernelLostError, type CompleteReply, type ExecuteOptions, type ExecuteResult, type InspectReply, type KernelChannel } from "../kernel-api";

/** services' message as the protocol Message the rest of Sciforge uses. */
export function toMessage(m: KernelMessage.IMessage): Message {
  return {
    identities: [],
    header: m.header as unknown as MessageHeader,
    parent_header: m.parent_header as unknown as Partial<MessageHeader>,
    metadata: m.metadata as Record<string, unknown>,
    content: m.content,
    buffers: (m.buffers ?? []).map((b) => (ArrayBuffer.isView(b) ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : Buffer.from(b))),
  };
}

/** How long to wait for the kernel's replay before going on without what is missing. */
const REPLAY_TIMEOUT_MS = 10_000;

interface PendingExecute {
  reply: ExecuteReply | null;
  idle: boolean;
  settle(): void;
  fail(e: Error): void;
}

export class RemoteKernelClient extends EventEmitter implements KernelChannel {
  private readonly executes = new Map<string, PendingExecute>();
  private everConnected = false;
  private wasDown = false;
  private deadReason: string | null = null;
  private readonly iopubWatchers = new Map<string, (m: Message) => void>();
  private readonly waiters = new Set<(e: Error) => void>();
  private deathError: KernelDiedError | null = null;
  /** True when the kernel was given up for lost (its server gone) rather than seen dying. */
  lost = false;
  // In-order, exactly-once delivery of numbered iopub messages (Sciforge's kernel numbers them).
  private seqSession: string | null = null;
  private lastSeq = 0;
  private readonly held = new Map<number, Message>();
  private readonly skipped = new Set<number>();
  private replayable = false;
  private replaying: Promise<void> | null = null;
  private replayAgain = false;

  constructor(
    readonly connection: KernelConnection,
    /** The server's URL, for messages. */
    readonly serverUrl: string,
  ) {
    super();
    connection.iopubMessage.connect((_, raw) => this.receive(toMessage(raw)));
    connection.connectionStatusChanged.connect((_, status) => {
      if (status !== "connected") {
        if (this.everConnected) this.wasDown = true;
        return;
      }
      this.everConnected = true;
      if (this.wasDown) {
        this.wasDown = false;
        // The server may have lost messages around the drop: ask the kernel for what came after
        // the last one (a kernel that cannot replay gets the older check for lost replies).
        if (this.replayable) this.requestReplay(true);
        else void this.checkLostReplies();
      }
    });
  }

  private deliver(msg: Message) {
    const id = msg.parent_header.msg_id;
    const w = id ? this.iopubWatchers.get(id) : undefined;
    if (w) w(msg);
    this.emit("iopub", msg);
  }

  /** Takes an iopub message from the socket or from a replay: delivered in order, once. */
  private receive(msg: Message) {
    const seq = msg.metadata?.[SEQ_KEY];
    if (typeof seq !== "number") return this.deliver(msg);
    this.replayable = true;
    if (msg.header.session !== this.seqSession) {
      // A new kernel process (numbers start again), or the first message seen.
      this.seqSession = msg.header.session;
      this.lastSeq = seq - 1;
      this.held.clear();
      this.skipped.clear();
    }
    if (seq <= this.lastSeq) {
      // Seen already — unless it is one that was given up on, which is still better late than never.
      if (this.skipped.delete(seq)) this.deliver(msg);
      return;
    }
    if (seq !== this.lastSeq + 1) {
      if (!this.held.has(seq)) this.held.set(seq, msg);
      this.requestReplay(false);
      return;
    }
    this.lastSeq = seq;
    this.deliver(msg);
    this.drainHeld();
  }

  private drainHeld() {
    for (let next = this.held.get(this.lastSeq + 1); next; next = this.held.get(this.lastSeq + 1)) {
      this.held.delete(++this.lastSeq);
      this.deliver(next);
    }
  }

  /** The kernel no longer has (or did not send) what is missing: go on after the gap. */
  private skipGap() {
    if (this.held.size === 0) return;
    const first = Math.min(...this.held.keys());
    const lost = first - this.lastSeq - 1;
    for (let s = this.lastSeq + 1; s < first; s++) this.skipped.add(s);
    this.lastSeq = first - 1;
    this.emit("warning", `${lost} message${lost === 1 ? "" : "s"} from the kernel on ${this.serverUrl} did not arrive and could not be replayed`);
    this.drainHeld();
    if (this.held.size > 0) this.requestReplay(false);
  }

  /** Asks the kernel for the iopub messages after the last one delivered, and for lost replies. */
  private requestReplay(afterReconnect: boolean) {
    if (!this.replayable || this.deathError || this.connection.isDisposed) return;
    if (this.replaying) {
      this.replayAgain = true;
      return;
    }
    this.replaying = this.replayOnce(afterReconnect).finally(() => {
      this.replaying = null;
      if (this.replayAgain) {
        this.replayAgain = false;
        this.requestReplay(false);
      }
    });
  }

  private async replayOnce(afterReconnect: boolean) {
    const content: ReplayRequest = { after_seq: this.lastSeq, replies_for: [...this.executes].filter(([, e]) => !e.reply).map(([id]) => id) };
    let future: ReturnType<KernelConnection["sendControlMessage"]>;
    try {
      // services knows no sciforge_replay_request: built as an interrupt_request's shape, then retyped and filled in
      const msg = KernelMessage.createMessage({ msgType: REPLAY_REQUEST as "interrupt_request", channel: "control", session: this.connection.clientId, content: {} });
      Object.assign(msg.content, content);
      future = this.connection.sendControlMessage(msg, true, false);
    } catch {
      return;
    }
    const reply = await new Promise<KernelMessage.IMessage | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), REPLAY_TIMEOUT_MS);
      future.onReply = (m) => {
        clearTimeout(timer);
        resolve(m as KernelMessage.IMessage);
      };
    });
    future.dispose();
    if (!reply) {
      // No answer (the kernel is busy in synchronous code, or the connection is down again).
      this.skipGap();
      if (afterReconnect) void this.checkLostReplies();
      return;
    }
    const replayed = toMessage(reply);
    if (!isReplayReply(replayed)) return;
    const r = replayed.content;
    if (r.session !== this.seqSession) return;
    const asMessage = (m: LoggedMessage): Message => ({ identities: [], header: m.header, parent_header: m.parent_header, metadata: m.metadata, content: m.content, buffers: [] });
    for (const m of r.iopub) this.receive(asMessage(m));
    for (const logged of r.replies) {
      const m = asMessage(logged);
      const e = m.parent_header.msg_id ? this.executes.get(m.parent_header.msg_id) : undefined;
      if (e && !e.reply && isMessageType(m, "execute_reply")) {
        e.reply = m.content;
        e.settle();
      }
    }
    if (this.held.size === 0) return;
    if (this.lastSeq + 1 < r.first_seq) this.skipGap(); // older than what the kernel keeps: gone
    else if (this.lastSeq + 1 > r.last_seq) this.replayAgain = true; // newer than this answer: ask again
  }

  get dead(): string | null {
    return this.deadReason;
  }

  /** Marks the kernel dead (or lost, when its server is gone): every waiting request fails at once. */
  markDead(reason: string, lost = false): void {
    if (this.deadReason) return;
    this.deadReason = reason;
    this.lost = lost;
    this.deathError = lost ? new KernelLostError(reason) : new KernelDiedError(reason);
    for (const reject of this.waiters) reject(this.deathError);
    this.waiters.clear();
    this.emit("dead", reason);
  }

  /** After a restart on the server: usable again. */
  revive(): void {
    this.deadReason = null;
    this.deathError = null;
    this.lost = false;
  }

  /** Waits for `p`, failing at once when the kernel dies or is lost meanwhile. */
  private guard<T>(p: Promise<T>, what: string): Promise<T> {
    if (this.deathError) return Promise.reject(this.deathError);
    let reject!: (e: Error) => void;
    const died = new Promise<never>((_, r) => (reject = r));
    this.waiters.add(reject);
    return Promise.race([p, died])
      .catch((e: unknown) => {
        // services cancels the futures of a disposed connection; the cause is the death.
        if (this.deathError) throw this.deathError;
        throw e instanceof Error ? e : new Error(`${what}: ${String(e)}`);
      })
      .finally(() => this.waiters.delete(reject));
  }

  execute(code: string, o: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.deathError) return Promise.reject(this.deathError);
    let future: ReturnType<KernelConnection["requestExecute"]>;
    try {
      future = this.connection.requestExecute(executeRequestContent(code, o), true);
    } catch (e) {
      return Promise.reject(new KernelDiedError(`cannot send to the kernel on ${this.serverUrl}: ${(e as Error).message}`));
    }
    const id = future.msg.header.msg_id;
    let executionCount: number | null = null;
    // Done when both the execute_reply and the request's iopub `idle` arrived (as KernelClient).
    const done = new Promise<ExecuteReply>((resolve, reject) => {
      const entry: PendingExecute = {
        reply: null,
        idle: false,
        settle: () => entry.reply && entry.idle && resolve(entry.reply),
        fail: reject,
      };
      this.executes.set(id, entry);
      this.iopubWatchers.set(id, (m) => {
        if (isMessageType(m, "status")) {
          if (m.content.execution_state === "idle") {
            entry.idle = true;
            entry.settle();
          }
          return;
        }
        if (isMessageType(m, "execute_input")) executionCount = m.content.execution_count;
        o.onOutput?.(m);
      });
      future.onReply = (msg) => {
        entry.reply = replyContent(toMessage(msg), "execute_reply");
        entry.settle();
      };
    });
    if (o.onInput) {
      const onInput = o.onInput;
      future.onStdin = async (m) => {
        if (!KernelMessage.isInputRequestMsg(m)) return;
        let value = "";
        try {
          value = await onInput(m.content.prompt, m.content.password);
        } catch {
          value = "";
        }
        future.sendInputReply({ status: "ok", value }, m.header);
      };
    }
    return this.guard(done, "execute")
      .then((r) => ({ reply: r, executionCount: executionCount ?? r.execution_count ?? null }))
      .finally(() => {
        this.iopubWatchers.delete(id);
        this.executes.delete(id);
      });
  }

  /**
   * After a reconnect: the server replays what the kernel sent while the socket was down, but
   * a reply can still be lost (the server had not noticed the drop yet, or the new socket broke
   * during the replay). The kernel answers shell requests in order, so a kernel_info_reply to a
   * request sent now, arriving before a running cell's execute_reply, means that reply is lost:
   * that cell fails with a message instead of waiting forever.
   */
  private async checkLostReplies() {
    const waiting = [...this.executes.keys()];
    if (waiting.length === 0) return;
    let info: Awaited<ReturnType<KernelConnection["requestKernelInfo"]>>;
    try {
      info = await this.connection.requestKernelInfo();
    } catch {
      return;
    }
    if (!info) return;
    for (const id of waiting) {
      const e = this.executes.get(id);
      if (!e) continue;
      if (!e.reply) {
        e.fail(new Error(`the connection to the Jupyter server at ${this.serverUrl} dropped and the kernel's answer to this cell was lost; the kernel is still running and keeps its state (run the cell again)`));
      } else if (!e.idle) {
        setTimeout(() => {
          e.idle = true;
          e.settle();
        }, 2000);
      }
    }
  }

  async complete(code: string, cursorPos = code.length): Promise<CompleteReply> {
    const r = await this.guard(this.connection.requestComplete({ code, cursor_pos: cursorPos }), "complete");
    return replyContent(toMessage(r), "complete_reply");
  }

  async inspect(code: string, cursorPos = code.length, detailLevel = 0): Promise<InspectReply> {
    const r = await this.guard(this.connection.requestInspect({ code, cursor_pos: cursorPos, detail_level: detailLevel ? 1 : 0 }), "inspect");
    return replyContent(toMessage(r), "inspect_reply");
  }

  async kernelInfo(): Promise<KernelInfoReply> {
    const r = await this.guard(this.connection.requestKernelInfo(), "kernel_info");
    if (!r) throw new KernelDiedError(`the connection to the kernel on ${this.serverUrl} is closed`);
    return replyContent(toMessage(r), "kernel_info_reply");
  }

  /** interrupt_request over the control channel (Sciforge's kernel takes it besides SIGINT). */
  async interruptByMessage(timeoutMs = 5000): Promise<void> {
    const msg = KernelMessage.createMessage({ msgType: "interrupt_request", channel: "control", session: this.connection.clientId, content: {} });
    const future = this.connection.sendControlMessage(msg, true, true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await this.guard(Promise.race([future.done.then(() => undefined), late]), "interrupt").finally(() => clearTimeout(timer));
  }

  /**
   * Closes the WebSocket. When the server restarted the kernel by itself, services is still
   * reconnecting to it, and disposing the connection then rejects a promise services never
   * handles (an unhandled rejection ends a Node process): wait for that reconnect first, briefly.
   */
  async close(waitMs = 3000): Promise<void> {
    const conn = this.connection;
    if (conn.isDisposed) return;
    if (conn.connectionStatus === "connecting" && !this.lost) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        function done() {
          clearTimeout(timer);
          conn.connectionStatusChanged.disconnect(onChange);
          resolve();
        }
        function onChange(_: unknown, status: string) {
          if (status !== "connecting") done();
        }
        conn.connectionStatusChanged.connect(onChange);
      });
    }
    if (!conn.isDisposed) conn.dispose();
  }
}
