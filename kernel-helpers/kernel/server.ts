/**
 * The kernel's transport: Jupyter messaging over ZeroMQ. It binds the sockets, checks each
 * message's signature (unsigned, forged or replayed ones are dropped), queues shell requests
 * (one at a time), brackets each request in busy/idle status, sends replies and publishes on
 * iopub (numbered, and kept for a client whose connection dropped: protocol/replay.ts). It knows
 * nothing of TypeScript: requests go to the KernelHandlers (handler-api.ts) given to serve().
 * shell: execute, complete, inspect, is_complete, kernel_info, comm_info, comm_open/msg/close,
 *        history, shutdown;
 * control: the same plus interrupt_request and sciforge_replay_request; stdin: input_request/input_reply;
 * iopub: status and whatever the handlers publish.
 */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { channelAddress, type ConnectionInfo, type ExecuteRequest, type Message } from "../protocol/messages";
import { SerialSender } from "../protocol/sender";
import { REPLAY_REPLY, REPLAY_REQUEST, ReplayLog, SEQ_KEY, type ReplayRequest } from "../protocol/replay";
import { decode, DigestHistory, encode, makeMessage, Signer, WireError } from "../protocol/wire";
import type { CommContent, CommInfoRequest, CompleteRequest, InputReply, InspectRequest, IsCompleteRequest, KernelHandlers, KernelIO, RequestChannel, ShutdownRequest } from "./handler-api";
import type { HistoryRequest } from "./history";
import { mark } from "./timing";

type SocketName = "shell" | "control" | "stdin" | "iopub";

export class KernelServer implements KernelIO {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  /** Signatures of accepted messages, all channels together (one session): replays are dropped. */
  private readonly digests = new DigestHistory();
  private readonly shell = new zmq.Router({ linger: 0 });
  private readonly control = new zmq.Router({ linger: 0 });
  private readonly stdin = new zmq.Router({ linger: 0 });
  /** XPUB: it also hears subscriptions, so a client that joins late gets the current status (see watchSubscriptions()). */
  private readonly iopub = new zmq.XPublisher({ linger: 0 });
  private readonly send: Record<SocketName, SerialSender>;
  private lastStatus: { content: unknown; parent: Message | null } | null = null;
  /** Recent iopub messages (numbered) and replies, for a client whose connection dropped. */
  private readonly replay = new ReplayLog();
  private readonly queue: Message[] = [];
  private processing = false;
  private handlers: KernelHandlers | null = null;
  parent: Message | null = null;

  constructor(
    private readonly connection: ConnectionInfo,
    /** The kernel's own log (its real stderr). */
    private readonly log: (text: string) => void,
  ) {
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.send = {
      shell: new SerialSender(this.shell),
      control: new SerialSender(this.control),
      stdin: new SerialSender(this.stdin),
      iopub: new SerialSender(this.iopub),
    };
  }

  async bind(): Promise<void> {
    const c = this.connection;
    await Promise.all([
      this.shell.bind(channelAddress(c, "shell")),
      this.control.bind(channelAddress(c, "control")),
      this.stdin.bind(channelAddress(c, "stdin")),
      this.iopub.bind(channelAddress(c, "iopub")),
    ]);
  }

  /** Says "starting" and reads requests from now on, for these handlers. */
  serve(handlers: KernelHandlers): void {
    this.handlers = handlers;
    this.publish("status", { execution_state: "starting" });
    void this.readLoop(this.shell, "shell", (m) => this.enqueue(m));
    void this.readLoop(this.control, "control", (m) => void this.handleControl(m));
    void this.readLoop(this.stdin, "stdin", (m) => this.handleStdin(m));
    void this.watchSubscriptions();
  }

  /** Sends what is queued (for at most 2 s). */
  async flush(): Promise<void> {
    await Promise.race([Promise.all(Object.values(this.send).map((s) => s.flush())), new Promise((r) => setTimeout(r, 2000))]);
  }

  close(): void {
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
  }

  // ---- sending ------------------------------------------------------------------------------

  publish(msgType: string, content: unknown, parent: Message | null = this.parent, metadata: Record<string, unknown> = {}, buffers: Buffer[] = []): void {
    if (msgType === "status") this.lastStatus = { content, parent };
    const seq = this.replay.next();
    const msg = { ...makeMessage(msgType, content, this.session, parent ?? undefined, { ...metadata, [SEQ_KEY]: seq }), identities: [Buffer.from(msgType)], buffers };
    const frames = encode(msg, this.signer);
    this.replay.addIopub(seq, { channel: "iopub", header: msg.header, parent_header: msg.parent_header, metadata: msg.metadata, content }, frames.reduce((n, f) => n + f.length, 0));
    void this.send.iopub.send(frames);
  }

  status(state: "busy" | "idle", parent: Message): void {
    this.publish("status", { execution_state: state }, parent);
  }

  requestInput(parent: Message, prompt: string, password: boolean): void {
    void this.send.stdin.send(encode(makeMessage("input_request", { prompt, password }, this.session, parent), this.signer));
  }

  private reply(channel: RequestChannel, request: Message, msgType: string, content: unknown): Promise<void> {
    const msg = makeMessage(msgType, content, this.session, request);
    if (channel === "shell") this.replay.addReply(request.header.msg_id, { channel, header: msg.header, parent_header: msg.parent_header, metadata: msg.metadata, content });
    return this.send[channel].send(encode(msg, this.signer));
  }

  // ---- receiving ----------------------------------------------------------------------------

  private async readLoop(sock: zmq.Router, name: string, handle: (m: Message) => void) {
    for await (const frames of sock) {
      let msg: Message;
      try {
        msg = decode(frames, this.signer, this.digests);
      } catch (e) {
        // Unsigned, forged or replayed messages are dropped, never executed.
        this.log(`[sciforge kernel] rejected ${name} message: ${(e as Error).message}`);
        if (!(e instanceof WireError)) throw e;
        continue;
      }
      handle(msg);
    }
  }

  /**
   * A subscriber's subscription reaches the kernel some time after it connects (ZeroMQ's slow
   * joiner): what was published before is lost to it — typically the status of the client's first
   * kernel_info_request, so the client would wait and ask again. Each new subscription gets the
   * last status again.
   */
  private async watchSubscriptions() {
    this.iopub.verbosity = "allSubs";
    try {
      for await (const [frame] of this.iopub) {
        if (frame?.[0] === 1 && this.lastStatus) this.publish("status", this.lastStatus.content, this.lastStatus.parent);
      }
    } catch {
      // closed
    }
  }

  private enqueue(msg: Message) {
    this.queue.push(msg);
    if (!this.processing) void this.drain();
  }

  private async drain() {
    this.processing = true;
    try {
      while (this.queue.length) {
        const msg = this.queue.shift()!;
        await this.handle(msg, "shell");
      }
    } finally {
      this.processing = false;
    }
  }

  private async handleControl(msg: Message) {
    if (msg.header.msg_type === REPLAY_REQUEST) {
      // What a client missed while its connection was down. No busy/idle around it: a Jupyter
      // server would take the kernel for idle while a cell runs (see protocol/replay.ts).
      await this.reply("control", msg, REPLAY_REPLY, this.replay.since(msg.content as Partial<ReplayRequest>, this.session));
      return;
    }
    if (msg.header.msg_type === "interrupt_request") {
      // Front ends may send a message as well as SIGINT; the handlers ignore one sent before the running cell started.
      await this.reply("control", msg, "interrupt_reply", this.handlers!.interrupt(Date.parse(msg.header.date ?? "")));
      return;
    }
    await this.handle(msg, "control");
  }

  private handleStdin(msg: Message) {
    if (msg.header.msg_type === "input_reply") this.handlers!.inputReply(msg.content as InputReply);
  }

  private async handle(msg: Message, channel: RequestChannel) {
    const type = msg.header.msg_type;
    const h = this.handlers!;
    const reply = (msgType: string) => (content: unknown) => this.reply(channel, msg, msgType, content);
    this.status("busy", msg);
    try {
      switch (type) {
        case "execute_request": {
          mark("execute request");
          const end = await h.execute(msg as Message<ExecuteRequest>, reply("execute_reply"));
          if (end.abortQueued) await this.abortQueued();
          break;
        }
        case "kernel_info_request":
          mark("kernel_info request");
          await reply("kernel_info_reply")(h.kernelInfo());
          break;
        case "complete_request":
          await reply("complete_reply")(h.complete(msg.content as CompleteRequest));
          break;
        case "inspect_request":
          await reply("inspect_reply")(h.inspect(msg.content as InspectRequest));
          break;
        case "is_complete_request":
          await reply("is_complete_reply")(h.isComplete(msg.content as IsCompleteRequest));
          break;
        case "comm_info_request":
          await reply("comm_info_reply")(h.commInfo(msg.content as CommInfoRequest));
          break;
        case "comm_open":
        case "comm_msg":
        case "comm_close":
          await h.comm(msg as Message<CommContent>);
          break;
        case "history_request":
          await reply("history_reply")(h.history(msg.content as HistoryRequest));
          break;
        case "shutdown_request":
          await h.shutdown(msg as Message<ShutdownRequest>, reply("shutdown_reply"));
          return;
        default:
          this.log(`[sciforge kernel] unsupported message type ${type} on ${channel}`);
      }
    } catch (e) {
      this.log(`[sciforge kernel] failed to handle ${type}: ${(e as Error).stack ?? e}`);
    } finally {
      this.status("idle", msg);
    }
  }

  /** After an error, execute requests already waiting are aborted (like ipykernel), the rest is served. */
  private async abortQueued() {
    // Let the socket reader pull in what arrived while the cell was running.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const keep: Message[] = [];
    for (const m of this.queue.splice(0)) {
      if (m.header.msg_type === "execute_request") {
        this.status("busy", m);
        await this.reply("shell", m, "execute_reply", { status: "aborted" });
        this.status("idle", m);
      } else keep.push(m);
    }
    this.queue.unshift(...keep);
  }
}
