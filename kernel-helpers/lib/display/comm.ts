/**
 * Comms: Jupyter's channel for messages between the kernel and the front end outside cells (what
 * widgets are built on). A notebook registers a target by name; when the front end opens a comm
 * to it, the target's handler gets the comm, and both sides send messages on it until one closes
 * it. The kernel side can open comms too.
 *
 * ```ts
 * import { registerCommTarget, openComm } from "sciforge";
 * registerCommTarget("echo", (comm, open) => {
 *   comm.onMessage((msg) => comm.send({ echo: msg.data }));
 * });
 * const c = openComm("my-frontend-target", { hello: 1 });   // comm_open to the front end
 * c.onMessage((msg) => console.log(msg.data));
 * ```
 *
 * Targets and open comms live on globalThis (like display formatters), so the kernel's copy of
 * this module and the library's copy share them. Outside a kernel, sends go nowhere.
 */
import { randomUUID } from "node:crypto";
import { kernelBridge } from "./display";

export type CommData = Record<string, unknown>;

export interface CommMessage {
  data: CommData;
  metadata: Record<string, unknown>;
  buffers: Uint8Array[];
}

export interface CommSendOptions {
  metadata?: Record<string, unknown>;
  buffers?: Uint8Array[];
}

export interface Comm {
  readonly commId: string;
  readonly targetName: string;
  readonly closed: boolean;
  /** Sends `comm_msg` to the front end. */
  send(data?: CommData, options?: CommSendOptions): void;
  /** Sends `comm_close` and forgets the comm. */
  close(data?: CommData, options?: CommSendOptions): void;
  /** Messages the front end sends on this comm. */
  onMessage(handler: (msg: CommMessage) => void | Promise<void>): void;
  /** The front end closed the comm. */
  onClose(handler: (msg: CommMessage) => void | Promise<void>): void;
}

export type CommTargetHandler = (comm: Comm, open: CommMessage) => void | Promise<void>;

/** What the kernel's bridge sends comm messages with (see display.ts KernelBridge). */
export type CommSend = (msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>, metadata: Record<string, unknown>, buffers: Uint8Array[]) => void;

interface CommState {
  targets: Map<string, CommTargetHandler>;
  comms: Map<string, CommImpl>;
}

const STATE = Symbol.for("sciforge.comms");

function state(): CommState {
  const g = globalThis as Record<symbol, CommState | undefined>;
  return (g[STATE] ??= { targets: new Map(), comms: new Map() });
}

function send(msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>, options: CommSendOptions = {}) {
  kernelBridge()?.comm?.(msgType, content, options.metadata ?? {}, options.buffers ?? []);
}

class CommImpl implements Comm {
  closed = false;
  private readonly messageHandlers: Array<(m: CommMessage) => void | Promise<void>> = [];
  private readonly closeHandlers: Array<(m: CommMessage) => void | Promise<void>> = [];

  constructor(
    readonly commId: string,
    readonly targetName: string,
  ) {}

  send(data: CommData = {}, options?: CommSendOptions): void {
    if (this.closed) throw new Error(`comm ${this.commId} (${this.targetName}) is closed`);
    send("comm_msg", { comm_id: this.commId, data }, options);
  }

  close(data: CommData = {}, options?: CommSendOptions): void {
    if (this.closed) return;
    this.closed = true;
    state().comms.delete(this.commId);
    send("comm_close", { comm_id: this.commId, data }, options);
  }

  onMessage(handler: (msg: CommMessage) => void | Promise<void>): void {
    this.messageHandlers.push(handler);
  }

  onClose(handler: (msg: CommMessage) => void | Promise<void>): void {
    this.closeHandlers.push(handler);
  }

  /** A message from the front end (called by the kernel). */
  async receive(msg: CommMessage): Promise<void> {
    for (const h of this.messageHandlers) await h(msg);
  }

  /** The front end closed it (called by the kernel). */
  async closedByFrontEnd(msg: CommMessage): Promise<void> {
    this.closed = true;
    state().comms.delete(this.commId);
    for (const h of this.closeHandlers) await h(msg);
  }
}

/** Lets the front end open comms to `targetName`; `handler` gets each one. Replaces an earlier handler. */
export function registerCommTarget(targetName: string, handler: CommTargetHandler): void {
  state().targets.set(targetName, handler);
}

export function unregisterCommTarget(targetName: string): void {
  state().targets.delete(targetName);
}

/** Opens a comm from the kernel to a target the front end registered. */
export function openComm(targetName: string, data: CommData = {}, options: CommSendOptions = {}): Comm {
  const comm = new CommImpl(randomUUID(), targetName);
  state().comms.set(comm.commId, comm);
  send("comm_open", { comm_id: comm.commId, target_name: targetName, data }, options);
  return comm;
}

/** Open comms, by id, with their target (what `comm_info_request` answers). */
export function openComms(targetName?: string): Record<string, { target_name: string }> {
  const out: Record<string, { target_name: string }> = {};
  for (const [id, c] of state().comms) if (targetName === undefined || c.targetName === targetName) out[id] = { target_name: c.targetName };
  return out;
}

/**
 * What the kernel does with a comm message from the front end. `comm_open` to a target nobody
 * registered answers false (the kernel then closes it, as Jupyter expects).
 */
export async function dispatchCommMessage(msgType: string, content: Record<string, unknown>, buffers: Uint8Array[]): Promise<boolean> {
  const s = state();
  const id = String(content.comm_id ?? "");
  const msg: CommMessage = { data: (content.data as CommData) ?? {}, metadata: (content.metadata as Record<string, unknown>) ?? {}, buffers };
  if (msgType === "comm_open") {
    const handler = s.targets.get(String(content.target_name ?? ""));
    if (!handler || !id) return false;
    const comm = new CommImpl(id, String(content.target_name));
    s.comms.set(id, comm);
    await handler(comm, msg);
    return true;
  }
  const comm = s.comms.get(id);
  if (!comm) return false;
  if (msgType === "comm_msg") await comm.receive(msg);
  else if (msgType === "comm_close") await comm.closedByFrontEnd(msg);
  return true;
}
