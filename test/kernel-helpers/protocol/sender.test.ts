/**
 * SerialSender: never two sends at once on one socket. ZeroMQ refuses a send while another is
 * pending ("Socket is busy writing") — on a PUB socket too, whose send can wait for the socket to
 * be writable — and the refused message was lost: a kernel's `idle` went missing after a few
 * hundred cells and its client waited forever (bench:kernel "hung").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SerialSender } from "../../../kernel-helpers/protocol/sender";

/**
 * A socket like zmq.js 6's: a send that cannot complete at once stays pending, and a second one
 * meanwhile throws EBUSY synchronously — also when zmq.js delays a send only to let the event loop
 * breathe (one in 512), with the socket still writable.
 */
class FakeSocket {
  closed = false;
  pending: (() => void) | null = null;
  sent: string[] = [];
  refused = 0;
  wouldWait = false;
  send(frames: Buffer[]): Promise<void> {
    if (this.pending) {
      this.refused++;
      throw Object.assign(new Error("Socket is busy writing; only one send operation may be in progress at any time"), { code: "EBUSY" });
    }
    if (!this.wouldWait) {
      this.sent.push(frames[0].toString());
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.pending = () => {
        this.pending = null;
        this.sent.push(frames[0].toString());
        resolve();
      };
    });
  }
}

test("a send that has to wait holds back the ones after it; none is lost, order kept", async () => {
  const sock = new FakeSocket();
  const s = new SerialSender(sock);
  void s.send([Buffer.from("busy")]);
  await s.flush();
  sock.wouldWait = true;
  const waiting = s.send([Buffer.from("execute_input")]);
  sock.wouldWait = false;
  const all = [waiting, ...["execute_result", "stream", "idle"].map((m) => s.send([Buffer.from(m)]))];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sock.sent, ["busy"], "nothing overtakes the waiting send");
  sock.pending!();
  await Promise.all(all);
  await s.flush();
  assert.deepEqual(sock.sent, ["busy", "execute_input", "execute_result", "stream", "idle"]);
  assert.equal(s.lastError, null);
});

test("a thousand sends in one go (zmq.js delays some to let the event loop run): all arrive, in order", async () => {
  const sock = new FakeSocket();
  const s = new SerialSender(sock);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 1000; i++) {
    sock.wouldWait = i % 512 === 511;
    sends.push(s.send([Buffer.from(String(i))]));
    sock.wouldWait = false;
    if (sock.pending && i % 3 === 0) setImmediate(() => sock.pending?.());
  }
  while (sock.pending || sock.sent.length < 1000) {
    sock.pending?.();
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(sends);
  assert.deepEqual(sock.sent, Array.from({ length: 1000 }, (_, i) => String(i)));
  assert.equal(s.lastError, null);
});

test("with nothing in flight, messages are handed to ZeroMQ at once (before the caller can block)", () => {
  const sock = new FakeSocket();
  const s = new SerialSender(sock);
  void s.send([Buffer.from("first")]);
  void s.send([Buffer.from("second")]);
  assert.deepEqual(sock.sent, ["first", "second"], "synchronously, one after the other");
});
