// End-to-end: Restricted Mode. code-server with workspace trust on opens a folder nobody trusted;
// Sciforge loads (untrustedWorkspaces: "limited") but starts no kernel and says why.
// Screenshots: .test-output/e2e/untrusted-*.png. Set SCIFORGE_SKIP_E2E=1 to skip.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { OUT, command, kernelPids, openFile, outputText, pickKernelIfAsked, runAll, shot, shotOnFailure, startVsCode, waitForOutputText, waitForToast, type Session } from "./harness";
import { UNTRUSTED } from "./editor-notebooks";
import { DIST } from "../helpers/paths";

const skip = process.env.SCIFORGE_SKIP_E2E === "1" ? "SCIFORGE_SKIP_E2E=1" : !existsSync(join(DIST, "renderers", "plotly.js")) ? "dist/ not built (npm run build)" : false;

describe("VS Code extension in Restricted Mode (untrusted folder)", { skip, timeout: 300_000 }, () => {
  let s: Session;
  let page: Page;

  before(async () => {
    s = await startVsCode({ "untrusted.ipynb": UNTRUSTED }, { workspaceTrust: true });
    page = s.page;
  }, { timeout: 600_000 });

  after(async () => {
    if (page) await shot(page, "untrusted-99-last");
    await s?.close();
  });

  const step = <T>(name: string, f: () => Promise<T>): Promise<T> => shotOnFailure(page, `FAILED-untrusted-${name}`, f);

  it("no kernel starts: Run All asks for trust (declined), Train Model and Select Compute Backend refuse and say why", { timeout: 180_000 }, () =>
    step("refuse", async () => {
      await openFile(page, "untrusted.ipynb");
      await shot(page, "untrusted-01-open");
      await page.locator(".statusbar", { hasText: "Sciforge: restricted mode" }).waitFor({ timeout: 30_000 });

      // Run All: VS Code asks whether to trust the folder before any kernel runs; decline.
      await runAll(page, 4000);
      const dialog = page.locator(".monaco-dialog-box");
      await dialog.waitFor({ state: "visible", timeout: 15_000 });
      const dialogText = await dialog.innerText();
      await shot(page, "untrusted-02-trust-dialog");
      assert.match(dialogText, /trust/i);
      await dialog.locator(".monaco-button", { hasText: /^Cancel$/ }).first().click();
      await page.waitForTimeout(1500);

      assert.doesNotMatch(await outputText(page), /ran after the folder was trusted|tagged train/, "no cell ran");
      assert.deepEqual(kernelPids(s.server.pid!, s.extensionDir), [], "no kernel process after Run All was declined");

      // Train Model and Select Compute Backend refuse before anything starts, and say why.
      for (const [title, name] of [["Sciforge: Train Model", "train"], ["Sciforge: Select Compute Backend", "backend"]]) {
        await command(page, "Notifications: Clear All Notifications").catch(() => {});
        await command(page, title);
        const toast = await waitForToast(page, /Restricted Mode: Sciforge starts no kernel in an untrusted workspace/, 20_000);
        assert.match(toast, /Manage Workspace Trust/);
        assert.equal(await page.locator(".monaco-dialog-box").count(), 0, "no trust dialog: Sciforge refused by itself");
        await shot(page, `untrusted-03-${name}-refused`);
      }
      assert.deepEqual(kernelPids(s.server.pid!, s.extensionDir), [], "no kernel process was started");
      assert.match(readFileSync(join(OUT, "extension.log"), "utf8"), /workspace trusted: false/);
    }));

  it("once the folder is trusted the same notebook runs (no reload)", { timeout: 120_000 }, () =>
    step("trust", async () => {
      await command(page, "Notifications: Clear All Notifications").catch(() => {});
      await command(page, "Notebook: Run All");
      const dialog = page.locator(".monaco-dialog-box");
      await dialog.waitFor({ state: "visible", timeout: 15_000 });
      await dialog.locator(".monaco-button", { hasText: "Trust Folder & Continue" }).first().click();
      await pickKernelIfAsked(page, 4000);
      await waitForOutputText(page, /ran after the folder was trusted/, 60_000);
      await page.locator(".statusbar", { hasText: /Sciforge: (idle|busy) · / }).waitFor({ timeout: 30_000 });
      assert.equal(kernelPids(s.server.pid!, s.extensionDir).length, 1);
      await shot(page, "untrusted-05-trusted-runs");
    }));
});
