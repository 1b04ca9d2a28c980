import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { decode, DigestHistory, encode, makeMessage, Signer, WireError } from "../../../kernel-helpers/protocol/wire";

test("messages are signed with HMAC-SHA256 over header, parent, metadata, content", () => {
  const signer = new Signer("secret");
  const msg = makeMessage("execute_request", { code: "1" }, "s1");
  const frames = encode(msg, signer);
  assert.equal(frames[0].toString(), "<IDS|MSG>");
  const expected = createHmac("sha256", "secret").update(frames[2]).update(frames[3]).update(frames[4]).update(frames[5]).digest("hex");
  assert.equal(frames[1].toString(), expected);
  const back = decode(frames, signer);
  assert.deepEqual(back.content, { code: "1" });
  assert.equal(back.header.msg_type, "execute_request");
  assert.equal(back.header.version, "5.3");
});

test("identities before the delimiter are kept for ROUTER replies", () => {
  const signer = new Signer("k");
  const frames = [Buffer.from("peer-1"), ...encode(makeMessage("kernel_info_request", {}, "s"), signer)];
  const msg = decode(frames, signer);
  assert.deepEqual(msg.identities.map(String), ["peer-1"]);
  const reply = makeMessage("kernel_info_reply", {}, "kernel", msg);
  assert.deepEqual(reply.identities.map(String), ["peer-1"]);
  assert.equal(reply.parent_header.msg_id, msg.header.msg_id);
});

test("a wrong key, a tampered content frame and missing frames are rejected", () => {
  const frames = encode(makeMessage("execute_request", { code: "1" }, "s"), new Signer("right"));
  assert.throws(() => decode(frames, new Signer("wrong")), WireError);
  const tampered = [...frames];
  tampered[5] = Buffer.from(JSON.stringify({ code: "process.exit()" }));
  assert.throws(() => decode(tampered, new Signer("right")), /invalid message signature/);
  assert.throws(() => decode(frames.slice(0, 4), new Signer("right")), /frames after the delimiter/);
  assert.throws(() => decode([Buffer.from("x")], new Signer("right")), /delimiter/);
});

test("an empty key means unsigned messages (as Jupyter allows)", () => {
  const s = new Signer("");
  const frames = encode(makeMessage("status", {}, "s"), s);
  assert.equal(frames[1].toString(), "");
  assert.equal(decode(frames, s).header.msg_type, "status");
  assert.throws(() => new Signer("k", "md5-plain"), /unsupported signature_scheme/);
});

test("with a digest history, a replayed message is refused; forged ones are not recorded; the history is bounded", () => {
  const signer = new Signer("k");
  const history = new DigestHistory(100);
  const frames = encode(makeMessage("execute_request", { code: "1" }, "s"), signer);
  assert.equal(decode(frames, signer, history).content.code, "1");
  assert.throws(() => decode(frames, signer, history), /duplicate signature [0-9a-f]{16}…: a replayed message \(msg_id [-0-9a-f]+\)/);
  assert.equal(decode(frames, signer).content.code, "1", "without a history nothing is remembered");
  // A forged message (wrong key) is refused for its signature and leaves no trace in the history.
  assert.throws(() => decode(encode(makeMessage("execute_request", {}, "s"), new Signer("x")), signer, history), /invalid message signature/);
  assert.equal(history.size, 1);
  // Unsigned sessions (empty key) have no signatures to compare.
  const open = new Signer("");
  const unsigned = encode(makeMessage("status", {}, "s"), open);
  decode(unsigned, open, history);
  decode(unsigned, open, history);
  for (let i = 0; i < 1000; i++) decode(encode(makeMessage("status", {}, "s"), signer), signer, history);
  assert.ok(history.size <= 100 && history.size >= 90, `history size ${history.size}`);
  // The most recent signatures are the ones kept.
  const last = encode(makeMessage("status", {}, "s"), signer);
  decode(last, signer, history);
  assert.ok(history.has(last[1].toString()));
  assert.ok(!history.has(frames[1].toString()), "the oldest are forgotten first");
});
