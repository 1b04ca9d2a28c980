/**
 * The Sciforge kernel: Jupyter messaging over ZeroMQ around the Executor.
 * shell: execute, complete, inspect, is_complete, kernel_info, comm_info, comm_open/msg/close,
 *        history (history.ts), shutdown;
 * control: the same plus interrupt_request; stdin: input_request/input_reply;
 * iopub: status, execute_input, stream, display_data/update_display_data, clear_output,
 *        execute_result, error, comm_open/msg/close.
 */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import * as zmq from "zeromq";
import { dispatchCommMessage, openComms } from "../lib/display/comm";
import { isDisplayHandle, mimeBundleOf, type KernelBridge } from "../lib/display/display";
import type { MimeBundle } from "../lib/display/mime";
import { channelAddress, PROTOCOL_VERSION, type ConnectionInfo, type ErrorContent, type ExecuteRequest, type Message } from "../protocol/messages";
import { SerialSender } from "../protocol/sender";
import { REPLAY_REPLY, REPLAY_REQUEST, ReplayLog, SEQ_KEY, type ReplayRequest } from "../protocol/replay";
import { decode, DigestHistory, encode, makeMessage, Signer, WireError } from "../protocol/wire";
import { snapshotState } from "./compiler/typescript";
import { Executor, type Outcome } from "./executor";
import { History, type HistoryRequest } from "./history";
import { backendArgs, MagicError, parseMagics, type Magic } from "./magics";
import type { ModuleRoots } from "./module-fallback";
import { StreamCapture } from "./streams";
import { mark } from "./timing";
import type { Heartbeat } from "./heartbeat";

const BRIDGE = Symbol.for("sciforge.kernel");

export interface KernelOptions {
  connection: ConnectionInfo;
  roots: ModuleRoots;
  version: string;
  heartbeat?: Heartbeat;
  /** Bytes of stdout and of stderr one cell may print (the rest is dropped with a note); 0 = no limit. */
  outputLimit?: number;
  /** The user's cache folder (compiler caches). */
  cacheDir?: string;
  /** Runs once, shortly after the first cell has answered (caches for the next start). */
  whenIdle?: () => void;
}

/** Thrown by process.exit() inside the kernel, to unwind the cell that called it. */
class KernelExitRequest extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
    this.name = "KernelExit";
  }
}

/** How many errors from timers and promises, raised while no cell runs, wait for the next cell. */
const MAX_PENDING_BACKGROUND = 20;

export class Kernel {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  /** Signatures of accepted messages, all channels together (one session): replays are dropped. */
  private readonly digests = new DigestHistory();
  private readonly shell = new zmq.Router({ linger: 0 });
  private readonly control = new zmq.Router({ linger: 0 });
  private readonly stdin = new zmq.Router({ linger: 0 });
  /** XPUB: it also hears subscriptions, so a client that joins late gets the current status (see start()). */
  private readonly iopub = new zmq.XPublisher({ linger: 0 });
  private lastStatus: { content: unknown; parent: Message | null } | null = null;
  private readonly send: Record<"shell" | "control" | "stdin" | "iopub", SerialSender>;
  private readonly executor: Executor;
  private readonly streams: StreamCapture;
  private executionCount = 0;
  /** The request whose outputs are being produced (late async output goes to the last one). */
  private parent: Message | null = null;
  private interrupted = false;
  private executionStarted = 0;
  private readonly queue: Message[] = [];
  private processing = false;
  private pendingInput: { resolve(v: string): void; reject(e: Error): void } | null = null;
  /** The execute request whose cell is running now (null between cells). */
  private running: Message | null = null;
  /** The first error from a timer or promise while the running cell ran: it fails that cell. */
  private cellBackgroundError: ErrorContent | null = null;
  /** Errors from timers and promises while no cell ran: they go to (and fail) the next cell. */
  private readonly pendingBackground: ErrorContent[] = [];
  private droppedBackground = 0;
  /** Set by process.exit(code): the kernel exits with it once the running cell has answered. */
  private exitRequested: number | null = null;
  private exiting = false;
  private readonly realExit = process.exit.bind(process);
  /** Recent iopub messages (numbered) and replies, for a client whose connection dropped. */
  private readonly replay = new ReplayLog();
  /** The input history (history_request), per user across sessions. */
  private readonly history = new History();

  constructor(private readonly options: KernelOptions) {
    this.signer = new Signer(options.connection.key, options.connection.signature_scheme);
    this.send = {
      shell: new SerialSender(this.shell),
      control: new SerialSender(this.control),
      stdin: new SerialSender(this.stdin),
      iopub: new SerialSender(this.iopub),
    };
    this.streams = new StreamCapture((name, text) => this.publish("stream", { name, text }), 20, options.outputLimit);
    const snapshot = snapshotState();
    this.executor = new Executor(options.roots, { cacheDir: options.cacheDir, registry: snapshot?.registry, hostCaches: snapshot?.hostCaches });
    mark("compiler loaded");
  }

  async start(): Promise<void> {
    const c = this.options.connection;
    await Promise.all([
      this.shell.bind(channelAddress(c, "shell")),
      this.control.bind(channelAddress(c, "control")),
      this.stdin.bind(channelAddress(c, "stdin")),
      this.iopub.bind(channelAddress(c, "iopub")),
    ]);
    this.installBridge();
    this.streams.install();
    process.on("SIGINT", this.sigint);
    process.on("uncaughtException", (e) => this.reportBackground(e));
    process.on("unhandledRejection", (e) => this.reportBackground(e));
    this.interceptExit();
    this.publish("status", { execution_state: "starting" });
    void this.readLoop(this.shell, "shell", (m) => this.enqueue(m));
    void this.readLoop(this.control, "control", (m) => void this.handleControl(m));
    void this.readLoop(this.stdin, "stdin", (m) => this.handleStdin(m));
    void this.watchSubscriptions();
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

  // ---- transport -------------------------------------------------------------------------

  private async readLoop(sock: zmq.Router, name: string, handle: (m: Message) => void) {
    for await (const frames of sock) {
      let msg: Message;
      try {
        msg = decode(frames, this.signer, this.digests);
      } catch (e) {
        // Unsigned, forged or replayed messages are dropped, never executed.
        this.streams.log(`[sciforge kernel] rejected ${name} message: ${(e as Error).message}`);
        if (!(e instanceof WireError)) throw e;
        continue;
      }
      handle(msg);
    }
  }

  private publish(msgType: string, content: unknown, parent: Message | null = this.parent, metadata: Record<string, unknown> = {}, buffers: Buffer[] = []): void {
    if (msgType === "status") this.lastStatus = { content, parent };
    const seq = this.replay.next();
    const msg = { ...makeMessage(msgType, content, this.session, parent ?? undefined, { ...metadata, [SEQ_KEY]: seq }), identities: [Buffer.from(msgType)], buffers };
    const frames = encode(msg, this.signer);
    this.replay.addIopub(seq, { channel: "iopub", header: msg.header, parent_header: msg.parent_header, metadata: msg.metadata, content }, frames.reduce((n, f) => n + f.length, 0));
    void this.send.iopub.send(frames);
  }

  private reply(channel: "shell" | "control", request: Message, msgType: string, content: unknown): Promise<void> {
    const msg = makeMessage(msgType, content, this.session, request);
    if (channel === "shell") this.replay.addReply(request.header.msg_id, { channel, header: msg.header, parent_header: msg.parent_header, metadata: msg.metadata, content });
    return this.send[channel].send(encode(msg, this.signer));
  }

  // ---- shell ------------------------------------------------------------------------------

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
      // Front ends may send a message as well as SIGINT (a signal can be lost while a cell is
      // still compiling); one sent before the running cell started is stale and ignored.
      const sent = Date.parse(msg.header.date ?? "");
      if (!(sent < this.executionStarted)) this.onInterrupt();
      await this.reply("control", msg, "interrupt_reply", { status: "ok" });
      return;
    }
    await this.handle(msg, "control");
  }

  private async handle(msg: Message, channel: "shell" | "control") {
    const type = msg.header.msg_type;
    this.publish("status", { execution_state: "busy" }, msg);
    try {
      switch (type) {
        case "execute_request":
          mark("execute request");
          await this.execute(msg as Message<ExecuteRequest>, channel);
          break;
        case "kernel_info_request":
          mark("kernel_info request");
          await this.reply(channel, msg, "kernel_info_reply", this.kernelInfo());
          break;
        case "complete_request":
          await this.reply(channel, msg, "complete_reply", this.complete(msg.content as { code: string; cursor_pos: number }));
          break;
        case "inspect_request":
          await this.reply(channel, msg, "inspect_reply", this.inspect(msg.content as { code: string; cursor_pos: number }));
          break;
        case "is_complete_request": {
          await this.reply(channel, msg, "is_complete_reply", this.executor.isComplete(String((msg.content as { code: string }).code)));
          break;
        }
        case "comm_info_request": {
          const target = (msg.content as { target_name?: string }).target_name;
          await this.reply(channel, msg, "comm_info_reply", { status: "ok", comms: openComms(target || undefined) });
          break;
        }
        case "comm_open":
        case "comm_msg":
        case "comm_close":
          await this.handleComm(msg);
          break;
        case "history_request":
          await this.reply(channel, msg, "history_reply", { status: "ok", history: this.history.query(msg.content as HistoryRequest) });
          break;
        case "shutdown_request":
          await this.shutdown(msg, channel);
          return;
        default:
          this.streams.log(`[sciforge kernel] unsupported message type ${type} on ${channel}`);
      }
    } catch (e) {
      this.streams.log(`[sciforge kernel] failed to handle ${type}: ${(e as Error).stack ?? e}`);
    } finally {
      this.publish("status", { execution_state: "idle" }, msg);
    }
  }

  /**
   * Loads the library (and its native Polars addon) once the first cell has answered, so the
   * first cell that imports it need not wait for that — without delaying the kernel's first result.
   */
  private preloadLibrary() {
    if (this.preloaded) return;
    this.preloaded = true;
    setImmediate(() => {
      try {
        this.options.whenIdle?.();
      } catch (e) {
        this.streams.log(`[sciforge kernel] ${(e as Error).message}`);
      }
    });
    setTimeout(() => {
      try {
        this.executor.notebookRequire("sciforge");
      } catch (e) {
        this.streams.log(`[sciforge kernel] could not preload the sciforge library: ${(e as Error).message}`);
      }
    }, 20);
  }

  private preloaded = false;

  /** A comm message from the front end: to the target or comm the notebook registered (lib/display/comm.ts). */
  private async handleComm(msg: Message) {
    const type = msg.header.msg_type;
    const content = msg.content as Record<string, unknown>;
    this.parent = msg;
    try {
      const known = await dispatchCommMessage(type, content, msg.buffers);
      // No such target: tell the front end the comm is closed, as Jupyter expects.
      if (!known && type === "comm_open") this.publish("comm_close", { comm_id: content.comm_id, data: {} }, msg);
    } catch (e) {
      this.streams.log(`[sciforge kernel] the handler of ${type} for comm ${String(content.comm_id)} failed: ${(e as Error).stack ?? e}`);
    } finally {
      this.streams.flush();
    }
  }

  private async execute(msg: Message<ExecuteRequest>, channel: "shell" | "control") {
    const req = msg.content;
    const silent = req.silent === true;
    const storeHistory = req.store_history !== false && !silent;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    // What the previous cell dropped over the output limit is said there, before this cell's output.
    this.streams.beginCell();
    this.parent = msg;
    this.running = msg;
    this.cellBackgroundError = null;
    this.interrupted = false;
    this.executionStarted = Date.now();
    // Experiment tracking records which cell started a run.
    process.env.SCIFORGE_CELL = `cell[${count}]`;
    if (!silent) this.publish("execute_input", { code: req.code, execution_count: count });
    // Errors from timers and promises raised since the last cell: shown here, and they fail this cell.
    for (const e of this.pendingBackground.splice(0)) {
      this.publish("error", e);
      this.cellBackgroundError ??= e;
    }
    if (this.droppedBackground > 0) {
      process.stderr.write(`[sciforge kernel] ${this.droppedBackground} more background errors were raised between cells (not shown)\n`);
      this.droppedBackground = 0;
    }

    const started = process.hrtime.bigint();
    let outcome: Outcome;
    let magics: Magic[] = [];
    try {
      const parsed = parseMagics(req.code);
      magics = parsed.magics;
      await this.runMagics(magics);
      outcome = await this.executor.execute(parsed.code, `cell[${count}]`);
    } catch (e) {
      const line = e instanceof MagicError ? e.line : 0;
      // Not the cell's own error (a magic's, or the compiler's): keep the stack for a bug report.
      const trace = e instanceof MagicError ? [(e as Error).message] : [(e as Error).message, ...String((e as Error).stack ?? "").split("\n").slice(1)];
      outcome = { status: "error", error: { ename: (e as Error).name || "Error", evalue: `cell[${count}]:${line}:1 - ${(e as Error).message}`, traceback: trace } };
    }
    if (magics.some((m) => m.name === "time")) {
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      process.stdout.write(`Wall time: ${s < 1 ? (s * 1000).toFixed(1) + " ms" : s.toFixed(3) + " s"}\n`);
    }
    this.streams.endCell();
    // From here on, errors from timers and promises belong to the next cell.
    this.running = null;
    const background = this.cellBackgroundError;
    if (this.exitRequested !== null) {
      // process.exit(code) in the cell (or in a timer while it ran): answer, then exit with that code.
      const code = this.exitRequested;
      const text = `process.exit(${code}) was called: the kernel exits with code ${code}`;
      this.publish("error", { ename: "KernelExit", evalue: text, traceback: [text] });
      await this.reply(channel, msg, "execute_reply", { status: "error", execution_count: count, ename: "KernelExit", evalue: text, traceback: [text] });
      this.publish("status", { execution_state: "idle" }, msg);
      await this.exit(code);
    }
    let resultText: string | undefined;
    if (storeHistory) setImmediate(() => this.history.record(count, req.code, resultText));
    if (outcome.status === "ok") {
      // `display(x)` returns a handle (for update()); a cell ending in that call shows no Out for it.
      const hidden = outcome.fromCall === true && isDisplayHandle(outcome.value);
      if (outcome.hasValue && !silent && !hidden) {
        const data = this.bundle(outcome.value);
        resultText = typeof data["text/plain"] === "string" ? data["text/plain"] : undefined;
        this.publish("execute_result", { execution_count: count, data, metadata: {} });
      }
      if (!background) {
        await this.reply(channel, msg, "execute_reply", { status: "ok", execution_count: count, payload: [], user_expressions: {} });
        mark("first result sent");
        this.preloadLibrary();
        return;
      }
      // The cell's code finished, but a timer or promise failed meanwhile (its error is shown above).
      await this.reply(channel, msg, "execute_reply", { status: "error", execution_count: count, ...background });
    } else {
      this.publish("error", outcome.error);
      await this.reply(channel, msg, "execute_reply", { status: "error", execution_count: count, ...outcome.error });
    }
    if (req.stop_on_error !== false) await this.abortQueued();
  }

  /** After an error, execute requests already waiting are aborted (like ipykernel), the rest is served. */
  private async abortQueued() {
    // Let the socket reader pull in what arrived while the cell was running.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const keep: Message[] = [];
    for (const m of this.queue.splice(0)) {
      if (m.header.msg_type === "execute_request") {
        this.publish("status", { execution_state: "busy" }, m);
        await this.reply("shell", m, "execute_reply", { status: "aborted" });
        this.publish("status", { execution_state: "idle" }, m);
      } else keep.push(m);
    }
    this.queue.unshift(...keep);
  }

  private async runMagics(magics: Magic[]) {
    for (const m of magics) {
      if (m.name === "reset") this.executor.reset();
      if (m.name === "backend") {
        const { name, threads } = backendArgs(m.args, m.line);
        const lib = this.executor.notebookRequire("sciforge") as { backend?: { use(name: string, options?: { threads?: number }): Promise<unknown> } };
        if (!lib.backend?.use) throw new MagicError("%backend: this build of sciforge has no backend ladder", m.line);
        await lib.backend.use(name, threads === undefined ? {} : { threads });
      }
    }
  }

  private bundle(value: unknown): MimeBundle {
    // A string result shows quoted, as in Node's REPL ("1" and 1 look different); display("…") shows it raw.
    const data = typeof value === "string" ? { "text/plain": inspect(value) } : mimeBundleOf(value);
    // Everything must survive JSON: drop what does not serialize rather than fail the reply.
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== "string") {
        try {
          JSON.stringify(v);
        } catch {
          delete data[k];
        }
      }
    }
    return data;
  }

  private complete(c: { code: string; cursor_pos: number }) {
    const pos = codePointToUtf16(c.code, c.cursor_pos);
    const info = this.executor.complete(c.code, pos);
    return {
      status: "ok",
      matches: info.candidates,
      cursor_start: utf16ToCodePoint(c.code, info.start),
      cursor_end: utf16ToCodePoint(c.code, info.end),
      metadata: {},
    };
  }

  private inspect(c: { code: string; cursor_pos: number }) {
    const pos = codePointToUtf16(c.code, c.cursor_pos);
    const info = this.executor.inspect(c.code, pos);
    if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
    const text = (parts?: { text: string }[]) => (parts ?? []).map((p) => p.text).join("");
    const signature = text(info.displayParts);
    const docs = text(info.documentation);
    const tags = (info.tags ?? []).map((t) => `@${t.name} ${text(t.text)}`).join("\n");
    const plain = [signature, docs, tags].filter((s) => s !== "").join("\n\n");
    return {
      status: "ok",
      found: true,
      data: { "text/plain": plain, "text/markdown": "```typescript\n" + signature + "\n```" + (docs ? "\n\n" + docs : "") },
      metadata: {},
    };
  }

  private kernelInfo() {
    const tsVersion = this.executor.ts.version;
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "sciforge",
      implementation_version: this.options.version,
      language_info: {
        name: "typescript",
        version: tsVersion,
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "javascript", typescript: true },
        pygments_lexer: "typescript",
      },
      banner: `Sciforge ${this.options.version} — TypeScript ${tsVersion} on Node.js ${process.versions.node}`,
      help_links: [{ text: "Sciforge", url: "https://github.com/sciforge/sciforge" }],
      debugger: false,
    };
  }

  private async shutdown(msg: Message, channel: "shell" | "control") {
    const restart = Boolean((msg.content as { restart?: boolean }).restart);
    this.streams.flush();
    await this.reply(channel, msg, "shutdown_reply", { status: "ok", restart });
    this.publish("status", { execution_state: "idle" }, msg);
    await this.exit(0);
  }

  /**
   * Ends the kernel process cleanly: what is queued is sent, the sockets and the heartbeat thread
   * are closed, then the process exits. (Exiting with ZeroMQ sockets open aborts the process with
   * SIGABRT from the native addon.)
   */
  async exit(code: number, why?: string): Promise<never> {
    if (!this.exiting) {
      this.exiting = true;
      if (why) this.streams.log(`[sciforge kernel] ${why}; exiting`);
      try {
        this.streams.flush();
        await Promise.race([Promise.all(Object.values(this.send).map((s) => s.flush())), new Promise((r) => setTimeout(r, 2000))]);
        this.executor.close();
        this.history.close();
        for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
        await this.options.heartbeat?.stop();
      } catch (e) {
        this.streams.log(`[sciforge kernel] while exiting: ${(e as Error).message}`);
      }
      this.realExit(code);
    }
    return new Promise<never>(() => {});
  }

  /**
   * process.exit() in a cell (or in a timer or promise a cell started) does not tear the process
   * down under ZeroMQ: it unwinds the cell like an exception, the cell answers with a KernelExit
   * error, and then the kernel exits cleanly with that code.
   */
  private interceptExit() {
    const self = this;
    process.exit = function exit(code?: string | number | null): never {
      const raw = code ?? process.exitCode ?? 0;
      const n = Number(raw);
      const c = Number.isInteger(n) ? n & 0xff : 1;
      self.exitRequested ??= c;
      if (self.running) {
        // An exit from a timer while the cell awaits: stop waiting for the cell.
        self.executor.interrupt(0);
      } else {
        setImmediate(() => void self.exit(c, `process.exit(${c}) was called outside a cell`));
      }
      throw new KernelExitRequest(c);
    } as typeof process.exit;
  }

  // ---- interrupt, stdin, background errors ---------------------------------------------------

  private readonly sigint = () => this.onInterrupt();

  private onInterrupt() {
    this.interrupted = true;
    this.executor.interrupt();
    this.pendingInput?.reject(new Error("input interrupted"));
    this.pendingInput = null;
  }

  private handleStdin(msg: Message) {
    if (msg.header.msg_type !== "input_reply" || !this.pendingInput) return;
    const p = this.pendingInput;
    this.pendingInput = null;
    p.resolve(String((msg.content as { value?: unknown }).value ?? ""));
  }

  private input(prompt: string, password: boolean): Promise<string> {
    const parent = this.parent;
    if (!parent || (parent.content as ExecuteRequest).allow_stdin === false) {
      return Promise.reject(new Error("input(): this front end does not accept input (allow_stdin is false)"));
    }
    if (this.pendingInput) return Promise.reject(new Error("input(): another input request is already waiting"));
    this.streams.flush();
    return new Promise<string>((resolve, reject) => {
      this.pendingInput = { resolve, reject };
      void this.send.stdin.send(encode(makeMessage("input_request", { prompt, password }, this.session, parent), this.signer));
    });
  }

  /**
   * An error thrown by a timer or a promise nobody awaited: it belongs to the cell that is running
   * (shown there, and that cell fails), or, between cells, to the next cell that runs.
   */
  private reportBackground(e: unknown) {
    if (e instanceof KernelExitRequest || this.exiting) return;
    const err = e as Error;
    const message = err?.message ?? String(e);
    if (this.running) {
      const content: ErrorContent = { ename: err?.name ?? "Error", evalue: `(in background) ${message}`, traceback: String(err?.stack ?? e).split("\n") };
      this.streams.flush();
      this.publish("error", content, this.running);
      this.cellBackgroundError ??= content;
      return;
    }
    const after = this.executionCount > 0 ? `, after cell[${this.executionCount}] ended` : "";
    const content: ErrorContent = { ename: err?.name ?? "Error", evalue: `(in background${after}) ${message}`, traceback: String(err?.stack ?? e).split("\n") };
    if (this.pendingBackground.length < MAX_PENDING_BACKGROUND) this.pendingBackground.push(content);
    else this.droppedBackground++;
  }

  private installBridge() {
    const self = this;
    const bridge: KernelBridge = {
      display(data, metadata, displayId, update) {
        self.streams.flush();
        self.publish(update ? "update_display_data" : "display_data", { data, metadata, transient: displayId ? { display_id: displayId } : {} });
      },
      input: (prompt, password) => self.input(prompt, password),
      comm(msgType, content, metadata, buffers) {
        self.streams.flush();
        self.publish(msgType, content, self.parent, metadata, buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
      },
      clearOutput(wait) {
        self.streams.flush();
        self.publish("clear_output", { wait });
      },
      get interrupted() {
        return self.interrupted;
      },
    };
    (globalThis as Record<symbol, unknown>)[BRIDGE] = bridge;
  }
}

function codePointToUtf16(s: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) i += s.codePointAt(i)! > 0xffff ? 2 : 1;
  return i;
}

function utf16ToCodePoint(s: string, u: number): number {
  return Array.from(s.slice(0, u)).length;
}
