/**
 * What the kernel answers (KernelHandlers, handler-api.ts), on the Executor: cells (magics,
 * outputs, results, errors, errors from timers and promises, process.exit), completion,
 * inspection, is_complete, kernel_info, comms, history, input, interrupt and shutdown. The
 * server (server.ts) does the messaging around it.
 */
import { inspect as inspectValue } from "node:util";
import { dispatchCommMessage, openComms } from "../lib/display/comm";
import { isDisplayHandle, mimeBundleOf, type KernelCell, type KernelHooks } from "../lib/display/display";
import type { MimeBundle } from "../lib/display/mime";
import { PROTOCOL_VERSION, type ExecuteReply, type ExecuteRequest, type Message } from "../protocol/messages";
import { BackgroundErrors } from "./background-errors";
import { complete, inspect } from "./editor-requests";
import { KernelExitRequest } from "./exit-request";
import type { Executor, Outcome } from "./executor";
import type {
  CommContent,
  CommInfoReply,
  CommInfoRequest,
  CompleteReply,
  CompleteRequest,
  ExecuteEnd,
  HistoryReply,
  InputReply,
  InspectReply,
  InspectRequest,
  InterruptReply,
  IsCompleteReply,
  IsCompleteRequest,
  KernelHandlers,
  KernelInfoReply,
  KernelIO,
  Reply,
  ShutdownReply,
  ShutdownRequest,
} from "./handler-api";
import { History, type HistoryRequest } from "./history";
import { LibraryLoader } from "./library";
import { MagicError, parseMagics, runMagics, type Magic } from "./magics";
import type { StreamCapture } from "./streams";
import { mark } from "./timing";

export interface HandlerOptions {
  io: KernelIO;
  executor: Executor;
  streams: StreamCapture;
  /** The hooks the library registers on the bridge (bridge.ts). */
  hooks: KernelHooks;
  version: string;
  /** Ends the kernel process cleanly (kernel.ts). */
  exit(code: number, why?: string): Promise<never>;
  /** Runs once, shortly after the first cell has answered (caches for the next start). */
  whenIdle?: () => void;
}

export class TypeScriptHandlers implements KernelHandlers {
  private readonly io: KernelIO;
  private readonly executor: Executor;
  private readonly streams: StreamCapture;
  private readonly library: LibraryLoader;
  /** The input history (history_request), per user across sessions. */
  private readonly inputHistory = new History();
  private executionCount = 0;
  private lastCell: KernelCell | undefined;
  private interruptFlag = false;
  private executionStarted = 0;
  private pendingInput: { resolve(v: string): void; reject(e: Error): void } | null = null;
  /** The execute request whose cell is running now (null between cells). */
  private running: Message | null = null;
  private readonly background = new BackgroundErrors();
  /** Set by process.exit(code): the kernel exits with it once the running cell has answered. */
  private exitRequested: number | null = null;
  private answeredOnce = false;

  constructor(private readonly options: HandlerOptions) {
    this.io = options.io;
    this.executor = options.executor;
    this.streams = options.streams;
    this.library = new LibraryLoader(options.executor, (t) => options.streams.log(t));
  }

  /** Set by an interrupt, cleared when the next cell starts (the bridge's `interrupted`). */
  get interrupted(): boolean {
    return this.interruptFlag;
  }

  /** The running cell, or the last one run (the bridge's `cell`). */
  get cell(): KernelCell | undefined {
    return this.lastCell;
  }

  // ---- execute ------------------------------------------------------------------------------

  async execute(msg: Message<ExecuteRequest>, reply: Reply<ExecuteReply>): Promise<ExecuteEnd> {
    const req = msg.content;
    const silent = req.silent === true;
    const storeHistory = req.store_history !== false && !silent;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    // What the previous cell dropped over the output limit is said there, before this cell's output.
    this.streams.beginCell();
    this.io.parent = msg;
    this.running = msg;
    this.background.beginCell();
    this.interruptFlag = false;
    this.executor.beginCell();
    this.executionStarted = Date.now();
    // Experiment tracking records which cell started a run (read through the bridge).
    const cellId = msg.metadata.cellId;
    this.lastCell = { ...(typeof cellId === "string" ? { id: cellId } : {}), label: `cell[${count}]`, executionCount: count };
    if (!silent) this.io.publish("execute_input", { code: req.code, execution_count: count });
    // Errors from timers and promises raised since the last cell: shown here, and they fail this cell.
    this.background.showPending((e) => this.io.publish("error", e));

    const started = process.hrtime.bigint();
    let outcome: Outcome;
    let magics: Magic[] = [];
    try {
      const parsed = parseMagics(req.code);
      magics = parsed.magics;
      await runMagics(magics, { reset: () => this.executor.reset(), backendSwitcher: () => this.backendSwitcher() });
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
    const background = this.background.cellError;
    if (this.exitRequested !== null) {
      // process.exit(code) in the cell (or in a timer while it ran): answer, then exit with that code.
      const code = this.exitRequested;
      const text = `process.exit(${code}) was called: the kernel exits with code ${code}`;
      this.io.publish("error", { ename: "KernelExit", evalue: text, traceback: [text] });
      await reply({ status: "error", execution_count: count, ename: "KernelExit", evalue: text, traceback: [text] });
      this.io.status("idle", msg);
      await this.options.exit(code);
    }
    if (storeHistory) this.inputHistory.recordSoon(count, req.code);
    if (outcome.status === "ok") {
      // `display(x)` returns a handle (for update()); a cell ending in that call shows no Out for it.
      const hidden = outcome.fromCall === true && isDisplayHandle(outcome.value);
      if (outcome.hasValue && !silent && !hidden) {
        const data = resultBundle(outcome.value);
        if (storeHistory && typeof data["text/plain"] === "string") this.inputHistory.recordSoon(count, req.code, data["text/plain"]);
        this.io.publish("execute_result", { execution_count: count, data, metadata: {} });
      }
      if (!background) {
        await reply({ status: "ok", execution_count: count, payload: [], user_expressions: {} });
        mark("first result sent");
        this.afterFirstAnswer();
        return { abortQueued: false };
      }
      // The cell's code finished, but a timer or promise failed meanwhile (its error is shown above).
      await reply({ status: "error", execution_count: count, ...background });
    } else {
      this.io.publish("error", outcome.error);
      await reply({ status: "error", execution_count: count, ...outcome.error });
    }
    return { abortQueued: req.stop_on_error !== false };
  }

  /** %backend's switcher: the hook the library registered, loading the library first when no cell has. */
  private backendSwitcher(): KernelHooks["useBackend"] {
    if (!this.options.hooks.useBackend) this.library.load();
    return this.options.hooks.useBackend;
  }

  /**
   * Once the first cell has answered: what makes the next start faster (whenIdle), and the library
   * (library.ts) — without delaying the kernel's first result.
   */
  private afterFirstAnswer() {
    if (this.answeredOnce) return;
    this.answeredOnce = true;
    setImmediate(() => {
      try {
        this.options.whenIdle?.();
      } catch (e) {
        this.streams.log(`[sciforge kernel] ${(e as Error).message}`);
      }
    });
    this.library.preload();
  }

  // ---- the other requests -------------------------------------------------------------------

  kernelInfo(): KernelInfoReply {
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

  complete(request: CompleteRequest): CompleteReply {
    return complete(this.executor, request);
  }

  inspect(request: InspectRequest): InspectReply {
    return inspect(this.executor, request);
  }

  isComplete(request: IsCompleteRequest): IsCompleteReply {
    return this.executor.isComplete(String(request.code));
  }

  commInfo(request: CommInfoRequest): CommInfoReply {
    return { status: "ok", comms: openComms(request.target_name || undefined) };
  }

  /** A comm message from the front end: to the target or comm the notebook registered (lib/display/comm.ts). */
  async comm(msg: Message<CommContent>): Promise<void> {
    const type = msg.header.msg_type;
    const content = msg.content;
    this.io.parent = msg;
    try {
      const known = await dispatchCommMessage(type, content, msg.buffers);
      // No such target: tell the front end the comm is closed, as Jupyter expects.
      if (!known && type === "comm_open") this.io.publish("comm_close", { comm_id: content.comm_id, data: {} }, msg);
    } catch (e) {
      this.streams.log(`[sciforge kernel] the handler of ${type} for comm ${String(content.comm_id)} failed: ${(e as Error).stack ?? e}`);
    } finally {
      this.streams.flush();
    }
  }

  history(request: HistoryRequest): HistoryReply {
    return { status: "ok", history: this.inputHistory.query(request) };
  }

  async shutdown(msg: Message<ShutdownRequest>, reply: Reply<ShutdownReply>): Promise<never> {
    const restart = Boolean(msg.content.restart);
    this.streams.flush();
    await reply({ status: "ok", restart });
    this.io.status("idle", msg);
    return this.options.exit(0);
  }

  // ---- interrupt, stdin, background errors, process.exit ------------------------------------

  interrupt(sentAt?: number): InterruptReply {
    // A message sent before the running cell started is stale (a signal can be lost while a cell
    // is still compiling, so front ends may send both).
    if (!(sentAt !== undefined && sentAt < this.executionStarted)) {
      this.interruptFlag = true;
      this.executor.interrupt();
      this.pendingInput?.reject(new Error("input interrupted"));
      this.pendingInput = null;
    }
    return { status: "ok" };
  }

  inputReply(reply: InputReply): void {
    if (!this.pendingInput) return;
    const p = this.pendingInput;
    this.pendingInput = null;
    p.resolve(String(reply.value ?? ""));
  }

  /** Asks the front end for a line of input for the running cell (the bridge's `input`). */
  input(prompt: string, password: boolean): Promise<string> {
    const parent = this.io.parent;
    if (!parent || (parent.content as ExecuteRequest).allow_stdin === false) {
      return Promise.reject(new Error("input(): this front end does not accept input (allow_stdin is false)"));
    }
    if (this.pendingInput) return Promise.reject(new Error("input(): another input request is already waiting"));
    this.streams.flush();
    return new Promise<string>((resolve, reject) => {
      this.pendingInput = { resolve, reject };
      this.io.requestInput(parent, prompt, password);
    });
  }

  /** An error thrown by a timer or a promise nobody awaited (background-errors.ts). */
  reportBackground(e: unknown): void {
    if (e instanceof KernelExitRequest) return;
    const running = this.running;
    this.background.report(e, running !== null, this.executionCount, (content) => {
      this.streams.flush();
      this.io.publish("error", content, running);
    });
  }

  /** process.exit(code) was called (exit-request.ts): the running cell unwinds, or, between cells, the kernel exits. */
  exitRequest(code: number): void {
    this.exitRequested ??= code;
    if (this.running) {
      // An exit from a timer while the cell awaits: stop waiting for the cell.
      this.executor.interrupt(0);
    } else {
      setImmediate(() => void this.options.exit(code, `process.exit(${code}) was called outside a cell`));
    }
  }

  close(): void {
    this.executor.close();
    this.inputHistory.close();
  }
}

function resultBundle(value: unknown): MimeBundle {
  // A string result shows quoted, as in Node's REPL ("1" and 1 look different); display("…") shows it raw.
  const data = typeof value === "string" ? { "text/plain": inspectValue(value) } : mimeBundleOf(value);
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
