import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { ROOT } from "../../helpers/paths";
import { claimsNotebook } from "../../../extension/host/notebook-kind";

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

test("activation only on notebooks and commands: no onStartupFinished, no `*`", () => {
  assert.ok(!pkg.activationEvents.includes("onStartupFinished"), "onStartupFinished loads the extension into every window");
  for (const e of pkg.activationEvents as string[]) assert.match(e, /^(onNotebook:jupyter-notebook|onCommand:sciforge\.\w+)$/, e);
  // renderers are loaded by VS Code without activating the extension; commands activate it by themselves
  for (const r of c.notebookRenderer) assert.ok(r.entrypoint && r.mimeTypes.length > 0, r.id);
});

test("no global notebook.displayOrder override (nor any other default for other extensions' settings)", () => {
  assert.equal(c.configurationDefaults, undefined);
  assert.doesNotMatch(JSON.stringify(pkg), /displayOrder/);
});

test("every walkthrough step completes on an event the extension produces", () => {
  const ids = new Set(c.commands.map((x: { command: string }) => x.command));
  const controller = readFileSync(join(ROOT, "extension", "host", "controller.ts"), "utf8");
  for (const step of c.walkthroughs[0].steps) {
    assert.ok(Array.isArray(step.completionEvents) && step.completionEvents.length > 0, `${step.id} has completionEvents`);
    for (const e of step.completionEvents as string[]) {
      const [kind, arg] = e.split(":");
      if (kind === "onCommand") assert.ok(ids.has(arg), `${step.id}: ${arg} is a command`);
      else if (kind === "onContext") assert.ok(controller.includes(`"${arg}"`) && controller.includes('"setContext"'), `${step.id}: the controller sets ${arg}`);
      else assert.fail(`${step.id}: unexpected completion event ${e}`);
    }
  }
});

test("the controller claims only notebooks whose kernelspec is Sciforge's: a Deno (TypeScript) notebook is not claimed", () => {
  const vsMetadata = (jupyter: Record<string, unknown>) => ({ metadata: jupyter }); // VS Code's ipynb serializer
  const deno = { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" }, language_info: { name: "typescript", file_extension: ".ts" } };
  assert.equal(claimsNotebook(vsMetadata(deno)), false);
  assert.equal(claimsNotebook(vsMetadata({ kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } })), false);
  assert.equal(claimsNotebook(vsMetadata({ language_info: { name: "typescript" } })), false, "no kernelspec: the user picks");
  assert.equal(claimsNotebook(vsMetadata({ kernelspec: { name: "python3", language: "python" } })), false);
  assert.equal(claimsNotebook({}), false);
  const ours = { kernelspec: { name: "sciforge", display_name: "TypeScript (Sciforge)", language: "typescript" } };
  assert.equal(claimsNotebook(vsMetadata(ours)), true);
  assert.equal(claimsNotebook({ custom: { metadata: ours } }), true, "older serializer layout");
  assert.equal(claimsNotebook(vsMetadata({ kernelspec: { name: "sciforge-dev", language: "typescript" } })), true, "sciforge kernel install --name sciforge-dev");
  // every notebook this project ships is claimed
  for (const dir of ["notebooks", join("extension", "templates")]) {
    for (const f of readdirSync(join(ROOT, dir)).filter((x) => x.endsWith(".ipynb"))) {
      assert.equal(claimsNotebook(vsMetadata(JSON.parse(readFileSync(join(ROOT, dir, f), "utf8")).metadata)), true, f);
    }
  }
});

test("a LICENSE (MIT, as package.json says) and third-party notices ship", () => {
  assert.equal(pkg.license, "MIT");
  const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
  assert.match(license, /^MIT License/);
  assert.match(license, /Copyright \(c\) \d{4} Sciforge contributors/);
  assert.match(readFileSync(join(ROOT, "THIRD-PARTY-NOTICES.md"), "utf8"), /\| zeromq \| [\d.]+ \| MIT AND MPL-2\.0 \|/);
});
