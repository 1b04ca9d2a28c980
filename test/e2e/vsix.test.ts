// The linux-x64 .vsix (extension/package/vsix.mjs: `vsce package --target linux-x64`) installed
// by code-server (`--install-extension`): its kernel runs from the installed copy, and the demo
// notebook runs in the editor (typed cells, the plotly renderer drawing with the shipped
// plotly.min.js, the training monitor). Natives expand into the installed folder on first use.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Frame, Page } from "playwright-core";
import { DIST, ROOT, tempDir } from "../helpers/paths";
import { ensureTools } from "./tools-loader";
import { OUT, inFrames, openFile, runAll, shot, shotOnFailure, startVsCode, waitForOutputText, type Session } from "./harness";
import { DEMO } from "./notebooks";
import { LocalKernel } from "../../extension/jupyter/launcher";
import { sciforgeKernelSpec } from "../../extension/jupyter/kernelspec";

const skip = process.env.SCIFORGE_SKIP_E2E === "1" ? "SCIFORGE_SKIP_E2E=1" : !existsSync(join(DIST, "extension.js")) ? "dist/ not built" : false;

describe("the linux-x64 .vsix in code-server", { skip, timeout: 1_500_000 }, () => {
  let vsix = "";
  let base = "";
  let s: Session | undefined;
  let page: Page;

  before(
    async () => {
      mkdirSync(OUT, { recursive: true });
      base = tempDir("sciforge-vsix-");
      const mod = (await import(pathToFileURL(join(ROOT, "extension", "package", "vsix.mjs")).href)) as {
        packageTarget(root: string, target: string, o: { out: string; outDir: string }): Promise<{ vsix: string; bytes: number; seconds: number }>;
      };
      const r = await mod.packageTarget(ROOT, "linux-x64", { out: join(base, "sciforge-linux-x64.vsix"), outDir: join(base, "stage") });
      vsix = r.vsix;
      const mb = r.bytes / 1024 / 1024;
      writeFileSync(join(OUT, "vsix-size.txt"), `linux-x64: ${mb.toFixed(1)} MB, packaged in ${r.seconds.toFixed(0)} s\n`);
      console.log(`vsix linux-x64: ${mb.toFixed(1)} MB (packaged in ${r.seconds.toFixed(0)} s)`);
      assert.ok(mb <= 40, `vsix is ${mb.toFixed(1)} MB`);
    },
    { timeout: 1_200_000 },
  );

  after(async () => {
    if (s) await s.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("installs, and its kernel runs typed code and the sciforge library from the installed copy", { timeout: 300_000 }, async () => {
    const tools = await ensureTools();
    const ext = join(base, "extensions");
    const env = { ...process.env, XDG_CONFIG_HOME: join(base, "cfg"), XDG_DATA_HOME: join(base, "data"), HOME: join(base, "home") };
    const cs = (...args: string[]) => spawnSync(tools.node, [tools.codeServer, "--extensions-dir", ext, "--user-data-dir", join(base, "user"), ...args], { encoding: "utf8", env, maxBuffer: 16 * 1024 * 1024 });
    const install = cs("--install-extension", vsix);
    assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
    const list = cs("--list-extensions", "--show-versions");
    assert.match(list.stdout, /sciforge\.sciforge@0\.1\.0/, list.stdout + list.stderr);
    const installed = join(ext, readdirSync(ext).find((d) => d.startsWith("sciforge.sciforge-0.1.0"))!);
    for (const p of ["package.json", "dist/extension.js", "dist/kernel.js", "dist/renderers/plotly.js", "dist/renderers/plotly.min.js", "dist/sciforge/index.d.ts", "syntaxes/sciforge-magics.tmLanguage.json", "extension/templates/metrics.ipynb", "media/icon.png", "node_modules/zeromq", "node_modules/typescript"]) {
      assert.ok(existsSync(join(installed, p)), `installed ${p}`);
    }
    for (const p of ["extension/host", "test", "kernel-helpers", ".tools", "node_modules/playwright-core", "node_modules/@vscode/vsce", "node_modules/plotly.js-dist-min", "dist/extension.js.map"]) {
      assert.ok(!existsSync(join(installed, p)), `left out ${p}`);
    }
    // The kernel from the installed copy (Node 24, code-server's: node:sqlite) runs typed code and the library.
    const kernel = await LocalKernel.start({ name: "sciforge", spec: sciforgeKernelSpec(join(installed, "dist"), tools.node) }, { cwd: base });
    try {
      const texts: string[] = [];
      const r = await kernel.client.execute(
        'import { classificationReport, pl, startRun, sqliteEngine } from "sciforge";\nconst n: number = 2 + 3;\nconst run = startRun({ db: "runs.sqlite", experiment: "vsix", heartbeatMs: 0 });\nrun.finish({ n });\nconsole.log("sum", n, classificationReport(["a", "b"], ["a", "a"]).includes("precision"), pl.DataFrame({ a: [1, 2] }).height, sqliteEngine());',
        {
          onOutput: (m) => {
            const c = m.content as { text?: string; evalue?: string };
            if (c.text) texts.push(c.text);
            if (c.evalue) texts.push(c.evalue);
          },
        },
      );
      assert.equal(r.reply.status, "ok", texts.join(""));
      assert.match(texts.join(""), /sum 5 true 2 node:sqlite/);
    } finally {
      await kernel.shutdown();
    }
    // natives were expanded next to their .br on first load
    assert.ok(statSync(join(installed, "node_modules", "nodejs-polars-linux-x64-gnu", "nodejs-polars.linux-x64-gnu.node")).size > 50e6);
    console.log(`installed size: ${spawnSync("du", ["-sh", installed], { encoding: "utf8" }).stdout.trim()}`);
  });

  it("runs the demo notebook in the editor: typed cells, a plotly figure, the training monitor", { timeout: 600_000 }, async () => {
    s = await startVsCode({ "demo.ipynb": DEMO }, { installVsix: vsix });
    page = s.page;
    await shotOnFailure(page, "FAILED-vsix-demo", async () => {
      await openFile(page, "demo.ipynb");
      await runAll(page);
      await waitForOutputText(page, /typed answer 42/, 180_000);
      const plot = await inFrames(page, (f: Frame) => f.evaluate(() => document.querySelectorAll(".sciforge-plotly .main-svg").length > 0 && "plotly"), 90_000, "the plotly renderer's SVG");
      assert.equal(plot, "plotly");
      const training = await inFrames(page, (f: Frame) => f.evaluate(() => /done/.test(document.querySelector(".sciforge-training .title")?.textContent ?? "") && "done"), 90_000, "the training monitor showing 'done'");
      assert.equal(training, "done");
      await page.waitForTimeout(1000);
      await shot(page, "vsix-demo-run-all");
    });
  });
});
