/**
 * Kernels on a real Jupyter server (Debian's jupyter_server on 127.0.0.1, token auth, the
 * kernelspec `sciforge kernel install --prefix` wrote) through @jupyterlab/services: REST to
 * start/interrupt/restart/shut down, channels over the WebSocket — and the failures: a wrong
 * token, nothing listening, a missing kernelspec, a dropped WebSocket (a real TCP proxy that is
 * cut), a server killed mid-cell and a kernel process killed on the server.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Message } from "../../../../kernel-helpers/protocol/messages";
import { KernelDiedError, KernelLostError } from "../../../../extension/jupyter/kernel-api";
import { probeServer, RemoteKernel, RemoteServerError, serverAddress, ServerAddressError } from "../../../../extension/jupyter/remote";
import { quietServicesConsole } from "../../../../extension/jupyter/remote/quiet-console";
import { freePort, hasJupyterServer, startJupyterServer, type JupyterServer } from "../../../helpers/jupyter-server";
import { startTcpProxy, type TcpProxy } from "../../../helpers/tcp-proxy";

const skip = hasJupyterServer() ? false : "Debian's python3-jupyter-server is needed (apt-get install python3-jupyter-server)";
quietServicesConsole();

async function run(k: RemoteKernel, code: string) {
  const outputs: Message[] = [];
  const r = await k.client.execute(code, { onOutput: (m) => outputs.push(m) });
  const of = (type: string) => outputs.filter((m) => m.header.msg_type === type).map((m) => m.content);
  return { ...r, outputs, of, text: of("stream").map((c) => c.text).join("") };
}

const value = async (k: RemoteKernel, code: string) => (await run(k, code)).of("execute_result")[0]?.data["text/plain"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("server URLs and tokens", () => {
  test("a pasted URL keeps its base path, loses its page and query; the token comes from flag, URL or environment", () => {
    const env = { SCIFORGE_SERVER_TOKEN: "from-env", JUPYTER_TOKEN: "jt" };
    assert.deepEqual(serverAddress("http://127.0.0.1:8888/lab?token=abc", undefined, env), { baseUrl: "http://127.0.0.1:8888/", token: "abc", label: "127.0.0.1:8888" });
    assert.deepEqual(serverAddress("https://hub.example.org/user/ana/", undefined, env), { baseUrl: "https://hub.example.org/user/ana/", token: "from-env", label: "hub.example.org/user/ana" });
    assert.equal(serverAddress("127.0.0.1:9999", "flag", env).baseUrl, "http://127.0.0.1:9999/");
    assert.equal(serverAddress("http://h:1/?token=url", "flag", env).token, "flag");
    assert.equal(serverAddress("http://h:1/", undefined, { JUPYTER_TOKEN: "jt" }).token, "jt");
    assert.equal(serverAddress("http://h:1/", undefined, {}).token, "");
    assert.throws(() => serverAddress("ftp://h/"), ServerAddressError);
    assert.throws(() => serverAddress("http://u:p@h/"), /give the token with --token/);
  });
});

describe("remote kernels on a real Jupyter server", { skip, timeout: 300_000 }, () => {
  let server: JupyterServer;
  let k: RemoteKernel;
  const notes: string[] = [];
  before(async () => {
    server = await startJupyterServer();
  });
  after(async () => {
    await k?.shutdown();
    await server?.stop();
  });

  test("a wrong token is a 403 naming the URL; nothing listening names the URL; a missing kernelspec says how to install it", { timeout: 90_000 }, async () => {
    await assert.rejects(probeServer(serverAddress(server.url, "not-the-token")), (e: unknown) => {
      assert.ok(e instanceof RemoteServerError);
      assert.equal(e.status, 403);
      assert.equal(e.message.startsWith(`the Jupyter server at ${server.url} answered 403 Forbidden: the token was rejected`), true, e.message);
      return true;
    });
    const port = await freePort();
    await assert.rejects(probeServer(serverAddress(`http://127.0.0.1:${port}/`, "t")), new RegExp(`cannot reach the Jupyter server at http://127\\.0\\.0\\.1:${port}/ .*ECONNREFUSED`));
    await assert.rejects(RemoteKernel.start(serverAddress(server.url, server.token), { name: "no-such-kernel" }), /has no kernelspec "no-such-kernel" \(it has: .*sciforge.*\); install it .*sciforge kernel install --prefix/);
  });

  test("starts the sciforge kernel on the server and runs typed cells with outputs in order", { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    k = await RemoteKernel.start(serverAddress(server.url, server.token), { onNote: (t) => notes.push(t) });
    const startS = (Date.now() - t0) / 1000;
    assert.match(k.location, /^remote 127\.0\.0\.1:\d+$/);
    assert.equal(k.pid, undefined);
    const info = await k.client.kernelInfo();
    assert.equal(info.implementation, "sciforge");
    const a = await run(k, "const kept: number = 41;\nconsole.log('hello from', 'the server');\nkept + 1");
    assert.equal(a.reply.status, "ok");
    assert.equal(a.text, "hello from the server\n");
    assert.deepEqual(a.of("execute_result")[0].data, { "text/plain": "42" });
    assert.equal(a.executionCount, 1);
    assert.deepEqual(a.outputs.map((m) => m.header.msg_type), ["execute_input", "stream", "execute_result"]);
    const bad = await run(k, "const s: string = kept;");
    assert.equal(bad.reply.status, "error");
    assert.match(bad.of("error")[0].evalue, /TS2322/);
    // a display updated in place by display id arrives as display_data then update_display_data
    const d = await run(k, 'import { display, html } from "sciforge";\nconst h = display(html("<p>0</p>"), { displayId: "d1" });\nfor (let i = 1; i <= 2; i++) h.update(html(`<p>${i}</p>`));');
    assert.deepEqual(d.outputs.map((m) => m.header.msg_type), ["execute_input", "display_data", "update_display_data", "update_display_data"]);
    const comp = await k.client.complete("kep", 3);
    assert.ok(comp.matches.includes("kept"));
    console.log(`# remote kernel start → kernel_info: ${startS.toFixed(2)} s`);
  });

  test("interrupt goes through REST (/api/kernels/ID/interrupt → SIGINT): a synchronous loop stops, state survives", { timeout: 90_000 }, async () => {
    const loop = run(k, "while (true) {}");
    await sleep(1000);
    // A SIGINT that lands while the kernel still compiles the cell is lost (see the README's known
    // limits), as with a local kernel: press interrupt again, like a person would.
    const t0 = Date.now();
    let presses = 0;
    let done = false;
    void loop.finally(() => (done = true));
    while (!done && presses < 8) {
      await k.interrupt();
      presses++;
      for (let i = 0; i < 20 && !done; i++) await sleep(100);
    }
    const r = await loop;
    assert.ok(Date.now() - t0 < 20_000);
    console.log(`# remote interrupt: loop stopped after ${presses} interrupt(s), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert.equal(r.reply.status, "error");
    assert.equal(r.of("error")[0].ename, "KeyboardInterrupt");
    assert.equal(await value(k, "kept"), "41");
  });

  test("a dropped WebSocket reconnects by itself: the running cell finishes with every output, the kernel keeps its variables", { timeout: 90_000 }, async () => {
    const proxy: TcpProxy = await startTcpProxy(server.port);
    const viaProxy = await RemoteKernel.start(serverAddress(`http://127.0.0.1:${proxy.port}/`, server.token), { onNote: (t) => notes.push(t) });
    try {
      await run(viaProxy, "let counter: number = 100;");
      const id = viaProxy.id;
      const running = run(viaProxy, "for (let i = 0; i < 20; i++) { console.log('step', i); counter++; await new Promise((r) => setTimeout(r, 100)); }\n'done'");
      await sleep(500);
      const before = proxy.accepted;
      proxy.hold(); // the network is down: new connections get no answer…
      proxy.cut(); // …and the open WebSocket breaks
      await sleep(2500);
      proxy.release();
      const r = await running;
      assert.equal(r.reply.status, "ok");
      assert.equal(r.of("execute_result")[0].data["text/plain"], "'done'");
      // every step, in order, though most were sent while the socket was down (the server buffers them)
      assert.equal(r.text, Array.from({ length: 20 }, (_, i) => `step ${i}\n`).join(""));
      assert.equal(viaProxy.id, id);
      assert.equal(await value(viaProxy, "counter"), "120");
      assert.ok(proxy.accepted > before, "the client opened new connections");
      assert.ok(notes.some((n) => /lost the connection to the kernel on http:\/\/127\.0\.0\.1:\d+\/; reconnecting/.test(n)), notes.join("\n"));
      assert.ok(notes.some((n) => /reconnected to the kernel on .* after \d+\.\d s/.test(n)), notes.join("\n"));
      assert.equal(viaProxy.client.dead, null);
      // a second drop while idle: the next cell just runs
      proxy.cut();
      await sleep(300);
      assert.equal(await value(viaProxy, "counter + 1"), "121");
    } finally {
      await viaProxy.shutdown();
      await proxy.close();
    }
  });

  test("a half-open drop (the server writes into a dead connection): Sciforge's kernel replays what was lost — the cell gets every output and its answer; the kernel goes on", { timeout: 90_000 }, async () => {
    const proxy: TcpProxy = await startTcpProxy(server.port);
    const viaProxy = await RemoteKernel.start(serverAddress(`http://127.0.0.1:${proxy.port}/`, server.token));
    const warnings: string[] = [];
    viaProxy.client.on("warning", (w: string) => warnings.push(w));
    try {
      await run(viaProxy, "let kept2: number = 5;");
      const running = run(viaProxy, "for (let i = 0; i < 10; i++) { console.log('half', i); await new Promise((r) => setTimeout(r, 100)); }\n'answer'");
      await sleep(300);
      proxy.hold();
      proxy.cut({ halfOpen: true }); // outputs and the answer (at ≥ 1 s) go into the old, dead connection
      await sleep(2500);
      proxy.release();
      const r = await running;
      assert.equal(r.reply.status, "ok");
      assert.equal(r.text, Array.from({ length: 10 }, (_, i) => `half ${i}\n`).join(""));
      assert.equal(r.of("execute_result")[0].data["text/plain"], "'answer'");
      assert.equal(await value(viaProxy, "kept2 * 2"), "10");
      assert.deepEqual(warnings, []);
    } finally {
      await viaProxy.shutdown();
      await proxy.close();
    }
  });

  test("a half-open drop with a kernel that cannot replay (ipykernel): the lost answer fails the cell with a message, not a hang; the kernel goes on", { timeout: 90_000 }, async () => {
    const proxy: TcpProxy = await startTcpProxy(server.port);
    const viaProxy = await RemoteKernel.start(serverAddress(`http://127.0.0.1:${proxy.port}/`, server.token), { name: "python3" });
    try {
      await run(viaProxy, "kept2 = 5");
      const running = run(viaProxy, "import time\ntime.sleep(1)\n'answer'");
      await sleep(300);
      proxy.hold();
      proxy.cut({ halfOpen: true }); // the answer (at 1 s) goes into the old, dead connection
      await sleep(2500);
      proxy.release();
      const t0 = Date.now();
      await assert.rejects(running, /the connection to the Jupyter server at http:\/\/127\.0\.0\.1:\d+\/ dropped and the kernel's answer to this cell was lost; the kernel is still running and keeps its state/);
      assert.ok(Date.now() - t0 < 30_000);
      assert.equal(await value(viaProxy, "kept2 * 2"), "10");
    } finally {
      await viaProxy.shutdown();
      await proxy.close();
    }
  });

  test("restart (REST) gives a fresh kernel under the same id", { timeout: 90_000 }, async () => {
    const id = k.id;
    await k.restart();
    assert.equal(k.id, id);
    const r = await run(k, "kept");
    assert.equal(r.reply.status, "error");
    assert.match(r.of("error")[0].evalue, /Cannot find name 'kept'/);
    assert.equal(await value(k, "1 + 1"), "2");
  });

  test("a kernel process killed on the server is reported dead (the server's restart loses its state)", { timeout: 90_000 }, async () => {
    await run(k, "const before = 1;");
    const pids = server.kernelPids();
    assert.ok(pids.length >= 1);
    const running = run(k, "await new Promise((r) => setTimeout(r, 60_000))");
    await sleep(300);
    for (const pid of pids) process.kill(pid, "SIGKILL");
    await assert.rejects(running, (e: unknown) => e instanceof KernelDiedError && !(e instanceof KernelLostError) && /died and the server started a new one/.test((e as Error).message));
    await assert.rejects(run(k, "1"), KernelDiedError);
    await k.shutdown();
  });

  test("the server killed mid-cell: the cell fails with KernelLostError naming the URL, outputs so far were delivered", { timeout: 90_000 }, async () => {
    k = await RemoteKernel.start(serverAddress(server.url, server.token), { refusedGraceMs: 2000 });
    const seen: string[] = [];
    const running = k.client.execute("for (let i = 0; i < 600; i++) { console.log('tick', i); await new Promise((r) => setTimeout(r, 100)); }", {
      onOutput: (m) => m.header.msg_type === "stream" && seen.push(m.content.text),
    });
    while (seen.length < 3) await sleep(50);
    const t0 = Date.now();
    await server.kill();
    await assert.rejects(running, (e: unknown) => {
      assert.ok(e instanceof KernelLostError, String(e));
      assert.match((e as Error).message, new RegExp(`the Jupyter server at ${server.url.replace(/\./g, "\\.")} is gone \\(connection refused for \\d+\\.\\d s\\)`));
      return true;
    });
    const s = (Date.now() - t0) / 1000;
    assert.ok(s < 15, `noticed after ${s} s`);
    assert.match(seen.join(""), /^tick 0\ntick 1\ntick 2\n/);
    assert.match(k.client.dead ?? "", /is gone/);
    await k.shutdown(); // no server: must not hang or throw
    console.log(`# server killed → cell failed after ${s.toFixed(1)} s`);
  });
});
