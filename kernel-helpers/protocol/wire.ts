/**
 * The Jupyter wire format: framing, HMAC signing and verification of multipart messages.
 * `[identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]`
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { PROTOCOL_VERSION, type Message, type MessageHeader } from "./messages";

const DELIMITER = "<IDS|MSG>";

/** Signs and checks messages with the connection's key (HMAC-SHA256; an empty key disables signing). */
export class Signer {
  private readonly algorithm: string | null;
  constructor(
    private readonly key: string,
    scheme = "hmac-sha256",
  ) {
    if (key === "") {
      this.algorithm = null;
    } else {
      const m = /^hmac-([a-z0-9]+)$/.exec(scheme);
      if (!m) throw new Error(`unsupported signature_scheme "${scheme}" (expected hmac-sha256)`);
      this.algorithm = m[1];
    }
  }

  sign(parts: Buffer[]): string {
    if (!this.algorithm) return "";
    const h = createHmac(this.algorithm, this.key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }

  verify(signature: string, parts: Buffer[]): boolean {
    if (!this.algorithm) return true;
    const expected = Buffer.from(this.sign(parts), "utf8");
    const got = Buffer.from(signature, "utf8");
    return expected.length === got.length && timingSafeEqual(expected, got);
  }
}

export class WireError extends Error {}

/**
 * The signatures of the messages a session has accepted, as jupyter_client's `Session.digest_history`:
 * a message whose signature was seen before is a replay (someone who captured the traffic sends it
 * again) and is refused, so an execute_request runs once. Bounded: past `maxSize` signatures the
 * oldest tenth is forgotten (jupyter_client culls a random tenth at 2^16).
 */
export class DigestHistory {
  private readonly seen = new Set<string>();
  constructor(readonly maxSize = 2 ** 16) {
    if (!(maxSize >= 1)) throw new RangeError(`DigestHistory maxSize must be at least 1 (got ${maxSize})`);
  }

  get size(): number {
    return this.seen.size;
  }

  has(signature: string): boolean {
    return this.seen.has(signature);
  }

  /** Records a signature; false when it was already there (a replay). */
  add(signature: string): boolean {
    if (this.seen.has(signature)) return false;
    this.seen.add(signature);
    if (this.seen.size > this.maxSize) {
      // A Set iterates in insertion order: drop the oldest tenth at once (amortized O(1) per add).
      let drop = Math.max(1, Math.floor(this.maxSize / 10));
      for (const old of this.seen) {
        if (drop-- === 0) break;
        this.seen.delete(old);
      }
    }
    return true;
  }
}

/**
 * Parses multipart frames into a message; throws WireError on bad framing or a bad signature, and,
 * with a `history`, on a signature already seen (a replayed message). Only verified signatures are
 * recorded, so forged messages cannot push real ones out of the history.
 */
export function decode(frames: Buffer[], signer: Signer, history?: DigestHistory): Message {
  const i = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (i < 0) throw new WireError("message without <IDS|MSG> delimiter");
  if (frames.length < i + 6) throw new WireError(`message with ${frames.length - i - 1} frames after the delimiter (need 5)`);
  const [sig, header, parent, metadata, content] = frames.slice(i + 1, i + 6);
  if (!signer.verify(sig.toString(), [header, parent, metadata, content])) {
    throw new WireError("invalid message signature");
  }
  const signature = sig.toString();
  if (history && signature !== "" && !history.add(signature)) {
    throw new WireError(`duplicate signature ${signature.slice(0, 16)}…: a replayed message (msg_id ${msgIdOf(header)}), dropped`);
  }
  try {
    return {
      identities: frames.slice(0, i),
      header: JSON.parse(header.toString()),
      parent_header: JSON.parse(parent.toString()),
      metadata: JSON.parse(metadata.toString()),
      content: JSON.parse(content.toString()),
      buffers: frames.slice(i + 6),
    };
  } catch (e) {
    throw new WireError(`malformed JSON in message: ${(e as Error).message}`);
  }
}

function msgIdOf(header: Buffer): string {
  try {
    return String(JSON.parse(header.toString()).msg_id);
  } catch {
    return "?";
  }
}

/** Serializes and signs a message into multipart frames. */
export function encode(msg: Message<unknown>, signer: Signer): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((x) => Buffer.from(JSON.stringify(x)));
  return [...msg.identities, Buffer.from(DELIMITER), Buffer.from(signer.sign(parts)), ...parts, ...msg.buffers];
}

export function newHeader(msgType: string, session: string, username = "sciforge"): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** Builds a message; with `parent`, a reply/broadcast in response to it (same identities for ROUTER replies). */
export function makeMessage<C>(
  msgType: string,
  content: C,
  session: string,
  parent?: Message<unknown>,
  metadata: Record<string, unknown> = {},
): Message<C> {
  return {
    identities: parent ? parent.identities : [],
    header: newHeader(msgType, session),
    parent_header: parent ? parent.header : {},
    metadata,
    content,
    buffers: [],
  };
}
