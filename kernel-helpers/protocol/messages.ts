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

export function channelAddress(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as const];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
