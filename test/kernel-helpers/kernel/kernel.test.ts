/**
 * The kernel through the real Jupyter protocol: a real kernel process, real ZeroMQ sockets,
 * signed messages — no mocks.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as zmq from "zeromq";
import type { LocalKernel } from "../../../extension/jupyter/launcher";
import { KernelDiedError } from "../../../extension/jupyter/client";
import { channelAddress } from "../../../kernel-helpers/protocol/messages";
import { encode, makeMessage, Signer } from "../../../kernel-helpers/protocol/wire";
import { run, startKernel } from "../../helpers/kernel";

describe("kernel: execution over the Jupyter protocol", () => {
  let k: LocalKernel;
  before(async () => {
    k = await startKernel();
  });
  after(async () => {
    await k?.shutdown();
  });

  test("kernel_info names the language and the protocol", async () => {
    const info = await k.client.kernelInfo();
    assert.equal(info.protocol_version, "5.3");
    assert.equal(info.implementation, "sciforge");
    const lang = info.language_info as { name: string; version: string; file_extension: string };
    assert.equal(lang.name, "typescript");
    assert.equal(lang.file_extension, ".ts");
    assert.match(lang.version, /^\d+\.\d+/);
  });

  test("typed declarations persist across cells and the last expression is an execute_result", async () => {
    const a = await run(k, "interface P { x: number }\nconst ps: P[] = [{ x: 3 }, { x: 4 }];");
    assert.equal(a.reply.status, "ok");
    assert.equal(a.of("execute_result").length, 0);
    const b = await run(k, "ps.map((p) => p.x * 2)");
    assert.equal(b.reply.status, "ok");
    const [res] = b.of("execute_result");
    assert.deepEqual(res.data, { "text/plain": "[ 6, 8 ]" });
    assert.equal(res.execution_count, b.executionCount);
    assert.equal(b.executionCount, a.executionCount! + 1);
    assert.deepEqual(b.of("execute_input")[0], { code: "ps.map((p) => p.x * 2)", execution_count: b.executionCount });
  });

  test("shorthand properties see earlier cells' variables (tslab's compiler alone misses them)", async () => {
    await run(k, "let seed = 7;\nconst name = 'n';");
    const r = await run(k, "const local = 1;\n({ seed, name, local })");
    assert.equal(r.of("execute_result")[0].data["text/plain"], "{ seed: 7, name: 'n', local: 1 }");
    const assign = await run(k, "let other = 0;\n({ seed, other } = { seed: 9, other: 2 });\n[seed, other]");
    assert.equal(assign.of("execute_result")[0].data["text/plain"], "[ 9, 2 ]");
  });

  test("top-level await", async () => {
    const r = await run(k, "const v = await new Promise<number>((r) => setTimeout(() => r(41), 20));\nv + 1");
    assert.equal(r.of("execute_result")[0].data["text/plain"], "42");
  });

  test("nested top-level await, e.g. await (await fetch(url)).json() (tslab's detection misses it)", async () => {
    const r = await run(k, 'const got = await (await Promise.resolve({ json: async () => ({ n: 2 }) })).json();\nfor await (const v of [Promise.resolve(1)]) got.n += v;\ngot.n');
    assert.equal(r.reply.status, "ok", JSON.stringify(r.of("error")));
    assert.equal(r.of("execute_result")[0].data["text/plain"], "3");
    const inner = await run(k, "const later = async () => (await Promise.resolve(5)) + 1;\nlater");
    assert.equal(inner.reply.status, "ok", "an await inside a function does not make the cell async");
  });

  test("stdout and stderr arrive as stream messages before idle", async () => {
    const r = await run(k, 'console.log("out", 1); console.error("err"); process.stdout.write("raw\\n");');
    const streams = r.of("stream");
    assert.equal(streams.filter((s) => s.name === "stdout").map((s) => s.text).join(""), "out 1\nraw\n");
    assert.equal(streams.filter((s) => s.name === "stderr").map((s) => s.text).join(""), "err\n");
  });

  test("a type error is a Jupyter error with the cell's line:column", async () => {
    const r = await run(k, "const ok = 1;\nconst bad: string = ok;");
    assert.equal(r.reply.status, "error");
    const [err] = r.of("error");
    assert.equal(err.ename, "TypeScriptError");
    assert.match(err.evalue, /^cell\[\d+\]:2:7 - TS2322: Type 'number' is not assignable to type 'string'\./);
    assert.ok(err.traceback.some((l: string) => l.includes("const bad: string = ok;")));
    assert.equal(r.reply.status === "error" && r.reply.ename, "TypeScriptError");
  });

  test("a thrown error keeps its name and message; the kernel goes on", async () => {
    const r = await run(k, 'function f(): never { throw new RangeError("out of range") }\nf()');
    const [err] = r.of("error");
    assert.equal(err.ename, "RangeError");
    assert.equal(err.evalue, "out of range");
    assert.ok(err.traceback.some((l: string) => /at f \(cell\[\d+\]/.test(l)), err.traceback.join("\n"));
    const again = await run(k, "ps.length");
    assert.equal(again.of("execute_result")[0].data["text/plain"], "2");
  });

  test("display() sends display_data with a display_id, update() sends update_display_data", async () => {
    const r = await run(
      k,
      'import { display, html, bundle } from "sciforge";\n' +
        'const h = display(html("<b>a</b>"));\n' +
        'display(bundle({ "application/vnd.custom+json": { n: 1 }, "text/plain": "n=1" }));\n' +
        'h.update(html("<b>b</b>"));',
    );
    assert.equal(r.reply.status, "ok");
    const shown = r.of("display_data");
    assert.equal(shown.length, 2);
    assert.equal(shown[0].data["text/html"], "<b>a</b>");
    assert.deepEqual(shown[1].data["application/vnd.custom+json"], { n: 1 });
    const [upd] = r.of("update_display_data");
    assert.equal(upd.transient.display_id, shown[0].transient.display_id);
    assert.equal(upd.data["text/html"], "<b>b</b>");
  });

  test("objects with the REPR protocol become rich execute_results", async () => {
    const r = await run(k, 'import { REPR } from "sciforge";\n({ [REPR]: () => ({ "text/html": "<i>rich</i>", "text/plain": "rich" }) })');
    assert.deepEqual(r.of("execute_result")[0].data, { "text/html": "<i>rich</i>", "text/plain": "rich" });
  });

  test("input() asks the front end over the stdin channel", async () => {
    const prompts: string[] = [];
    const r = await run(k, 'import { input } from "sciforge";\nconst name = await input("Name? ");\n"hello " + name', {
      onInput: async (p) => {
        prompts.push(p);
        return "Ada";
      },
    });
    assert.deepEqual(prompts, ["Name? "]);
    assert.equal(r.of("execute_result")[0].data["text/plain"], "'hello Ada'");
    const refused = await run(k, 'import { input } from "sciforge";\nawait input("x")');
    assert.match(refused.of("error")[0].evalue, /allow_stdin is false/);
  });

  test("completion on Math. and on the sciforge library; inspect gives a type", async () => {
    const math = await k.client.complete("Math.");
    assert.ok(math.matches.includes("sqrt") && math.matches.includes("PI"), math.matches.join(","));
    assert.equal(math.cursor_start, 5);
    const lib = await k.client.complete('import * as sf from "sciforge";\nsf.disp');
    assert.ok(lib.matches.includes("display"), lib.matches.join(","));
    const named = await k.client.complete('import { mimeBundleOf } from "sciforge";\nmimeBund');
    assert.ok(named.matches.includes("mimeBundleOf"));
    const info = await k.client.inspect("ps", 1);
    assert.equal(info.found, true);
    assert.match(info.data["text/plain"], /const ps: P\[\]/);
    const fn = await k.client.inspect('import { display } from "sciforge";\ndisplay', 40);
    assert.match(fn.data["text/plain"], /function display\(value: unknown, options\?: DisplayOptions\): DisplayHandle/);
  });

  test("is_complete tells an open block from a finished statement", async () => {
    assert.deepEqual(await k.client.isComplete("if (x) {"), { status: "incomplete", indent: "  " });
    assert.equal((await k.client.isComplete("const a = 1;")).status, "complete");
  });

  test("an error aborts execute requests already queued (stop_on_error), not later ones", async () => {
    const first = run(k, 'throw new Error("first fails")');
    const second = run(k, '"queued"');
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.reply.status, "error");
    assert.equal(b.reply.status, "aborted");
    const c = await run(k, '"later"');
    assert.equal(c.of("execute_result")[0].data["text/plain"], "'later'");
    const d = run(k, 'throw new Error("x")', { stopOnError: false });
    const e = run(k, '"runs anyway"');
    assert.equal((await d).reply.status, "error");
    assert.equal((await e).reply.status, "ok");
  });

  test("%time and unknown magics", async () => {
    const t = await run(k, "%time\nlet s = 0; for (let i = 0; i < 1000; i++) s += i;\ns");
    assert.match(t.text, /Wall time: \d/);
    assert.equal(t.of("execute_result")[0].data["text/plain"], "499500");
    const bad = await run(k, "%nonsense\n1");
    assert.equal(bad.of("error")[0].ename, "UsageError");
    assert.match(bad.of("error")[0].evalue, /unknown magic %nonsense on line 1/);
  });
});

describe("kernel: interrupt, restart, death", () => {
  let k: LocalKernel;
  before(async () => {
    k = await startKernel();
  });
  after(async () => {
    await k?.shutdown();
  });

  test("SIGINT stops a synchronous infinite loop and state survives", async () => {
    await run(k, "const kept = 7;");
    const loop = run(k, "while (true) {}");
    await new Promise((r) => setTimeout(r, 300));
    await k.interrupt();
    const r = await loop;
    assert.equal(r.reply.status, "error");
    assert.equal(r.of("error")[0].ename, "KeyboardInterrupt");
    assert.equal((await run(k, "kept")).of("execute_result")[0].data["text/plain"], "7");
  });

  test("an interrupt that lands while the cell still compiles stops it too (the loop never starts)", { timeout: 60_000 }, async () => {
    // The interrupt goes as soon as the kernel says the cell began (execute_input): the cell is
    // still being type-checked and compiled, where SIGINT cannot break anything yet.
    let sent: Promise<void> | undefined;
    const loop = run(k, "let spins = 0;\nwhile (true) { spins++; }", {
      onOutput: (m) => {
        if (m.header.msg_type === "execute_input") sent ??= k.interrupt();
      },
    });
    const r = await loop;
    await sent;
    assert.equal(r.reply.status, "error");
    assert.equal(r.of("error")[0].ename, "KeyboardInterrupt");
    assert.equal((await run(k, "kept")).of("execute_result")[0].data["text/plain"], "7");
  });

  test("a long await is interrupted too (signal and interrupt_request)", async () => {
    for (const how of ["signal", "message"] as const) {
      const waiting = run(k, "await new Promise((r) => setTimeout(r, 60_000)); 'never'");
      await new Promise((r) => setTimeout(r, 300));
      if (how === "signal") await k.interrupt();
      else await k.client.interruptByMessage();
      const t0 = Date.now();
      const r = await waiting;
      assert.ok(Date.now() - t0 < 5000);
      assert.equal(r.of("error")[0].ename, "KeyboardInterrupt", how);
    }
    assert.equal((await run(k, "kept + 1")).of("execute_result")[0].data["text/plain"], "8");
  });

  test("interruptRequested() lets long loops stop at a safe point", async () => {
    // Import first, so the loop cell's compile is quick even on a loaded machine.
    assert.equal((await run(k, 'import { interruptRequested } from "sciforge";\nlet steps = 0;')).reply.status, "ok");
    const loop = run(k, 'while (!interruptRequested()) { steps++; await new Promise((r) => setTimeout(r, 5)); }\n"stopped"');
    await new Promise((r) => setTimeout(r, 1500));
    await k.interrupt();
    const r = await loop;
    // cooperative code that stops within the grace period ends the cell normally
    assert.equal(r.reply.status, "ok");
    assert.equal(r.of("execute_result")[0].data["text/plain"], "'stopped'");
    const steps = Number((await run(k, "steps")).of("execute_result")[0].data["text/plain"]);
    assert.ok(steps > 5);
  });

  test("restart clears state", async () => {
    await k.restart();
    const r = await run(k, "kept");
    assert.equal(r.reply.status, "error");
    assert.match(r.of("error")[0].evalue, /Cannot find name 'kept'/);
  });

  test("a killed kernel is reported dead with a clear message, not a hang", async () => {
    const running = run(k, "await new Promise((r) => setTimeout(r, 60_000))");
    await new Promise((r) => setTimeout(r, 300));
    process.kill(k.pid!, "SIGKILL");
    await assert.rejects(running, (e: unknown) => e instanceof KernelDiedError && /was killed by SIGKILL/.test((e as Error).message));
    await assert.rejects(run(k, "1"), KernelDiedError);
  });
});

describe("kernel: message signatures", () => {
  let k: LocalKernel;
  before(async () => {
    k = await startKernel();
  });
  after(async () => {
    await k?.shutdown();
  });

  test("a request signed with the wrong key is dropped and logged; the kernel keeps serving", async () => {
    const sock = new zmq.Dealer({ linger: 0, receiveTimeout: 1500 });
    sock.connect(channelAddress(k.client.connection, "shell"));
    const forged = makeMessage("execute_request", { code: "globalThis.__forged = true; 1", silent: false }, "attacker");
    await sock.send(encode(forged, new Signer("not-the-key")));
    await assert.rejects(sock.receive(), /timed out|Socket timed out/i);
    sock.close();
    assert.match(k.stderr, /rejected shell message: invalid message signature/);
    const r = await run(k, "(globalThis as any).__forged === true");
    assert.equal(r.of("execute_result")[0].data["text/plain"], "false");
  });

  test("a replayed execute_request (same frames, right key) runs once; the copy is dropped and logged", async () => {
    const sock = new zmq.Dealer({ linger: 0, receiveTimeout: 3000 });
    sock.connect(channelAddress(k.client.connection, "shell"));
    try {
      const code = "(globalThis as any).__replayed = ((globalThis as any).__replayed ?? 0) + 1";
      const request = makeMessage("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, "captured");
      const frames = encode(request, new Signer(k.client.connection.key, k.client.connection.signature_scheme));
      await sock.send(frames);
      const reply = await sock.receive();
      const header = JSON.parse(reply[reply.findIndex((f) => f.toString() === "<IDS|MSG>") + 2].toString());
      assert.equal(header.msg_type, "execute_reply");
      await sock.send(frames); // the attacker's replay: byte for byte the same, validly signed
      await assert.rejects(sock.receive(), /timed out/i, "no reply to the replay");
    } finally {
      sock.close();
    }
    assert.match(k.stderr, /rejected shell message: duplicate signature [0-9a-f]{16}…: a replayed message \(msg_id [-0-9a-f]+\), dropped/);
    const r = await run(k, "(globalThis as any).__replayed");
    assert.equal(r.of("execute_result")[0].data["text/plain"], "1", "the cell ran once");
  });
});
