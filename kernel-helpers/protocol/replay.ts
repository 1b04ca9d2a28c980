/**
 * Nothing the kernel sends may be lost to a dropped connection. A Jupyter server buffers a
 * kernel's messages while a client's WebSocket is down, but not all of them: what it wrote into
 * the dying socket, what arrived while it had not yet noticed the drop ("zmq message arrived on
 * closed channel"), and the first iopub message after the reconnect when it takes the kernel for
 * idle (its kernel_info "nudge" swallows it) are gone. So Sciforge's kernel numbers its iopub
 * messages (`metadata.sciforge_seq`), keeps the recent ones and its recent replies, and answers a
 * `sciforge_replay_request` on the control channel with what a client missed. Other kernels
 * ignore the request; their clients keep the old behaviour.
 */
import type { Message, MessageHeader } from "./messages";

export const REPLAY_REQUEST = "sciforge_replay_request";
export const REPLAY_REPLY = "sciforge_replay_reply";
/** The metadata key of an iopub message's number (1, 2, … per kernel process). */
export const SEQ_KEY = "sciforge_seq";

export interface ReplayRequest {
  /** Send the iopub messages numbered after this one. */
  after_seq: number;
  /** Send the replies to these requests (msg_ids), when the kernel still has them. */
  replies_for?: string[];
}

export interface LoggedMessage {
  channel: "iopub" | "shell" | "control";
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: unknown;
}

export interface ReplayReply {
  status: "ok";
  /** The kernel's session: numbers restart with a new process. */
  session: string;
  /** The oldest iopub number still kept (messages before it are gone for good). */
  first_seq: number;
  /** The newest iopub number sent so far. */
  last_seq: number;
  iopub: LoggedMessage[];
  replies: LoggedMessage[];
}

/** True for the kernel's answer to a replay request. */
export function isReplayReply(m: Message): m is Message<ReplayReply> {
  return m.header.msg_type === REPLAY_REPLY;
}

/** The kernel's side: numbers iopub messages and keeps the recent ones (bounded) and recent replies. */
export class ReplayLog {
  private seq = 0;
  private readonly iopub: { seq: number; msg: LoggedMessage; bytes: number }[] = [];
  private head = 0;
  private bytes = 0;
  private readonly replies = new Map<string, LoggedMessage>();

  constructor(
    private readonly maxBytes = 32_000_000,
    private readonly maxMessages = 20_000,
    private readonly maxReplies = 500,
  ) {}

  /** The number for the next iopub message. */
  next(): number {
    return ++this.seq;
  }

  addIopub(seq: number, msg: LoggedMessage, bytes: number): void {
    this.iopub.push({ seq, msg, bytes });
    this.bytes += bytes;
    while (this.iopub.length - this.head > this.maxMessages || (this.bytes > this.maxBytes && this.iopub.length - this.head > 1)) {
      this.bytes -= this.iopub[this.head].bytes;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.iopub.length) {
      this.iopub.splice(0, this.head);
      this.head = 0;
    }
  }

  addReply(requestId: string, msg: LoggedMessage): void {
    this.replies.delete(requestId);
    this.replies.set(requestId, msg);
    if (this.replies.size > this.maxReplies) this.replies.delete(this.replies.keys().next().value!);
  }

  since(request: Partial<ReplayRequest>, session: string): ReplayReply {
    const after = Number(request.after_seq) || 0;
    const kept = this.iopub.slice(this.head);
    const iopub = kept.filter((e) => e.seq > after).map((e) => e.msg);
    const ids = Array.isArray(request.replies_for) ? request.replies_for : [];
    const replies = ids.map((id) => this.replies.get(String(id))).filter((m): m is LoggedMessage => m !== undefined);
    return { status: "ok", session, first_seq: kept[0]?.seq ?? this.seq + 1, last_seq: this.seq, iopub, replies };
  }
}
