/**
 * Drives a real VS Code (code-server + Chromium through playwright-core) with the extension
 * loaded from this checkout. Everything lives in a temp folder; screenshots go to
 * .test-output/e2e/. See /work/shared/notes/vscode-e2e.md for why code-server.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { ROOT, tempDir } from "../helpers/paths";
import { ensureTools, type E2eTools } from "./tools-loader";
import { freePort, pidsWhere, tailOutput, waitForHttp } from "../helpers/server-process";
import assert from "node:assert/strict";

export const OUT = join(ROOT, ".test-output", "e2e");
export const EXTENSION_ID = "sciforge.sciforge";


/** The extension as VS Code finds it in an extensions folder: a real folder, big parts linked. */
export function linkExtension(extensionsDir: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { publisher: string; name: string; version: string };
  const dir = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  mkdirSync(join(dir, "extension"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  for (const p of ["dist", "node_modules", "syntaxes", "media"]) symlinkSync(join(ROOT, p), join(dir, p));
  symlinkSync(join(ROOT, "extension", "templates"), join(dir, "extension", "templates"));
  return dir;
}

/** Installs a .vsix into `extensionsDir` with code-server's CLI; returns the installed folder. */
export function installVsix(tools: E2eTools, vsix: string, extensionsDir: string, userDataDir: string, base: string): string {
  const env = { ...process.env, XDG_CONFIG_HOME: join(base, "xdg-config"), XDG_DATA_HOME: join(base, "xdg-data"), HOME: join(base, "home") };
  const r = spawnSync(tools.node, [tools.codeServer, "--extensions-dir", extensionsDir, "--user-data-dir", userDataDir, "--install-extension", vsix], { encoding: "utf8", env, maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { publisher: string; name: string; version: string };
  const dir = readdirSync(extensionsDir).find((d) => d.startsWith(`${pkg.publisher}.${pkg.name}-${pkg.version}`));
  if (!dir) throw new Error(`the .vsix installed nothing into ${extensionsDir}: ${readdirSync(extensionsDir).join(", ")}`);
  return join(extensionsDir, dir);
}

export interface Session {
  tools: E2eTools;
  workspace: string;
  /** JUPYTER_DATA_DIR of code-server and its extension host (a temp folder). */
  jupyterDataDir: string;
  extensionDir: string;
  server: ChildProcess;
  serverLog: string[];
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Workspace trust on: the folder opens in restricted mode (not trusted). Default: trust off. */
  workspaceTrust?: boolean;
  /** More user settings (override the defaults below). */
  settings?: Record<string, unknown>;
  /** Install this .vsix (code-server --install-extension) instead of linking this checkout. */
  installVsix?: string;
}

export async function startVsCode(files: Record<string, unknown>, options: StartOptions = {}): Promise<Session> {
  const tools = await ensureTools();
  mkdirSync(OUT, { recursive: true });
  const base = tempDir("sciforge-e2e-");
  const workspace = join(base, "workspace");
  const userData = join(base, "user-data");
  const extensions = join(base, "extensions");
  for (const d of [workspace, join(userData, "User"), extensions, join(base, "xdg-config"), join(base, "xdg-data"), join(base, "home")]) mkdirSync(d, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(workspace, name), typeof content === "string" ? content : JSON.stringify(content, null, 1));
  const jupyterDataDir = join(base, "jupyter");
  writeFileSync(
    join(userData, "User", "settings.json"),
    JSON.stringify({
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.welcomePage.walkthroughs.openOnInstall": false,
      "security.workspace.trust.enabled": options.workspaceTrust === true,
      ...(options.workspaceTrust ? { "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.banner": "always" } : {}),
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "chat.disableAIFeatures": true,
      "workbench.colorTheme": "Default Dark Modern",
      "notebook.output.scrolling": false,
      "window.commandCenter": false,
      ...options.settings,
    }),
  );
  const extensionDir = options.installVsix ? installVsix(tools, options.installVsix, extensions, userData, base) : linkExtension(extensions);
  writeFileSync(join(OUT, "extension.log"), "");
  const port = await freePort();
  const server = spawn(
    tools.node,
    [tools.codeServer, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--user-data-dir", userData, "--extensions-dir", extensions, "--disable-telemetry", "--disable-update-check", ...(options.workspaceTrust ? [] : ["--disable-workspace-trust"]), "--disable-getting-started-override", workspace],
    {
      env: { ...process.env, XDG_CONFIG_HOME: join(base, "xdg-config"), XDG_DATA_HOME: join(base, "xdg-data"), HOME: join(base, "home"), JUPYTER_DATA_DIR: jupyterDataDir, SCIFORGE_LOG_FILE: join(OUT, "extension.log") },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const serverLog = tailOutput(server, 400);
  const url = `http://127.0.0.1:${port}/`;
  const up = await waitForHttp(url, server, { timeoutMs: 90_000, intervalMs: 500, accept: (status) => status === 302 || status === 200, init: { redirect: "manual" } });
  if (!up) {
    const why = server.exitCode !== null ? `code-server exited (${server.exitCode})` : `code-server did not answer on ${url}`;
    throw new Error(`${why}:\n${serverLog.join("")}`);
  }
  const browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
  const close = async () => {
    await browser.close().catch(() => {});
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    if (server.exitCode === null) server.kill("SIGKILL");
    rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  };
  return { tools, workspace, jupyterDataDir, extensionDir, server, serverLog, browser, page, close };
}

export async function shot(page: Page, name: string): Promise<string> {
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

/** Runs one step of a spec; when it fails, saves a screenshot named `shotName` before rethrowing. */
export async function shotOnFailure<T>(page: Page, shotName: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    await shot(page, shotName);
    throw e;
  }
}

/** Runs a palette command by its title ("Sciforge: Train Model"); retries while it is not offered yet. */
export async function command(page: Page, title: string, attempts = 4): Promise<void> {
  for (let i = 1; ; i++) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 15_000 });
    await input.fill(`>${title}`);
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
    try {
      await row.waitFor({ state: "visible", timeout: 5_000 });
    } catch (e) {
      if (i >= attempts) throw e;
      await page.keyboard.press("Escape");
      await focusNotebook(page);
      await page.waitForTimeout(1500);
      continue;
    }
    await page.waitForTimeout(200);
    await input.press("Enter");
    return;
  }
}

/** Puts the keyboard focus in the notebook editor (its first cell), so notebook commands apply. */
export async function focusNotebook(page: Page): Promise<void> {
  // the visible notebook editor's (other tabs keep theirs, hidden, in the DOM)
  const cell = page.locator(".notebook-editor:visible .cell-list-container .monaco-list-row:visible").first();
  await cell.click({ position: { x: 5, y: 5 }, timeout: 5_000 }).catch(() => {});
  await page.keyboard.press("Escape").catch(() => {});
}

/** Collapses cell inputs (outputs fit on screen) and scrolls to the last cell, so its outputs render. */
export async function revealBottom(page: Page): Promise<void> {
  await command(page, "Collapse All Cell Inputs", 2).catch(() => {});
  await page.waitForTimeout(500);
  await focusNotebook(page);
  await page.keyboard.press("End");
  await page.waitForTimeout(1500);
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 15_000 });
  await input.fill(name);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  await input.press("Enter");
  await page.locator(".notebook-editor:visible").first().waitFor({ state: "visible", timeout: 60_000 });
  await page.waitForTimeout(1500);
  await focusNotebook(page);
}

/** If VS Code asks which kernel to use, picks Sciforge's. */
export async function pickKernelIfAsked(page: Page, waitMs = 4000): Promise<boolean> {
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: "Sciforge TypeScript" }).first();
  try {
    await row.waitFor({ state: "visible", timeout: waitMs });
  } catch {
    return false;
  }
  await row.click();
  return true;
}

/** "Notebook: Run All" on the open notebook, picking Sciforge's kernel if VS Code asks for one. */
export async function runAll(page: Page, waitMs = 6000): Promise<void> {
  await command(page, "Notebook: Run All");
  await pickKernelIfAsked(page, waitMs);
}

/** Polls every frame (webviews are nested iframes) until `probe` returns a truthy value. */
export async function inFrames<T>(page: Page, probe: (frame: Frame) => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        const v = await probe(f);
        if (v) return v;
      } catch (e) {
        lastError = (e as Error).message;
      }
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.split("\n")[0]})` : ""}`);
}

/** Text of all notebook output webviews joined. */
export async function outputText(page: Page): Promise<string> {
  const parts: string[] = [];
  for (const f of page.frames()) {
    try {
      parts.push(await f.evaluate(() => (document.querySelector("#container") ? document.body.innerText : "")));
    } catch {
      // detached frame
    }
  }
  return parts.join("\n");
}

export async function waitForOutputText(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  return inFrames(page, async (f) => {
    const t = await f.evaluate(() => (document.querySelector("#container") ? document.body.innerText : ""));
    return pattern.test(t) ? t : null;
  }, timeoutMs, `output matching ${pattern}`);
}

/** Text of the notification toasts. */
export async function toasts(page: Page): Promise<string> {
  // Toasts, and the notification center when it is open (a toast can be hidden behind others).
  return (await page.locator(".notifications-toasts, .notifications-center").allInnerTexts().catch(() => [])).join("\n");
}

export async function waitForToast(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const t = await toasts(page);
    if (pattern.test(t)) return t;
    await page.waitForTimeout(300);
  }
  // VS Code can keep a notification out of the toasts (e.g. while others are shown): look in the center.
  await command(page, "Notifications: Show Notifications").catch(() => undefined);
  for (const end = Date.now() + 5_000; Date.now() < end; await page.waitForTimeout(300)) {
    const t = await toasts(page);
    if (pattern.test(t)) return t;
  }
  throw new Error(`no notification matching ${pattern} within ${timeoutMs} ms; toasts: ${await toasts(page)}`);
}

/** Kernel processes started by this code-server (found through /proc ancestry). */
export function kernelPids(serverPid: number, extensionDir: string): number[] {
  const ppid = (pid: number): number => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return 0;
    }
  };
  const descends = (pid: number) => {
    for (let p = pid, i = 0; p > 1 && i < 20; p = ppid(p), i++) if (p === serverPid) return true;
    return false;
  };
  return pidsWhere((cmd, pid) => cmd.includes(join(extensionDir, "dist", "kernel.js")) && descends(pid));
}

/** Start time of a process (clock ticks since boot), to find the kernel started last. */
export function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}

export function exists(p: string): boolean {
  return existsSync(p);
}

/**
 * With long.ipynb running: waits for its 10th step, runs "Sciforge: Interrupt Kernel" and checks
 * the loop stopped within 20 s, long before its 600 steps (by KeyboardInterrupt, or by seeing
 * interruptRequested()). Returns the output text that shows the stop.
 */
export async function interruptLongRun(page: Page): Promise<string> {
  await waitForOutputText(page, /step 10\b/, 90_000);
  await command(page, "Sciforge: Interrupt Kernel");
  const t0 = Date.now();
  const stopped = await waitForOutputText(page, /KeyboardInterrupt|finished \d+/, 20_000);
  assert.ok(Date.now() - t0 < 20_000);
  assert.doesNotMatch(stopped, /finished 600/);
  return stopped;
}
