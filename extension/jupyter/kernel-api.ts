/**
 * What the runner, the CLI and the VS Code controller need from a kernel, whether it runs here
 * (LocalKernel + KernelClient over ZeroMQ) or on a Jupyter server (RemoteKernel over the
 * server's REST + WebSocket API). Nothing here imports zeromq or @jupyterlab/services.
 */
import { isMessageType, type ExecuteReply, type CompleteReply, type InspectReply, type KernelInfoReply, type KnownMsgType, type Message, type MessageContents } from "../../kernel-helpers/protocol/messages";

/** The kernel is gone: every waiting request fails with this. */
export class KernelDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KernelDiedError";
  }
}

/**
 * The kernel may still be alive, but the connection to it is lost for good (its Jupyter server
 * stopped answering): for the caller the kernel is as good as dead.
 */
export class KernelLostError extends KernelDiedError {
  constructor(message: string) {
    super(message);
    this.name = "KernelLostError";
  }
}

export interface ExecuteOptions {
  /** Called with every iopub message of this request (stream, display_data, execute_result, error, …). */
  onOutput?(msg: Message): void;
  /** Answers input() calls; without it the request says allow_stdin: false. */
  onInput?(prompt: string, password: boolean): Promise<string>;
  stopOnError?: boolean;
  silent?: boolean;
  storeHistory?: boolean;
  /**
   * After the reply, wait at most this long for the request's `idle` status (default: as long as
   * it takes). For measuring kernels that lose iopub messages (raw tslab does, under load):
   * the result then says `idleMissing`.
   */
  idleTimeoutMs?: number;
}

/** The content of an execute_request for `code` (the same for local and remote kernels). */
export function executeRequestContent(code: string, o: ExecuteOptions = {}) {
  return {
    code,
    silent: o.silent ?? false,
    store_history: o.storeHistory ?? true,
    user_expressions: {},
    allow_stdin: Boolean(o.onInput),
    stop_on_error: o.stopOnError ?? true,
  };
}

/** The content of a reply, checked to be of `type` (a kernel that answers otherwise is broken). */
export function replyContent<T extends KnownMsgType>(reply: Message, type: T): MessageContents[T] {
  if (!isMessageType(reply, type)) throw new Error(`expected a ${type} from the kernel, got ${reply.header.msg_type}`);
  return reply.content;
}

export interface ExecuteResult {
  reply: ExecuteReply;
  /** The execute_input's execution count (or the reply's). */
  executionCount: number | null;
  /** The `idle` status did not come within `idleTimeoutMs` of the reply. */
  idleMissing?: boolean;
}

export type { CompleteReply, InspectReply, IsCompleteReply, KernelInfoReply } from "../../kernel-helpers/protocol/messages";

/**
 * The message side of a kernel: requests and their outputs. Events: "dead" (reason: string),
 * "iopub" (every iopub Message), "warning" (string), "error" (Error).
 */
export interface KernelChannel {
  /** Why the kernel is dead (or unreachable for good), else null. */
  readonly dead: string | null;
  /**
   * Runs code; resolves once both the execute_reply and the request's final iopub `idle`
   * arrived (every output has been given to `onOutput` by then); rejects with KernelDiedError
   * when the kernel dies or is lost.
   */
  execute(code: string, o?: ExecuteOptions): Promise<ExecuteResult>;
  complete(code: string, cursorPos?: number): Promise<CompleteReply>;
  inspect(code: string, cursorPos?: number, detailLevel?: number): Promise<InspectReply>;
  kernelInfo(): Promise<KernelInfoReply>;
  on(event: "dead", listener: (reason: string) => void): this;
  on(event: "iopub", listener: (msg: Message) => void): this;
  on(event: "warning", listener: (text: string) => void): this;
  on(event: "error", listener: (e: Error) => void): this;
  off(event: "dead", listener: (reason: string) => void): this;
}

/** A kernel's life cycle plus its channel: what a session holds on to. */
export interface RunningKernel {
  readonly name: string;
  readonly client: KernelChannel;
  /** Where it runs, for people: "local (pid 1234)", "remote 127.0.0.1:8888". */
  readonly location: string;
  /** The process id when the kernel runs on this machine. */
  readonly pid: number | undefined;
  /** Stops the running cell (the way the kernelspec asks for: signal or message). */
  interrupt(): Promise<void>;
  /** A fresh kernel: all state is gone. */
  restart(): Promise<void>;
  /** Shuts the kernel down; never throws because the kernel or its server is already gone. */
  shutdown(): Promise<void>;
  /**
   * Ends the kernel now, for a cell that no interrupt stops (a loop after an await): the local
   * process is killed, a remote kernel is shut down by its server. Requests waiting on it fail.
   */
  kill(): Promise<void>;
}
