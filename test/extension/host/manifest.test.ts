import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { ROOT } from "../../helpers/paths";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const c = pkg.contributes;

test("every command is in the Sciforge category and registered by the extension", () => {
  const src = readFileSync(join(ROOT, "extension", "host", "commands", "index.ts"), "utf8");
  for (const cmd of c.commands) {
    assert.equal(cmd.category, "Sciforge");
    assert.ok(src.includes(`"${cmd.command}"`), `${cmd.command} registered`);
  }
  const ids = c.commands.map((x: { command: string }) => x.command);
  for (const want of ["newCaseStudy", "trainModel", "evaluateModel", "selectBackend", "restartKernel", "interruptKernel", "installKernel", "exportHtml", "openDashboard", "editCellTags"]) assert.ok(ids.includes(`sciforge.${want}`));
});

test("each renderer source has a notebookRenderer entry for the MIME types the kernel sends", () => {
  const sources = readdirSync(join(ROOT, "extension", "renderers")).filter((f) => f.endsWith(".renderer.ts")).map((f) => f.replace(".renderer.ts", ""));
  const entries = c.notebookRenderer.map((r: { entrypoint: string }) => r.entrypoint.replace("./dist/renderers/", "").replace(".js", ""));
  assert.deepEqual([...sources].sort(), [...entries].sort());
  const mimes = c.notebookRenderer.flatMap((r: { mimeTypes: string[] }) => r.mimeTypes);
  for (const m of [MIME.plotly, MIME.training, MIME.metricsReport, MIME.dataProfile, MIME.imageGrid]) assert.ok(mimes.includes(m), m);
  if (existsSync(join(ROOT, "dist", "renderers"))) for (const e of entries) assert.ok(existsSync(join(ROOT, "dist", "renderers", `${e}.js`)), `${e}.js built`);
});

test("renderers never put payload strings into innerHTML", () => {
  for (const f of readdirSync(join(ROOT, "extension", "renderers")).filter((x) => x.endsWith(".ts"))) {
    const s = readFileSync(join(ROOT, "extension", "renderers", f), "utf8");
    assert.doesNotMatch(s, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, f);
  }
});

test("settings, walkthrough, grammar and trust are declared", () => {
  for (const k of ["sciforge.defaultBackend", "sciforge.nodePath", "sciforge.maxOutputSize", "sciforge.modelsDir", "sciforge.wasmThreads"]) assert.ok(c.configuration.properties[k], k);
  for (const step of c.walkthroughs[0].steps) assert.ok(existsSync(join(ROOT, step.media.markdown)), step.media.markdown);
  assert.ok(existsSync(join(ROOT, c.grammars[0].path)));
  // Restricted Mode: the extension loads (so it can say why nothing runs) but starts no kernel;
  // a workspace may not choose the Node that runs kernels.
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, "limited");
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ["sciforge.nodePath"]);
  assert.ok(existsSync(join(ROOT, pkg.icon)));
});
