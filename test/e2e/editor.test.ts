// End-to-end, one code-server session: the data-profile and image-grid renderers (theme, data as
// text), completions and hovers answered by the kernel, Edit Cell Tags from the cell toolbar,
// New Case Study, Install Kernel for Jupyter. Screenshots: .test-output/e2e/editor-*.png.
// Set SCIFORGE_SKIP_E2E=1 to skip.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { command, focusNotebook, inFrames, openFile, outputText, runAll, shot, shotOnFailure, startVsCode, waitForOutputText, waitForToast, type Session } from "./harness";
import { EDITOR, RENDERERS, XSS_GRID, XSS_PROFILE } from "./editor-notebooks";
import { CLI, DIST, PY } from "../helpers/paths";

const skip = process.env.SCIFORGE_SKIP_E2E === "1" ? "SCIFORGE_SKIP_E2E=1" : !existsSync(join(DIST, "renderers", "plotly.js")) ? "dist/ not built (npm run build)" : false;

/** What the renderers look like in one frame: colours resolved against the theme's CSS variables. */
interface RendererProbe {
  profiles: { rows: number; text: string; imgs: number; bars: number }[];
  grid: { figures: number; right: number; wrong: number; decoded: number; dataPngs: number; text: string } | null;
  theme: { fg: string; fgVar: string; bar: string; barVar: string; wrongBorder: string; wrongVar: string; rightBorder: string; rightVar: string };
  xss: number | null;
}

function probeRenderers(f: Frame): Promise<RendererProbe | null> {
  return f.evaluate(() => {
    const profiles = Array.from(document.querySelectorAll<HTMLElement>(".sciforge-profile"));
    const gridRoot = document.querySelector<HTMLElement>(".sciforge-grid");
    if (profiles.length < 2 || !gridRoot) return null;
    // CSS variables as the browser resolves them (rgb(...)), through a probe element. (No named
    // functions in here: tsx would wrap them in a __name helper the page does not have.)
    const vars: Record<string, string> = {};
    for (const name of ["--vscode-editor-foreground", "--vscode-charts-blue", "--vscode-testing-iconFailed", "--vscode-testing-iconPassed"]) {
      const probe = document.createElement("span");
      probe.style.color = `var(${name})`;
      document.body.appendChild(probe);
      vars[name] = getComputedStyle(probe).color;
      probe.remove();
    }
    const imgs = Array.from(gridRoot.querySelectorAll("img"));
    const wrong = gridRoot.querySelector("figure.wrong img");
    const right = gridRoot.querySelector("figure.right img");
    const bar = document.querySelector(".sciforge-profile .hist > span");
    return {
      profiles: profiles.map((p) => ({ rows: p.querySelectorAll("tr").length, text: p.textContent ?? "", imgs: p.querySelectorAll("img").length, bars: p.querySelectorAll(".hist > span").length })),
      grid: {
        figures: gridRoot.querySelectorAll("figure").length,
        right: gridRoot.querySelectorAll("figure.right").length,
        wrong: gridRoot.querySelectorAll("figure.wrong").length,
        decoded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length,
        dataPngs: imgs.filter((i) => i.getAttribute("src")?.startsWith("data:image/png;base64,")).length,
        text: gridRoot.textContent ?? "",
      },
      theme: {
        fg: getComputedStyle(profiles[0]).color,
        fgVar: vars["--vscode-editor-foreground"],
        bar: bar ? getComputedStyle(bar).backgroundColor : "",
        barVar: vars["--vscode-charts-blue"],
        wrongBorder: wrong ? getComputedStyle(wrong).borderTopColor : "",
        wrongVar: vars["--vscode-testing-iconFailed"],
        rightBorder: right ? getComputedStyle(right).borderTopColor : "",
        rightVar: vars["--vscode-testing-iconPassed"],
      },
      xss: (window as unknown as { __sciforgeXss?: number }).__sciforgeXss ?? null,
    };
  });
}

/** Relative luminance of an rgb()/rgba() colour (0 black … 1 white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe("VS Code editor features, renderers and commands (code-server + Chromium)", { skip, timeout: 600_000 }, () => {
  let s: Session;
  let page: Page;

  before(async () => {
    // Word-based suggestions off: a completion can only come from a language provider.
    s = await startVsCode({ "renderers.ipynb": RENDERERS, "editor.ipynb": EDITOR }, { settings: { "editor.wordBasedSuggestions": "off" } });
    page = s.page;
  }, { timeout: 600_000 });

  after(async () => {
    if (page) await shot(page, "editor-99-last");
    await s?.close();
  });

  const step = <T>(name: string, f: () => Promise<T>): Promise<T> => shotOnFailure(page, `FAILED-editor-${name}`, f);

  it("data profile and image grid render in the webview, follow the theme, and show data as text", { timeout: 180_000 }, () =>
    step("renderers", async () => {
      await openFile(page, "renderers.ipynb");
      await runAll(page);
      // outputs render when their cell comes into view: walk down the cells
      await command(page, "Collapse All Cell Inputs", 2).catch(() => {});
      await focusNotebook(page);
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press("ArrowDown");
        await page.waitForTimeout(i === 3 ? 0 : 1500);
      }
      await waitForOutputText(page, /grid right 10 of 12/, 90_000);
      const dark = await inFrames(page, probeRenderers, 30_000, "both data profiles and the image grid");
      await page.waitForTimeout(1000);
      await shot(page, "editor-01-renderers-dark");

      // credit_data.csv: 14 columns (+ header row), a histogram per numeric column
      const credit = dark.profiles.find((p) => /4454 rows × 14 columns/.test(p.text));
      assert.ok(credit, `profile of credit_data.csv: ${dark.profiles.map((p) => p.text.slice(0, 80)).join(" | ")}`);
      assert.equal(credit.rows, 15);
      assert.match(credit.text, /target Status: good 3200/);
      assert.ok(credit.bars >= 9 * 8, `histogram bars: ${credit.bars}`);
      // 12 Fashion-MNIST test images, decoded PNGs, right and wrong 1-NN predictions marked
      const grid = dark.grid!;
      assert.equal(grid.figures, 12);
      assert.equal(grid.decoded, 12);
      assert.equal(grid.dataPngs, 12);
      assert.equal(grid.right, 10);
      assert.equal(grid.wrong, 2);
      assert.match(grid.text, /Fashion-MNIST test, 1-NN · 12 images/);
      assert.match(grid.text, /pred Ankle boot/);
      // data that looks like HTML is text: no element made from it, nothing ran, in any frame
      const xssProfile = dark.profiles.find((p) => p.text.includes(XSS_PROFILE));
      assert.ok(xssProfile, "the HTML-looking column name is shown literally in the profile");
      assert.match(xssProfile.text, new RegExp(`target ${XSS_PROFILE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: owner 2107`));
      for (const p of dark.profiles) assert.equal(p.imgs, 0);
      assert.ok(grid.text.includes(`Trouser ${XSS_GRID}`), "the HTML-looking label is shown literally in the captions");
      assert.equal(dark.xss, null);
      for (const f of page.frames()) assert.equal(await f.evaluate(() => (window as unknown as { __sciforgeXss?: number }).__sciforgeXss ?? null).catch(() => null), null);
      // colours come from the theme
      const t = dark.theme;
      assert.equal(t.fg, t.fgVar);
      assert.equal(t.bar, t.barVar);
      assert.equal(t.wrongBorder, t.wrongVar);
      assert.equal(t.rightBorder, t.rightVar);
      assert.ok(luminance(t.fg) > 0.6, `dark theme: light text (${t.fg})`);

      // switch to the light theme: the same outputs recolour without re-running
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+K");
      await page.keyboard.press("Control+T"); // Preferences: Color Theme
      const themeInput = page.locator(".quick-input-widget input");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "Light Modern" }).first().waitFor({ timeout: 15_000 });
      await themeInput.fill("Light Modern");
      await page.waitForTimeout(300);
      await themeInput.press("Enter");
      const light = await inFrames(page, async (f) => {
        const p = await probeRenderers(f);
        return p && luminance(p.theme.fg) < 0.4 ? p : null;
      }, 30_000, "the renderers in the light theme");
      assert.equal(light.theme.fg, light.theme.fgVar);
      assert.equal(light.theme.bar, light.theme.barVar);
      assert.notEqual(light.theme.fg, t.fg);
      await page.waitForTimeout(1000);
      await shot(page, "editor-02-renderers-light");
    }));

  /** The code editor of the notebook cell at `index` (markdown cells count). */
  const cellEditor = (index: number) => page.locator(`.notebook-editor:visible .cell-list-container .monaco-list-row[data-index="${index}"] .monaco-editor`).first();
  const suggestions = () => page.locator(".editor-widget.suggest-widget.visible .monaco-list-row");

  async function waitForSuggestion(label: string): Promise<string[]> {
    const row = suggestions().filter({ hasText: label }).first();
    await row.waitFor({ state: "visible", timeout: 20_000 });
    return suggestions().allInnerTexts();
  }

  it("completions and hovers in a cell come from the kernel (a variable of an earlier cell, sciforge exports and docs)", { timeout: 150_000 }, () =>
    step("completion", async () => {
      await openFile(page, "editor.ipynb");
      await runAll(page);
      await waitForOutputText(page, /tagged cell ran, epochs 3/, 90_000);
      await waitForOutputText(page, /must not run for Train Model/, 30_000);

      // the empty cell (index 3): a member of an object defined in cell 1 — only the kernel knows it
      await cellEditor(3).click();
      await page.keyboard.type("sfConfig.");
      const members = await waitForSuggestion("learningRateXyz");
      assert.ok(members.some((m) => /epochsXyz/.test(m)), members.join(" | "));
      await shot(page, "editor-03-completion-variable");
      await page.keyboard.press("Escape");

      // a sciforge export, through the namespace imported in cell 1
      await page.keyboard.press("Control+A");
      await page.keyboard.type("sf.plotTrain");
      await page.keyboard.press("Control+Space");
      await waitForSuggestion("plotTrainingCurves");
      await shot(page, "editor-04-completion-sciforge");
      await page.keyboard.press("Escape");

      // hover: the type of the earlier cell's variable, then a sciforge function's documentation
      const hover = page.locator(".monaco-hover:not(.hidden)").first();
      const hoverAt = async (text: string, back: number, expect: RegExp) => {
        await cellEditor(3).click();
        await page.keyboard.press("Control+A");
        await page.keyboard.type(text);
        for (let i = 0; i < back; i++) await page.keyboard.press("ArrowLeft");
        await page.waitForTimeout(300);
        await page.keyboard.press("Control+K");
        await page.keyboard.press("Control+I");
        await page.locator(".monaco-hover:not(.hidden)", { hasText: expect }).first().waitFor({ state: "visible", timeout: 20_000 });
        return hover.innerText();
      };
      const typeHover = await hoverAt("sfConfig", 3, /learningRateXyz/);
      assert.match(typeHover, /sfConfig: \{\s*learningRateXyz: number;\s*epochsXyz: number;\s*\}/);
      await shot(page, "editor-05-hover-type");
      await page.keyboard.press("Escape");
      const docHover = await hoverAt("sf.plotTrainingCurves", 4, /Line charts/);
      assert.match(docHover, /function plotTrainingCurves\(history: sf\.TrainingHistory/);
      assert.match(docHover, /Line charts of a training history/);
      await shot(page, "editor-06-hover-doc");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
    }));

  it("Edit Cell Tags from the cell toolbar writes the tag; Train Model then runs that cell; saved in the file", { timeout: 150_000 }, () =>
    step("tags", async () => {
      // no cell is tagged yet: Train Model says so
      await command(page, "Sciforge: Train Model");
      await waitForToast(page, /no code cell is tagged "train"/, 20_000);

      // the tag button of cell index 2
      const row = page.locator('.notebook-editor:visible .cell-list-container .monaco-list-row[data-index="2"]');
      await cellEditor(2).click();
      await page.keyboard.press("Escape");
      const tagButton = row.locator('.cell-title-toolbar .action-label[aria-label="Edit Cell Tags"]').first();
      await tagButton.waitFor({ state: "visible", timeout: 15_000 });
      await shot(page, "editor-07-tag-button");
      await tagButton.click();
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ state: "visible", timeout: 15_000 });
      assert.match(await page.locator(".quick-input-widget").innerText(), /Tags of cell 3/);
      await input.fill("train");
      await input.press("Enter");
      await page.waitForTimeout(500);

      await command(page, "Notebook: Clear All Outputs");
      await page.waitForTimeout(1000);
      await command(page, "Notifications: Clear All Notifications").catch(() => {});
      await command(page, "Sciforge: Train Model");
      await waitForToast(page, /training finished \(2 cells\)/, 60_000);
      const text = await waitForOutputText(page, /tagged cell ran, epochs 3/, 30_000);
      assert.doesNotMatch(await outputText(page), /must not run for Train Model/);
      assert.match(text, /config ready/);
      await shot(page, "editor-08-train-by-tag");

      // saved: the tag is in the .ipynb
      await focusNotebook(page);
      await command(page, "File: Save");
      const file = join(s.workspace, "editor.ipynb");
      const deadline = Date.now() + 20_000;
      let cells: { metadata?: { tags?: string[] } }[] = [];
      while (Date.now() < deadline) {
        cells = (JSON.parse(readFileSync(file, "utf8")) as { cells: typeof cells }).cells;
        if (cells[2]?.metadata?.tags) break;
        await page.waitForTimeout(300);
      }
      assert.deepEqual(cells[2].metadata?.tags, ["train"]);
      assert.equal(cells[1].metadata?.tags, undefined);
    }));

  it("New Case Study creates a notebook from a template in the folder, and it runs with the controller", { timeout: 150_000 }, () =>
    step("new-case-study", async () => {
      await command(page, "Sciforge: New Case Study");
      const input = page.locator(".quick-input-widget input");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "Classification case study" }).first().waitFor({ timeout: 15_000 });
      await input.fill("Metrics walkthrough");
      await page.waitForTimeout(300);
      await input.press("Enter");
      const file = join(s.workspace, "metrics.ipynb");
      await page.locator(".tab", { hasText: "metrics.ipynb" }).first().waitFor({ timeout: 30_000 });
      assert.ok(existsSync(file), "metrics.ipynb written into the workspace folder");
      assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), JSON.parse(readFileSync(join(s.extensionDir, "extension", "templates", "metrics.ipynb"), "utf8")));
      await page.locator(".notebook-editor:visible").first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      await focusNotebook(page);
      await runAll(page);
      const report = await inFrames(
        page,
        (f: Frame) => f.evaluate(() => {
          const t = document.querySelector(".sciforge-metrics table.report")?.textContent ?? "";
          return /bird/.test(t) && /macro avg/.test(t) ? t : null;
        }),
        90_000,
        "the template's metrics report",
      );
      assert.match(report, /precision/);
      await waitForOutputText(page, /weighted avg/, 10_000);
      await page.waitForTimeout(1000);
      await shot(page, "editor-09-new-case-study");
    }));

  it("Install Kernel for Jupyter writes a kernelspec that Jupyter and `sciforge kernel list` find, and Jupyter runs it", { timeout: 120_000 }, () =>
    step("install-kernel", async () => {
      const userSpec = join(homedir(), ".local", "share", "jupyter", "kernels", "sciforge", "kernel.json");
      const before = existsSync(userSpec) ? statSync(userSpec).mtimeMs : null;
      await command(page, "Sciforge: Install Kernel for Jupyter");
      const dir = join(s.jupyterDataDir, "kernels", "sciforge");
      await waitForToast(page, new RegExp(`Jupyter kernel installed in ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`), 20_000);
      await shot(page, "editor-10-kernel-installed");
      const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as { argv: string[]; language: string };
      assert.equal(spec.language, "typescript");
      assert.equal(spec.argv[0], s.tools.node, "the Node that runs code-server's extension host");
      assert.ok(spec.argv.some((a) => a === join(s.extensionDir, "dist", "kernel.js")), spec.argv.join(" "));
      assert.equal(existsSync(userSpec) ? statSync(userSpec).mtimeMs : null, before, "the real user's Jupyter folder is untouched");

      const env = { ...process.env, JUPYTER_DATA_DIR: s.jupyterDataDir, HOME: join(s.jupyterDataDir, "..", "home") };
      const listed = spawnSync(PY, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { encoding: "utf8", env });
      assert.equal(listed.status, 0, listed.stderr);
      const specs = (JSON.parse(listed.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs;
      assert.equal(specs.sciforge?.resource_dir, dir);
      const ours = spawnSync(process.execPath, [CLI, "kernel", "list"], { encoding: "utf8", env });
      assert.equal(ours.status, 0, ours.stderr);
      assert.match(ours.stdout, new RegExp(`sciforge\\s.*${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      // and Jupyter's own client starts it by name and runs typed code
      const py = [
        "from jupyter_client.manager import start_new_kernel",
        "km, kc = start_new_kernel(kernel_name='sciforge', startup_timeout=60)",
        "out = []",
        "try:",
        "    kc.execute_interactive('const n: number = 40 + 2; console.log(\"jupyter ran\", n)', timeout=60, output_hook=lambda m: out.append(m['content'].get('text', '')))",
        "finally:",
        "    kc.stop_channels(); km.shutdown_kernel(now=True)",
        "print(''.join(out))",
      ].join("\n");
      const ran = spawnSync(PY, ["-c", py], { encoding: "utf8", env, timeout: 90_000 });
      assert.equal(ran.status, 0, ran.stderr);
      assert.match(ran.stdout, /jupyter ran 42/);
    }));
});
