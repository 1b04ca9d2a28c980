// The packaged extension: `vsce package` (with the production node_modules the kernel needs),
// installed by code-server (`--install-extension`), and its kernel runs from the installed copy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, DIST, tempDir } from "../helpers/paths";
import { ensureTools } from "./tools-loader";
import { OUT } from "./harness";
import { LocalKernel } from "../../extension/jupyter/launcher";
import { sciforgeKernelSpec } from "../../extension/jupyter/kernelspec";

const skip = process.env.SCIFORGE_SKIP_E2E === "1" ? "SCIFORGE_SKIP_E2E=1" : !existsSync(join(DIST, "extension.js")) ? "dist/ not built" : false;

test("the .vsix packages with its runtime dependencies, installs into code-server, and its kernel runs", { skip, timeout: 600_000 }, async () => {
  const tools = await ensureTools();
  mkdirSync(OUT, { recursive: true });
  const vsix = join(OUT, "sciforge.vsix");
  const t0 = Date.now();
  const pack = spawnSync(process.execPath, [join(ROOT, "node_modules", "@vscode", "vsce", "vsce"), "package", "--skip-license", "--allow-missing-repository", "--out", vsix], {
    cwd: ROOT,
    encoding: "utf8",
    input: "y\n",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(pack.status, 0, `${pack.stdout}\n${pack.stderr}`);
  const mb = statSync(vsix).size / 1024 / 1024;
  const packSeconds = (Date.now() - t0) / 1000;
  writeFileSync(join(OUT, "vsix-size.txt"), `${mb.toFixed(1)} MB, packaged in ${packSeconds.toFixed(0)} s\n`);
  console.log(`vsix: ${mb.toFixed(1)} MB (packaged in ${packSeconds.toFixed(0)} s)`);
  assert.ok(mb < 400, `vsix is ${mb.toFixed(1)} MB`);

  const base = tempDir("sciforge-vsix-");
  const ext = join(base, "extensions");
  const env = { ...process.env, XDG_CONFIG_HOME: join(base, "cfg"), XDG_DATA_HOME: join(base, "data"), HOME: join(base, "home") };
  const cs = (...args: string[]) => spawnSync(tools.node, [tools.codeServer, "--extensions-dir", ext, "--user-data-dir", join(base, "user"), ...args], { encoding: "utf8", env, maxBuffer: 16 * 1024 * 1024 });
  const install = cs("--install-extension", vsix);
  assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
  const list = cs("--list-extensions", "--show-versions");
  assert.match(list.stdout, /sciforge\.sciforge@0\.1\.0/, list.stdout + list.stderr);

  const installed = join(ext, "sciforge.sciforge-0.1.0");
  for (const p of ["package.json", "dist/extension.js", "dist/kernel.js", "dist/renderers/plotly.js", "dist/sciforge/index.d.ts", "syntaxes/sciforge-magics.tmLanguage.json", "extension/templates/metrics.ipynb", "media/icon.png", "node_modules/zeromq", "node_modules/tslab"]) {
    assert.ok(existsSync(join(installed, p)), `installed ${p}`);
  }
  for (const p of ["extension/host", "test", "kernel-helpers", ".tools", "node_modules/playwright-core", "node_modules/@vscode/vsce", "dist/extension.js.map"]) {
    assert.ok(!existsSync(join(installed, p)), `left out ${p}`);
  }

  // The kernel from the installed copy runs typed code and the sciforge library.
  const kernel = await LocalKernel.start({ name: "sciforge", spec: sciforgeKernelSpec(join(installed, "dist"), tools.node) }, { cwd: base });
  try {
    const texts: string[] = [];
    const r = await kernel.client.execute('import { classificationReport } from "sciforge";\nconst n: number = 2 + 3;\nconsole.log("sum", n, classificationReport(["a", "b"], ["a", "a"]).includes("precision"));', {
      onOutput: (m) => {
        const c = m.content as { text?: string; evalue?: string };
        if (c.text) texts.push(c.text);
        if (c.evalue) texts.push(c.evalue);
      },
    });
    assert.equal(r.reply.status, "ok", texts.join(""));
    assert.match(texts.join(""), /sum 5 true/);
  } finally {
    await kernel.shutdown();
  }
  console.log(`installed size: ${spawnSync("du", ["-sh", installed], { encoding: "utf8" }).stdout.trim()}`);
  rmSync(base, { recursive: true, force: true }); // ~0.5 GB installed
});
