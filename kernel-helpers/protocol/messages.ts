/**
 * Jupyter messaging protocol 5.3 message shapes, as used by both sides: the kernel
 * (kernel-helpers/kernel) and the client (extension/jupyter).
 */
export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- content is JSON whose shape depends on msg_type
export interface Message<C = any> {
  /** ZeroMQ routing identities (ROUTER sockets) — empty on the client side. */
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export type Channel = "shell" | "control" | "stdin" | "iopub" | "hb";

/** A Jupyter connection file (https://jupyter-client.readthedocs.io/en/stable/kernels.html). */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  control_port: number;
  stdin_port: number;
  iopub_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

export type ExecuteReply =
  | { status: "ok"; execution_count: number; payload?: unknown[]; user_expressions?: Record<string, unknown> }
  | ({ status: "error"; execution_count: number } & ErrorContent)
  | { status: "aborted"; execution_count?: number };

/** A MIME bundle as carried by display_data / execute_result / inspect_reply. */
export type MimeData = Record<string, unknown>;

/** `transient` of display messages (not saved with the notebook). */
export interface DisplayTransient {
  display_id?: string;
}

// ---- iopub contents ------------------------------------------------------------------------

export interface StreamContent {
  name: "stdout" | "stderr";
  text: string;
}

export interface DisplayDataContent {
  data: MimeData;
  metadata: Record<string, unknown>;
  transient?: DisplayTransient;
}

/** update_display_data: like display_data, but replaces what an earlier display with the same id shows. */
export type UpdateDisplayDataContent = DisplayDataContent;

export interface ExecuteResultContent extends DisplayDataContent {
  execution_count: number | null;
}

export type ExecutionState = "busy" | "idle" | "starting" | "restarting" | "dead";

export interface StatusContent {
  execution_state: ExecutionState;
}

export interface ClearOutputContent {
  /** Clear only when the next output arrives (no flicker). */
  wait: boolean;
}

export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}

export interface CommOpenContent {
  comm_id: string;
  target_name: string;
  data: Record<string, unknown>;
  target_module?: string;
}

export interface CommMsgContent {
  comm_id: string;
  data: Record<string, unknown>;
}

export type CommCloseContent = CommMsgContent;

// ---- stdin ---------------------------------------------------------------------------------

export interface InputRequestContent {
  prompt: string;
  password: boolean;
}

// ---- shell / control requests the kernel reads ----------------------------------------------

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

export interface CommInfoReply {
  status: "ok";
  comms: Record<string, { target_name: string }>;
}


// ---- shell / control replies the client reads ------------------------------------------------

export interface ReplyError extends ErrorContent {
  status: "error";
}

export interface ReplyAborted {
  status: "aborted";
}

export interface KernelInfoReply {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: {
    name: string;
    version: string;
    mimetype?: string;
    file_extension?: string;
    pygments_lexer?: string;
    codemirror_mode?: string | Record<string, unknown>;
    nbconvert_exporter?: string;
  };
  banner: string;
  debugger?: boolean;
  help_links?: { text: string; url: string }[];
}

export interface CompleteReply {
  status: "ok" | "error";
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata?: Record<string, unknown>;
}

export interface InspectReply {
  status: "ok" | "error";
  found: boolean;
  data: Record<string, string>;
  metadata?: Record<string, unknown>;
}

export type IsCompleteReply =
  | { status: "complete" | "invalid" | "unknown" }
  | { status: "incomplete"; indent?: string };

/** [session, line_number, input] or [session, line_number, [input, output]] */
export type HistoryEntry = [number, number, string] | [number, number, [string, string | null]];

export type HistoryReply = { status: "ok"; history: HistoryEntry[] } | ReplyError;

export interface ShutdownReply {
  status: "ok" | "error";
  restart: boolean;
}

export type InterruptReply = { status: "ok" } | ReplyError;

/** msg_type → content, for every message Sciforge's client reads. */
export interface MessageContents {
  stream: StreamContent;
  display_data: DisplayDataContent;
  update_display_data: UpdateDisplayDataContent;
  execute_result: ExecuteResultContent;
  error: ErrorContent;
  status: StatusContent;
  clear_output: ClearOutputContent;
  execute_input: ExecuteInputContent;
  comm_open: CommOpenContent;
  comm_msg: CommMsgContent;
  comm_close: CommCloseContent;
  input_request: InputRequestContent;
  execute_reply: ExecuteReply;
  kernel_info_reply: KernelInfoReply;
  complete_reply: CompleteReply;
  inspect_reply: InspectReply;
  is_complete_reply: IsCompleteReply;
  history_reply: HistoryReply;
  shutdown_reply: ShutdownReply;
  interrupt_reply: InterruptReply;
}

export type KnownMsgType = keyof MessageContents;

export const IOPUB_MSG_TYPES = [
  "stream",
  "display_data",
  "update_display_data",
  "execute_result",
  "error",
  "status",
  "clear_output",
  "execute_input",
  "comm_open",
  "comm_msg",
  "comm_close",
] as const satisfies readonly KnownMsgType[];

export type IopubMsgType = (typeof IOPUB_MSG_TYPES)[number];

/** A message of one msg_type T with T's content. */
export interface MessageOf<T extends KnownMsgType> extends Message<MessageContents[T]> {
  header: MessageHeader & { msg_type: T };
}

/** A message whose header says `T`, with T's content (a union of such messages when T is a union). */
export type TypedMessage<T extends KnownMsgType> = T extends KnownMsgType ? MessageOf<T> : never;

/** Every iopub message Sciforge handles, discriminated by `header.msg_type` (narrow with {@link isMessageType}). */
export type IopubMessage = TypedMessage<IopubMsgType>;

/** Outputs a cell shows (the iopub messages an outputs reducer takes). */
export type OutputMessage = TypedMessage<"stream" | "display_data" | "update_display_data" | "execute_result" | "error" | "clear_output">;

/**
 * Narrows a message by its msg_type (TypeScript does not narrow on the nested `header.msg_type`
 * by itself). Content is the kernel's JSON: the type says what the protocol promises, not more.
 */
export function isMessageType<T extends KnownMsgType>(m: Message, type: T): m is MessageOf<T> {
  return m.header.msg_type === type;
}

/** Same as {@link isMessageType} for several types at once. */
export function isOneOf<T extends KnownMsgType>(m: Message, types: readonly T[]): m is TypedMessage<T> {
  return (types as readonly string[]).includes(m.header.msg_type);
}

/** True for the iopub messages {@link IopubMessage} covers. */
export function isIopubMessage(m: Message): m is IopubMessage {
  return isOneOf(m, IOPUB_MSG_TYPES);
}

export function channelAddress(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as const];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
