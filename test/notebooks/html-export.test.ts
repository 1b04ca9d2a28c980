/**
 * "Export to HTML" of every committed case study gives one self-contained file that opens
 * offline in headless Chromium with interactive plotly figures; a screenshot of each is saved
 * in .test-output/html-export/ and checked for real content.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import sharp from "sharp";
import { chromium, type Browser } from "playwright-core";
import { CLI, ROOT, requireBuilt, tempDir } from "../helpers/paths";
import type { Notebook } from "../../extension/notebook/nbformat";

const NOTEBOOKS = join(ROOT, "notebooks");
const OUT = join(ROOT, ".test-output", "html-export");
const CHROMIUM = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const PLOTLY = "application/vnd.plotly.v1+json";

function plotlyOutputs(nb: Notebook): number {
  let n = 0;
  for (const c of nb.cells) if (c.cell_type === "code") for (const o of c.outputs) if ("data" in o && o.data && PLOTLY in o.data) n++;
  return n;
}

function firstHeading(nb: Notebook): string {
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const m = /^#\s+(.+)$/m.exec(Array.isArray(c.source) ? c.source.join("") : c.source);
    if (m) return m[1].trim();
  }
  throw new Error("no # heading");
}

describe("HTML export of each case study", () => {
  let browser: Browser;
  const dir = tempDir("sciforge-html-");
  before(async () => {
    requireBuilt();
    if (!CHROMIUM) throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  after(async () => {
    await browser?.close();
  });

  const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb"));
  test("there are committed case studies", () => assert.ok(files.length >= 1));

  for (const file of files) {
    test(`${file}: one offline file, figures drawn and interactive, screenshot has content`, async () => {
      const nb = JSON.parse(readFileSync(join(NOTEBOOKS, file), "utf8")) as Notebook;
      const html = join(dir, file.replace(/\.ipynb$/, ".html"));
      const r = spawnSync(process.execPath, [CLI, "export", join(NOTEBOOKS, file), "--html", html], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const text = readFileSync(html, "utf8");
      // Self-contained: no element loads anything from elsewhere.
      assert.doesNotMatch(text, /<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);

      const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        requests.push(url);
        return route.abort();
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
      const figures = plotlyOutputs(nb);
      assert.ok(figures >= 1, `${file} has plotly figures`);
      await page.waitForFunction((n) => document.querySelectorAll(".plot .main-svg").length >= n, figures, { timeout: 30_000 });
      const state = await page.evaluate(() => ({
        h1: document.querySelector("h1")?.textContent ?? "",
        plots: document.querySelectorAll(".plot").length,
        laidOut: Array.from(document.querySelectorAll<HTMLElement & { _fullLayout?: unknown }>(".plot")).filter((d) => d._fullLayout).length,
        dragLayers: document.querySelectorAll(".plot .nsewdrag").length,
        traces: document.querySelectorAll(".plot .trace, .plot .hm").length,
      }));
      assert.equal(state.h1, firstHeading(nb));
      assert.equal(state.plots, figures);
      assert.equal(state.laidOut, figures, "every figure was laid out by plotly.js");
      assert.ok(state.dragLayers >= 1, "figures have plotly's interaction layer (zoom/pan/hover)");
      assert.ok(state.traces >= figures, `traces drawn: ${state.traces}`);
      // Hovering a point of the first figure shows plotly's tooltip: the figures are live, not pictures.
      const hover = await page.evaluate(() => {
        const gd = document.querySelector(".plot") as HTMLElement;
        (window as unknown as { Plotly: { Fx: { hover(gd: HTMLElement, pts: unknown[]): void } } }).Plotly.Fx.hover(gd, [{ curveNumber: 0, pointNumber: 0 }]);
        return gd.querySelectorAll(".hoverlayer .hovertext").length;
      });
      assert.ok(hover >= 1, "hover tooltip shown");
      assert.deepEqual(requests, [], "no network requests");
      assert.deepEqual(errors, [], "no errors in the page");
      const shotFile = join(OUT, file.replace(/\.ipynb$/, ".png"));
      await page.screenshot({ path: shotFile, fullPage: false });
      const { data, info } = await sharp(shotFile).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let ink = 0;
      for (let i = 0; i < data.length; i += 3) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
      const share = ink / (info.width * info.height);
      assert.ok(share > 0.01 && share < 0.9, `screenshot ink ${share.toFixed(3)} of the page`);
      // Scroll to the first figure and check it is drawn in colour in a second screenshot.
      await page.locator(".plot").first().scrollIntoViewIfNeeded();
      const fig = await page.locator(".plot").first().screenshot();
      const px = await sharp(fig).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let coloured = 0;
      for (let i = 0; i < px.data.length; i += 3) {
        const [a, b, c] = [px.data[i], px.data[i + 1], px.data[i + 2]];
        if (Math.max(a, b, c) - Math.min(a, b, c) > 50) coloured++;
      }
      assert.ok(coloured > 200, `first figure has coloured pixels: ${coloured}`);
      await context.close();
    });
  }
});
