/**
 * A Jupyter client over ZeroMQ: requests on shell/control/stdin, outputs from iopub.
 * Used by the headless runner and by the VS Code controller. It knows nothing of notebooks.
 */
import { EventEmitter } from "node:events";
import * as zmq from "zeromq";
import { channelAddress, isMessageType, type ConnectionInfo, type Message } from "../../kernel-helpers/protocol/messages";
import { SerialSender } from "../../kernel-helpers/protocol/sender";
import { decode, encode, makeMessage, Signer } from "../../kernel-helpers/protocol/wire";
import { randomUUID } from "node:crypto";
import { executeRequestContent, KernelDiedError, replyContent, type CompleteReply, type ExecuteOptions, type ExecuteResult, type InspectReply, type IsCompleteReply, type KernelChannel, type KernelInfoReply } from "./kernel-api";

export { KernelDiedError, type ExecuteOptions, type ExecuteResult } from "./kernel-api";

type Pending = { resolve(m: Message): void; reject(e: Error): void };

export class KernelClient extends EventEmitter implements KernelChannel {
  private readonly signer: Signer;
  readonly session = randomUUID();
  // shell and stdin share one routing id: the kernel routes input_request to the identity of
  // the shell request that asked for input (as jupyter_client does).
  // A kernel that is starting has not bound its ports yet: ZeroMQ retries the connection every
  // `reconnectInterval` ms (default 100, most of which a fast kernel start would spend waiting).
  private readonly shell = new zmq.Dealer({ linger: 0, routingId: this.session, reconnectInterval: 10 });
  private readonly control = new zmq.Dealer({ linger: 0, reconnectInterval: 10 });
  private readonly stdin = new zmq.Dealer({ linger: 0, routingId: this.session, reconnectInterval: 10 });
  private readonly iopub = new zmq.Subscriber({ linger: 0, reconnectInterval: 10 });
  private readonly senders: Record<"shell" | "control" | "stdin", SerialSender>;
  private readonly pending = new Map<string, Pending>();
  private readonly iopubWatchers = new Map<string, (m: Message) => void>();
  private readonly inputHandlers = new Map<string, NonNullable<ExecuteOptions["onInput"]>>();
  private deadReason: string | null = null;
  private closed = false;

  private constructor(readonly connection: ConnectionInfo) {
    super();
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.senders = { shell: new SerialSender(this.shell), control: new SerialSender(this.control), stdin: new SerialSender(this.stdin) };
  }

  /** Connects to a kernel's sockets and waits until it answers kernel_info and iopub flows. */
  static async connect(connection: ConnectionInfo, timeoutMs = 30_000): Promise<KernelClient> {
    const c = new KernelClient(connection);
    c.shell.connect(channelAddress(connection, "shell"));
    c.control.connect(channelAddress(connection, "control"));
    c.stdin.connect(channelAddress(connection, "stdin"));
    c.iopub.connect(channelAddress(connection, "iopub"));
    c.iopub.subscribe();
    void c.readReplies(c.shell);
    void c.readReplies(c.control);
    void c.readStdin();
    void c.readIopub();
    await c.waitForReady(timeoutMs);
    return c;
  }

  get dead(): string | null {
    return this.deadReason;
  }

  /** Marks the kernel dead: every waiting request fails with `reason` at once. */
  markDead(reason: string): void {
    if (this.deadReason) return;
    this.deadReason = reason;
    const err = new KernelDiedError(reason);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.emit("dead", reason);
  }

  private async waitForReady(timeoutMs: number) {
    // Subscriptions join late (ZeroMQ's slow joiner): repeat kernel_info until its iopub status arrives too.
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.deadReason) throw new KernelDiedError(this.deadReason);
      const msg = makeMessage("kernel_info_request", {}, this.session);
      let sawIopub = false;
      this.iopubWatchers.set(msg.header.msg_id, () => (sawIopub = true));
      try {
        const reply = await this.send("shell", msg, Math.min(2000, deadline - Date.now()));
        this.emit("kernel_info", reply.content);
        const until = Date.now() + 500;
        while (!sawIopub && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
        if (sawIopub) return;
      } catch (e) {
        if (e instanceof KernelDiedError) throw e;
      } finally {
        this.iopubWatchers.delete(msg.header.msg_id);
      }
    }
    throw new Error(`kernel did not answer within ${Math.round(timeoutMs / 1000)} s`);
  }

  private async readReplies(sock: zmq.Dealer) {
    try {
      for await (const frames of sock) {
        const msg = this.decodeOrLog(frames);
        if (!msg) continue;
        const id = msg.parent_header.msg_id;
        const p = id ? this.pending.get(id) : undefined;
        if (p) {
          this.pending.delete(id!);
          p.resolve(msg);
        }
      }
    } catch (e) {
      if (!this.closed) this.emit("error", e);
    }
  }

  private async readIopub() {
    try {
      for await (const frames of this.iopub) {
        const msg = this.decodeOrLog(frames);
        if (!msg) continue;
        const id = msg.parent_header.msg_id;
        const w = id ? this.iopubWatchers.get(id) : undefined;
        if (w) w(msg);
        this.emit("iopub", msg);
      }
    } catch (e) {
      if (!this.closed) this.emit("error", e);
    }
  }

  private async readStdin() {
    try {
      for await (const frames of this.stdin) {
        const msg = this.decodeOrLog(frames);
        if (!msg || !isMessageType(msg, "input_request")) continue;
        const handler = this.inputHandlers.get(msg.parent_header.msg_id ?? "");
        const { prompt, password } = msg.content;
        let value = "";
        try {
          value = handler ? await handler(prompt, password) : "";
        } catch {
          value = "";
        }
        await this.senders.stdin.send(encode(makeMessage("input_reply", { value, status: "ok" }, this.session, { ...msg, identities: [] }), this.signer));
      }
    } catch (e) {
      if (!this.closed) this.emit("error", e);
    }
  }

  private decodeOrLog(frames: Buffer[]): Message | null {
    try {
      return decode(frames, this.signer);
    } catch (e) {
      this.emit("warning", `dropped a message from the kernel: ${(e as Error).message}`);
      return null;
    }
  }

  /** Sends a request and resolves with its reply (rejects if the kernel dies or `timeoutMs` passes). */
  send(channel: "shell" | "control", msg: Message, timeoutMs = 0): Promise<Message> {
    if (this.deadReason) return Promise.reject(new KernelDiedError(this.deadReason));
    return new Promise<Message>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      this.pending.set(msg.header.msg_id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          this.pending.delete(msg.header.msg_id);
          reject(new Error(`no ${msg.header.msg_type.replace("_request", "_reply")} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      void this.senders[channel].send(encode(msg, this.signer));
    });
  }

  /** Sends a message that has no reply (comm_open, comm_msg, comm_close). */
  notify(msgType: string, content: Record<string, unknown>, channel: "shell" | "control" = "shell"): Promise<void> {
    if (this.deadReason) return Promise.reject(new KernelDiedError(this.deadReason));
    return this.senders[channel].send(encode(makeMessage(msgType, content, this.session), this.signer));
  }

  request(msgType: string, content: Record<string, unknown>, channel: "shell" | "control" = "shell", timeoutMs = 0): Promise<Message> {
    return this.send(channel, makeMessage(msgType, content, this.session), timeoutMs);
  }

  /**
   * Runs code; resolves once both the execute_reply and the request's final iopub `idle`
   * arrived, so every output has been delivered to `onOutput` by then.
   */
  execute(code: string, o: ExecuteOptions = {}): Promise<ExecuteResult> {
    const msg = makeMessage("execute_request", executeRequestContent(code, o), this.session);
    const id = msg.header.msg_id;
    let executionCount: number | null = null;
    let idle!: () => void;
    const sawIdle = new Promise<void>((r) => (idle = r));
    this.iopubWatchers.set(id, (m) => {
      if (isMessageType(m, "status")) {
        if (m.content.execution_state === "idle") idle();
        return;
      }
      if (isMessageType(m, "execute_input")) executionCount = m.content.execution_count;
      o.onOutput?.(m);
    });
    if (o.onInput) this.inputHandlers.set(id, o.onInput);
    const died = new Promise<never>((_, reject) => {
      const onDead = (reason: string) => reject(new KernelDiedError(reason));
      this.once("dead", onDead);
      sawIdle.then(() => this.off("dead", onDead), () => {});
    });
    died.catch(() => {});
    return this.send("shell", msg)
      .then(async (reply) => {
        let idleMissing = false;
        const waits: Promise<unknown>[] = [sawIdle, died];
        if (o.idleTimeoutMs !== undefined) waits.push(new Promise<void>((r) => setTimeout(() => ((idleMissing = true), r()), o.idleTimeoutMs).unref()));
        await Promise.race(waits);
        const r = replyContent(reply, "execute_reply");
        return { reply: r, executionCount: executionCount ?? r.execution_count ?? null, ...(idleMissing ? { idleMissing } : {}) };
      })
      .finally(() => {
        this.iopubWatchers.delete(id);
        this.inputHandlers.delete(id);
      });
  }

  async complete(code: string, cursorPos = code.length): Promise<CompleteReply> {
    return replyContent(await this.request("complete_request", { code, cursor_pos: cursorPos }), "complete_reply");
  }

  async inspect(code: string, cursorPos = code.length, detailLevel = 0): Promise<InspectReply> {
    return replyContent(await this.request("inspect_request", { code, cursor_pos: cursorPos, detail_level: detailLevel }), "inspect_reply");
  }

  async isComplete(code: string): Promise<IsCompleteReply> {
    return replyContent(await this.request("is_complete_request", { code }), "is_complete_reply");
  }

  async kernelInfo(): Promise<KernelInfoReply> {
    return replyContent(await this.request("kernel_info_request", {}), "kernel_info_reply");
  }

  /** interrupt_request over the control channel (for kernels with interrupt_mode "message"). */
  async interruptByMessage(timeoutMs = 5000): Promise<void> {
    await this.request("interrupt_request", {}, "control", timeoutMs);
  }

  async shutdown(restart = false, timeoutMs = 5000): Promise<void> {
    await this.request("shutdown_request", { restart }, "control", timeoutMs);
  }

  close(): void {
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
  }
}
