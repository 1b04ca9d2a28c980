/**
 * The typed boundary between the transport (server.ts) and what answers requests (handlers.ts):
 * the request and reply contents the kernel reads and writes (Jupyter messaging 5.3, as far as
 * this kernel uses them), what the server calls (KernelHandlers) and what it offers the
 * handlers in return (KernelIO).
 */
import type { MimeBundle } from "../lib/display/mime";
import type { ExecuteReply, ExecuteRequest, Message } from "../protocol/messages";
import type { HistoryEntry, HistoryRequest } from "./history";

export type RequestChannel = "shell" | "control";

export interface CompleteRequest {
  code: string;
  /** In code points (Jupyter counts characters, not UTF-16 units). */
  cursor_pos: number;
}

export interface InspectRequest {
  code: string;
  cursor_pos: number;
  detail_level?: 0 | 1;
}

export interface IsCompleteRequest {
  code: string;
}

export interface CommInfoRequest {
  target_name?: string;
}

export interface ShutdownRequest {
  restart?: boolean;
}

export interface InputReply {
  value?: unknown;
}

/** comm_open / comm_msg / comm_close from the front end (lib/display/comm.ts reads the rest). */
export interface CommContent extends Record<string, unknown> {
  comm_id?: unknown;
}

export interface CompleteReply {
  status: "ok";
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

export interface InspectReply {
  status: "ok";
  found: boolean;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface IsCompleteReply {
  status: "complete" | "incomplete" | "invalid" | "unknown";
  indent?: string;
}

export interface KernelInfoReply {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: {
    name: string;
    version: string;
    mimetype: string;
    file_extension: string;
    codemirror_mode: { name: string; typescript: boolean };
    pygments_lexer: string;
  };
  banner: string;
  help_links: { text: string; url: string }[];
  debugger: boolean;
}

export interface CommInfoReply {
  status: "ok";
  comms: Record<string, { target_name: string }>;
}

export interface HistoryReply {
  status: "ok";
  history: HistoryEntry[];
}

export interface ShutdownReply {
  status: "ok";
  restart: boolean;
}

export interface InterruptReply {
  status: "ok";
}

/** Sends the reply to the request being handled (on the channel it came in on). */
export type Reply<C> = (content: C) => Promise<void>;

/** What the server does after an execute request has been answered. */
export interface ExecuteEnd {
  /** Abort the execute requests already queued (the cell failed and stop_on_error was not false). */
  abortQueued: boolean;
}

/**
 * What the server calls. Each shell or control request runs between a busy and an idle status;
 * the server sends the reply content a handler returns (execute and shutdown reply themselves,
 * as their outputs go before and after the reply).
 */
export interface KernelHandlers {
  kernelInfo(): KernelInfoReply;
  execute(request: Message<ExecuteRequest>, reply: Reply<ExecuteReply>): Promise<ExecuteEnd>;
  complete(request: CompleteRequest): CompleteReply;
  inspect(request: InspectRequest): InspectReply;
  isComplete(request: IsCompleteRequest): IsCompleteReply;
  commInfo(request: CommInfoRequest): CommInfoReply;
  /** A comm message from the front end (no reply). */
  comm(request: Message<CommContent>): Promise<void>;
  history(request: HistoryRequest): HistoryReply;
  /** Replies, then ends the kernel: it never resolves. */
  shutdown(request: Message<ShutdownRequest>, reply: Reply<ShutdownReply>): Promise<never>;
  /** An interrupt_request sent at `sentAt` (ms since the epoch; NaN when unknown), or SIGINT (no argument). */
  interrupt(sentAt?: number): InterruptReply;
  /** The front end's answer to an input_request (stdin channel). */
  inputReply(reply: InputReply): void;
}

/** What the server offers the handlers. */
export interface KernelIO {
  /** The request that iopub messages published without a parent belong to (the handlers set it). */
  parent: Message | null;
  /** Publishes on iopub (numbered and kept for a client that reconnects). */
  publish(msgType: string, content: unknown, parent?: Message | null, metadata?: Record<string, unknown>, buffers?: Buffer[]): void;
  /** Publishes the kernel's status for a request. */
  status(state: "busy" | "idle", parent: Message): void;
  /** Asks the front end for a line of input (stdin channel); the answer comes to `KernelHandlers.inputReply`. */
  requestInput(parent: Message, prompt: string, password: boolean): void;
}
