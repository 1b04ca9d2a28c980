/**
 * The typed boundary between the transport (server.ts) and what answers requests (handlers.ts):
 * the request and reply contents the kernel reads and writes (Jupyter messaging 5.3, as far as
 * this kernel uses them), what the server calls (KernelHandlers) and what it offers the
 * handlers in return (KernelIO).
 */
import type {
  CommContent, CommInfoReply, CommInfoRequest, CompleteReply, CompleteRequest, ExecuteReply, ExecuteRequest, HistoryReply,
  InputReply, InspectReply, InspectRequest, InterruptReply, IsCompleteReply, IsCompleteRequest, KernelInfoReply, Message,
  ShutdownReply, ShutdownRequest,
} from "../protocol/messages";
import type { HistoryRequest } from "./history";

export type {
  CommContent, CommInfoReply, CommInfoRequest, CompleteReply, CompleteRequest, HistoryReply, InputReply, InspectReply,
  InspectRequest, InterruptReply, IsCompleteReply, IsCompleteRequest, KernelInfoReply, ShutdownReply, ShutdownRequest,
};

export type RequestChannel = "shell" | "control";

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
