// End-to-end: the extension in a real VS Code (code-server + Chromium via playwright-core).
// Needs: Chromium (apt `chromium`), and the tools test/e2e/tools.mjs installs into .tools/.
// Screenshots: .test-output/e2e/*.png. Set SCIFORGE_SKIP_E2E=1 to skip.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { command, inFrames, interruptLongRun, revealBottom, startTicks, kernelPids, openFile, pickKernelIfAsked, runAll, shot, shotOnFailure, startVsCode, waitForOutputText, waitForToast, type Session } from "./harness";
import { DEMO, LONG, MODEL } from "./notebooks";
import { DIST } from "../helpers/paths";

const skip = process.env.SCIFORGE_SKIP_E2E === "1" ? "SCIFORGE_SKIP_E2E=1" : !existsSync(join(DIST, "renderers", "plotly.js")) ? "dist/ not built (npm run build)" : false;

describe("VS Code extension (code-server + Chromium)", { skip, timeout: 420_000 }, () => {
  let s: Session;
  let page: Page;

  before(async () => {
    s = await startVsCode({ "demo.ipynb": DEMO, "model.ipynb": MODEL, "long.ipynb": LONG });
    page = s.page;
    await shot(page, "00-workbench");
  }, { timeout: 600_000 });

  after(async () => {
    if (page) await shot(page, "99-last");
    await s?.close();
  });

  const step = <T>(name: string, f: () => Promise<T>): Promise<T> => shotOnFailure(page, `FAILED-${name}`, f);

  it("Run All: typed cells run, plotly figure, training monitor and metrics report render", { timeout: 180_000 }, () =>
    step("run-all", async () => {
      await openFile(page, "demo.ipynb");
      await shot(page, "01-demo-open");
      await runAll(page);
      await waitForOutputText(page, /typed answer 42/, 90_000);
      const plot = await inFrames(page, (f: Frame) => f.evaluate(() => document.querySelectorAll(".sciforge-plotly .main-svg").length > 0 && "plotly"), 60_000, "the plotly renderer's SVG");
      assert.equal(plot, "plotly");
      const training = await inFrames(
        page,
        (f: Frame) => f.evaluate(() => {
          const t = document.querySelector(".sciforge-training .title")?.textContent ?? "";
          return /done/.test(t) && document.querySelectorAll(".sciforge-training tr").length >= 4 ? t : "";
        }),
        60_000,
        "the training monitor showing 'done' with its epoch table",
      );
      assert.match(training, /Training done · 3\/3 epochs/);
      const status = await page.locator(".statusbar").innerText();
      assert.match(status, /Sciforge: (idle|busy) · /, "status bar shows the kernel state and backend");
      await page.waitForTimeout(1500);
      await shot(page, "02-demo-run-all");
    }));

  it("renderer XSS: an HTML-looking label is shown as text, nothing runs", { timeout: 90_000 }, () =>
    step("xss", async () => {
      await revealBottom(page);
      const r = await inFrames(
        page,
        (f: Frame) => f.evaluate(() => {
          const root = document.querySelector(".sciforge-metrics");
          if (!root && document.querySelector(".sciforge-metrics-report")) return { text: "WRONG RENDERER: text/html fallback was chosen", imgs: -1, xss: null };
          if (!root) return null;
          return {
            text: root.textContent ?? "",
            imgs: root.querySelectorAll("img").length,
            xss: (window as unknown as { __sciforgeXss?: number }).__sciforgeXss ?? null,
          };
        }),
        60_000,
        "the metrics report renderer",
      );
      assert.match(r.text, /<img src=x onerror="window\.__sciforgeXss=1">/);
      assert.equal(r.imgs, 0);
      assert.equal(r.xss, null);
      // and in no frame at all did the payload run
      for (const f of page.frames()) {
        const hit = await f.evaluate(() => (window as unknown as { __sciforgeXss?: number }).__sciforgeXss ?? null).catch(() => null);
        assert.equal(hit, null);
      }
      await page.mouse.move(700, 500);
      await page.mouse.wheel(0, 800);
      await page.waitForTimeout(1500);
      await shot(page, "03-xss-as-text");

      // Export to HTML writes demo.html beside the notebook, figures included
      await command(page, "Sciforge: Export Notebook to HTML");
      await waitForToast(page, /exported demo\.html/, 30_000);
      const html = readFileSync(join(s.workspace, "demo.html"), "utf8");
      assert.match(html, /typed answer 42/);
      assert.match(html, /Plotly\.newPlot/);

      // Select Compute Backend: quick pick → `%backend cpu` in the kernel → message and status bar
      await command(page, "Sciforge: Select Compute Backend");
      const input = page.locator(".quick-input-widget input");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "plain JavaScript" }).first().waitFor({ timeout: 15_000 });
      await input.fill("cpu");
      await page.waitForTimeout(300);
      await input.press("Enter");
      await waitForToast(page, /compute backend cpu/, 60_000);
      assert.match(await page.locator(".statusbar").innerText(), /Sciforge: idle · cpu/);
      await shot(page, "03b-backend-cpu");
    }));

  it("Sciforge: Train Model then Evaluate Model run the tagged cells", { timeout: 150_000 }, () =>
    step("train-evaluate", async () => {
      await openFile(page, "model.ipynb");
      await command(page, "Sciforge: Train Model");
      await pickKernelIfAsked(page, 4000);
      await waitForOutputText(page, /trained 4 epochs/, 90_000);
      await inFrames(page, (f: Frame) => f.evaluate(() => document.querySelectorAll(".sciforge-plotly .scatterlayer .trace").length >= 2), 30_000, "training curves (plotly traces)");
      await inFrames(page, (f: Frame) => f.evaluate(() => /Training done · 4\/4/.test(document.querySelector(".sciforge-training .title")?.textContent ?? "")), 30_000, "the training monitor done");
      const text = await waitForOutputText(page, /setup ran/, 10_000);
      assert.doesNotMatch(text, /must not run for Train Model/);
      await waitForToast(page, /training finished/, 30_000);
      await shot(page, "04-train-model");
      await command(page, "Sciforge: Evaluate Model");
      await waitForToast(page, /evaluation finished/, 60_000);
      await revealBottom(page);
      const report = await inFrames(
        page,
        (f: Frame) => f.evaluate(() => {
          const t = document.querySelector(".sciforge-metrics table.report");
          const cm = document.querySelector(".sciforge-metrics table.cm");
          const text = t && cm ? `${t.textContent}\n${cm.textContent}` : "";
          return /bird/.test(text) ? text : null; // this notebook's report, not demo.ipynb's (still open in a tab)
        }),
        60_000,
        "the classification report and confusion matrix",
      );
      assert.match(report, /precision/);
      assert.match(report, /bird/);
      assert.match(report, /macro avg/);
      await page.mouse.move(700, 500);
      await page.mouse.wheel(0, 800);
      await page.waitForTimeout(1500);
      await shot(page, "05-evaluate-model");

      // the training dashboard shows the last training payload
      await command(page, "Sciforge: Open Training Dashboard");
      // (drawn by the training renderer's own bundle: the same title as the cell's training monitor)
      const dash = await inFrames(page, (f: Frame) => f.evaluate(() => document.querySelector("#root .sciforge-training .title")?.textContent ?? ""), 30_000, "the training dashboard");
      assert.match(dash, /Training done · 4\/4 epochs/);
      await page.waitForTimeout(800);
      await shot(page, "05b-training-dashboard");
    }));

  it("interrupt stops a training cell; a killed kernel says so; restart brings it back", { timeout: 180_000 }, () =>
    step("interrupt-restart-kill", async () => {
      await openFile(page, "long.ipynb");
      await runAll(page);
      await interruptLongRun(page);
      await shot(page, "06-interrupted");

      // kill this notebook's kernel (the one started last) from outside: the extension must say it died
      const pids = kernelPids(s.server.pid!, s.extensionDir);
      assert.ok(pids.length >= 1, "kernel processes of this code-server");
      const pid = pids.sort((a, b) => startTicks(b) - startTicks(a))[0];
      process.kill(pid, "SIGKILL");
      const toast = await waitForToast(page, /kernel died/i, 30_000);
      assert.match(toast, /restart/i);
      await shot(page, "07-kernel-died");

      await page.locator(".notifications-toasts .monaco-button, .notifications-center .monaco-button", { hasText: "Restart Kernel" }).first().click();
      await waitForToast(page, /kernel restarted/, 60_000);
      const after = kernelPids(s.server.pid!, s.extensionDir);
      assert.equal(after.length, pids.length, "one new kernel instead of the killed one");
      assert.ok(!after.includes(pid), "the killed kernel is gone");
      await command(page, "Sciforge: Restart Kernel");
      await waitForToast(page, /kernel restarted/, 60_000);
      // the fresh kernel runs cells again
      await runAll(page);
      await waitForOutputText(page, /step 5\b/, 60_000);
      await command(page, "Sciforge: Interrupt Kernel");
      await waitForOutputText(page, /kernel alive, pid|KeyboardInterrupt/, 60_000);
      await shot(page, "08-restarted");
    }));
});
