import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { ROOT } from "../helpers/paths";

// Renderers take their payload types from the library (lib/payloads.ts) with `import type`
// only: bundled as esbuild.mjs does, no kernel-helpers module may end up in a renderer.
test("renderer bundles hold no library code; the training bundle exports the drawing the dashboard loads", async () => {
  const dir = join(ROOT, "extension", "renderers");
  const entries = readdirSync(dir).filter((f) => f.endsWith(".renderer.ts"));
  assert.ok(entries.length >= 5);
  const r = await esbuild.build({
    entryPoints: entries.map((f) => join(dir, f)),
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    outdir: "out",
    define: { SCIFORGE_RENDERER_URL: "import.meta.url" },
    logLevel: "silent",
  });
  const inputs = Object.keys(r.metafile.inputs);
  assert.deepEqual(inputs.filter((f) => f.includes("kernel-helpers")), []);
  const training = Object.entries(r.metafile.outputs).find(([f]) => f.endsWith("/training.renderer.js"));
  assert.ok(training);
  assert.ok(training[1].exports.includes("drawTraining") && training[1].exports.includes("activate"));
});
