// End-to-end: "Sciforge: Connect to Jupyter Server…" in a real VS Code (code-server + Chromium),
// cells run on a real Jupyter server (Debian's jupyter_server on 127.0.0.1, token auth, the
// kernelspec from `sciforge kernel install --prefix`), the status bar says where, interrupt goes
// through the server, and "Use Local Kernel" goes back. Screenshots: .test-output/e2e/remote-*.png.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { command, interruptLongRun, openFile, runAll, shot, shotOnFailure, startVsCode, waitForOutputText, waitForToast, type Session } from "./harness";
import { LONG, notebook } from "./notebooks";
import { DIST } from "../helpers/paths";
import { hasJupyterServer, startJupyterServer, type JupyterServer } from "../helpers/jupyter-server";

const skip =
  process.env.SCIFORGE_SKIP_E2E === "1"
    ? "SCIFORGE_SKIP_E2E=1"
    : !existsSync(join(DIST, "extension.js"))
      ? "dist/ not built (npm run build)"
      : !hasJupyterServer()
        ? "Debian's python3-jupyter-server is needed"
        : false;

const WHERE = notebook([
  { cell_type: "markdown", source: "# Where does this run?" },
  { cell_type: "code", source: 'const answer: number = 6 * 7;\nconsole.log("cwd", process.cwd(), "parent", process.env.JPY_PARENT_PID ?? "none", "answer", answer);' },
  { cell_type: "code", source: "console.log('next', answer + 1);" },
]);

describe("VS Code on a remote Jupyter server (code-server + Chromium + jupyter_server)", { skip, timeout: 600_000 }, () => {
  let server: JupyterServer;
  let s: Session;
  let page: Page;
  const label = () => `127.0.0.1:${server.port}`;
  const kernelsOnServer = async () => (await (await fetch(`${server.url}api/kernels`, { headers: { Authorization: `token ${server.token}` } })).json()) as { id: string; name: string }[];

  before(async () => {
    server = await startJupyterServer();
    s = await startVsCode({ "where.ipynb": WHERE, "long.ipynb": LONG });
    page = s.page;
  }, { timeout: 600_000 });

  after(async () => {
    if (page) await shot(page, "remote-99-last");
    await s?.close();
    await server?.stop();
  });

  const step = <T>(name: string, f: () => Promise<T>): Promise<T> => shotOnFailure(page, `remote-FAILED-${name}`, f);

  async function answerInput(title: RegExp, value: string) {
    await page.locator(".quick-input-widget .quick-input-title", { hasText: title }).waitFor({ state: "visible", timeout: 15_000 });
    const input = page.locator(".quick-input-widget input").first();
    await input.fill(value);
    await page.waitForTimeout(200);
    await input.press("Enter");
  }

  it("a wrong token is refused with a 403 message naming the server; nothing changes", { timeout: 120_000 }, () =>
    step("wrong-token", async () => {
      await openFile(page, "where.ipynb");
      await command(page, "Sciforge: Connect to Jupyter Server…");
      await answerInput(/1\/2/, server.url);
      await answerInput(/2\/2/, "not-the-token");
      const toast = await waitForToast(page, /403 Forbidden: the token was rejected/, 30_000);
      assert.ok(toast.includes(server.url), toast);
      assert.doesNotMatch(await page.locator(".statusbar").innerText(), /remote 127\.0\.0\.1/);
      await shot(page, "remote-01-wrong-token");
      await page.keyboard.press("Escape");
    }));

  it("Connect to Jupyter Server…: URL and token, then cells run on the server's sciforge kernel and the status bar says where", { timeout: 240_000 }, () =>
    step("connect-run", async () => {
      await command(page, "Sciforge: Connect to Jupyter Server…");
      await answerInput(/1\/2/, server.url);
      await answerInput(/2\/2/, server.token);
      await waitForToast(page, new RegExp(`cells now run on the Jupyter server ${label().replace(/\./g, "\\.")}`), 30_000);
      assert.match(await page.locator(".statusbar").innerText(), new RegExp(`Sciforge: not started · auto · remote ${label().replace(/\./g, "\\.")}`));
      const t0 = Date.now();
      await runAll(page);
      const text = await waitForOutputText(page, /next 43/, 120_000);
      const seconds = (Date.now() - t0) / 1000;
      // the kernel's folder is the server's root and its parent the server process: it runs there
      assert.match(text, new RegExp(`cwd ${server.root.replace(/[.]/g, "\\.")} parent ${server.process.pid} answer 42`));
      const kernels = await kernelsOnServer();
      assert.equal(kernels.length, 1);
      assert.equal(kernels[0].name, "sciforge");
      assert.match(await page.locator(".statusbar").innerText(), new RegExp(`Sciforge: (idle|busy) · auto · remote ${label().replace(/\./g, "\\.")}`));
      const settings = readFileSync(join(s.workspace, "..", "user-data", "User", "settings.json"), "utf8");
      assert.ok(!settings.includes(server.token), "the token is not in the settings");
      await page.waitForTimeout(800);
      await shot(page, "remote-02-run-on-server");
      console.log(`# VS Code Run All on the server (kernel start included): ${seconds.toFixed(1)} s`);
    }));

  it("interrupt stops a cell on the server (REST /interrupt), the kernel keeps running", { timeout: 180_000 }, () =>
    step("interrupt", async () => {
      await openFile(page, "long.ipynb");
      await runAll(page);
      await interruptLongRun(page);
      // a cooperative stop (interruptRequested()) ends the cell normally, so Run All goes on to the next cell
      const alive = await waitForOutputText(page, /kernel alive, pid \d+/, 30_000);
      const pid = Number(/kernel alive, pid (\d+)/.exec(alive)![1]);
      assert.ok(server.kernelPids().includes(pid), `pid ${pid} is a kernel the server started (${server.kernelPids()})`);
      const kernels = await kernelsOnServer();
      assert.equal(kernels.length, 2, "one kernel per notebook, both on the server");
      await shot(page, "remote-03-interrupted");
    }));

  it("Use Local Kernel: the server's kernels are shut down and cells run on this machine again", { timeout: 180_000 }, () =>
    step("disconnect", async () => {
      await command(page, "Sciforge: Use Local Kernel");
      const stop = page.locator(".monaco-dialog-box .monaco-button", { hasText: "Stop and switch" });
      await stop.waitFor({ state: "visible", timeout: 15_000 });
      await shot(page, "remote-04-confirm-switch");
      await stop.click();
      await waitForToast(page, /cells now run on a local kernel/, 30_000);
      const deadline = Date.now() + 20_000;
      while ((await kernelsOnServer()).length > 0 && Date.now() < deadline) await page.waitForTimeout(300);
      assert.deepEqual(await kernelsOnServer(), [], "the server's kernels were shut down");
      assert.doesNotMatch(await page.locator(".statusbar").innerText(), /remote 127\.0\.0\.1/);
      await openFile(page, "where.ipynb");
      await runAll(page);
      // a local kernel's parent is this VS Code's extension host (it watches JPY_PARENT_PID), not the server
      // (not the remote run's output, which stays shown until the cell runs again)
      const text = await waitForOutputText(page, new RegExp(`parent (?!${server.process.pid} )\\d+ answer 42`), 120_000);
      const m = new RegExp(`cwd ${s.workspace.replace(/[.]/g, "\\.")} parent (\\d+) answer 42`).exec(text);
      assert.ok(m, text);
      assert.notEqual(Number(m[1]), server.process.pid, "the kernel runs on this machine, not under the server");
      await page.waitForTimeout(800);
      await shot(page, "remote-05-local-again");
    }));
});
