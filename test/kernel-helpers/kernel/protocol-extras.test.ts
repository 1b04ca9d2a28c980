/**
 * The parts of the Jupyter protocol beyond running cells, through the real kernel: inspect of an
 * unknown name, no Out for a cell ending in display(x), is_complete's three answers, comms both
 * ways (lib/display/comm.ts), and the input history across sessions (history.ts).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { sciforgeKernelSpec, KERNEL_NAME } from "../../../extension/jupyter/kernelspec";
import { LocalKernel } from "../../../extension/jupyter/launcher";
import type { Message } from "../../../kernel-helpers/protocol/messages";
import { run } from "../../helpers/kernel";
import { DIST, requireBuilt, tempDir } from "../../helpers/paths";

function start(dataDir: string): Promise<LocalKernel> {
  requireBuilt();
  return LocalKernel.start({ name: KERNEL_NAME, spec: sciforgeKernelSpec(DIST) }, { cwd: tempDir(), env: { SCIFORGE_DATA_DIR: dataDir } });
}

/** The next iopub message that `pred` accepts. */
function nextIopub(k: LocalKernel, pred: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      k.client.off("iopub", on);
      reject(new Error("no such iopub message"));
    }, timeoutMs);
    const on = (m: Message) => {
      if (!pred(m)) return;
      clearTimeout(timer);
      k.client.off("iopub", on);
      resolve(m);
    };
    k.client.on("iopub", on);
  });
}

describe("kernel: inspect, display handles, is_complete, comms", () => {
  let k: LocalKernel;
  before(async () => {
    k = await start(tempDir());
  });
  after(async () => {
    await k?.shutdown();
  });

  test("inspect: an unknown name is not found; a known one is", async () => {
    assert.equal((await k.client.inspect("noSuchNameAnywhere", 5)).found, false);
    const math = await k.client.inspect("Math", 2);
    assert.equal(math.found, true);
    assert.match(math.data["text/plain"], /Math/);
  });

  test("a cell ending in display(x) shows the display only, no Out with its handle; a bare handle still shows", async () => {
    const r = await run(k, 'import { display } from "sciforge";\nconst h = display("shown");\ndisplay("again")');
    assert.equal(r.of("display_data").length, 2);
    assert.deepEqual(r.of("execute_result"), []);
    const bare = await run(k, "h");
    assert.match(bare.of("execute_result")[0].data["text/plain"], /DisplayHandle/);
  });

  test("is_complete: complete, incomplete (open block, unterminated template literal) with an indent, invalid", async () => {
    assert.deepEqual(await k.client.isComplete("const a = `done`;"), { status: "complete" });
    assert.deepEqual(await k.client.isComplete("const a = `not yet"), { status: "incomplete", indent: "" });
    assert.deepEqual(await k.client.isComplete("for (const x of xs) {"), { status: "incomplete", indent: "  " });
    assert.deepEqual(await k.client.isComplete("const = 5;"), { status: "invalid" });
  });

  test("comms: the front end opens one to a target a cell registered, messages go both ways, it closes", async () => {
    const reg = await run(
      k,
      'import { registerCommTarget } from "sciforge";\n' +
        "let closedWith: unknown = null;\n" +
        'registerCommTarget("echo", (comm, open) => {\n' +
        "  comm.send({ opened: open.data });\n" +
        "  comm.onMessage((m) => comm.send({ echo: m.data }));\n" +
        "  comm.onClose((m) => { closedWith = m.data; });\n" +
        "});",
    );
    assert.equal(reg.reply.status, "ok", JSON.stringify(reg.of("error")));
    const commId = randomUUID();
    const opened = nextIopub(k, (m) => m.header.msg_type === "comm_msg" && m.content.comm_id === commId);
    await k.client.notify("comm_open", { comm_id: commId, target_name: "echo", data: { hi: 1 } });
    assert.deepEqual((await opened).content.data, { opened: { hi: 1 } });
    const info = await k.client.request("comm_info_request", { target_name: "echo" });
    assert.deepEqual(info.content.comms, { [commId]: { target_name: "echo" } });
    const echoed = nextIopub(k, (m) => m.header.msg_type === "comm_msg" && m.content.comm_id === commId);
    await k.client.notify("comm_msg", { comm_id: commId, data: { n: 2 } });
    assert.deepEqual((await echoed).content.data, { echo: { n: 2 } });
    await k.client.notify("comm_close", { comm_id: commId, data: { bye: true } });
    const after = await run(k, "closedWith");
    assert.equal(after.of("execute_result")[0].data["text/plain"], "{ bye: true }");
    assert.deepEqual((await k.client.request("comm_info_request", {})).content.comms, {});
  });

  test("comms: an unknown target is closed at once; the kernel opens comms and sends on them", async () => {
    const commId = randomUUID();
    const closed = nextIopub(k, (m) => m.header.msg_type === "comm_close" && m.content.comm_id === commId);
    await k.client.notify("comm_open", { comm_id: commId, target_name: "nobody-registered-this", data: {} });
    await closed;
    const outputs: Message[] = [];
    const r = await run(k, 'import { openComm } from "sciforge";\nconst c = openComm("frontend-target", { v: 1 });\nc.send({ step: 1 });\nc.close();');
    assert.equal(r.reply.status, "ok", JSON.stringify(r.of("error")));
    outputs.push(...r.outputs);
    const types = outputs.map((m) => m.header.msg_type).filter((t) => t.startsWith("comm_"));
    assert.deepEqual(types, ["comm_open", "comm_msg", "comm_close"]);
    assert.equal(r.of("comm_open")[0].target_name, "frontend-target");
    assert.deepEqual(r.of("comm_msg")[0].data, { step: 1 });
  });
});

describe("kernel: the input history is kept per user, across sessions", () => {
  const data = tempDir("sciforge-history-");

  test("tail, range (this and the previous session) and search with a glob, unique and n", async () => {
    const first = await start(data);
    await run(first, "const fromFirst = 6 * 7;");
    await run(first, "fromFirst");
    await first.shutdown();
    const k = await start(data);
    try {
      await run(k, "1 + 1");
      await run(k, "1 + 1");
      const tail = (await k.client.request("history_request", { hist_access_type: "tail", n: 4, raw: true, output: false })).content.history as [number, number, string][];
      assert.deepEqual(tail.map((h) => h[2]), ["const fromFirst = 6 * 7;", "fromFirst", "1 + 1", "1 + 1"]);
      const [s1, s2] = [tail[0][0], tail[3][0]];
      assert.ok(s2 > s1, "a new session number per kernel");
      const prev = (await k.client.request("history_request", { hist_access_type: "range", session: -1, start: 1, stop: null, raw: true, output: true })).content.history;
      assert.deepEqual(prev, [
        [s1, 1, ["const fromFirst = 6 * 7;", null]],
        [s1, 2, ["fromFirst", "42"]],
      ]);
      const current = (await k.client.request("history_request", { hist_access_type: "range", session: 0, start: 2, stop: 3, raw: true, output: false })).content.history;
      assert.deepEqual(current, [[s2, 2, "1 + 1"]]);
      const search = async (extra: Record<string, unknown>) =>
        (await k.client.request("history_request", { hist_access_type: "search", pattern: "1 ? 1", raw: true, output: false, ...extra })).content.history as unknown[];
      assert.equal((await search({})).length, 2);
      assert.equal((await search({ unique: true })).length, 1);
      assert.equal((await search({ n: 1 })).length, 1);
      assert.equal((await search({ pattern: "*First*" })).length, 2);
    } finally {
      await k.shutdown();
    }
  });
});
