// Builds every bundle of Sciforge. One entry per process boundary:
//   dist/extension.js   VS Code extension host (CommonJS, `vscode` external)
//   dist/cli.js         the `sciforge` command (headless runner, kernelspec install)
//   dist/kernel.js      the kernel process (tslab compiler + our Jupyter protocol side)
//   dist/sciforge/      the library notebooks import as "sciforge" (+ .d.ts for completion)
//   dist/renderers/     notebook renderers (browser ESM, run in webviews)
// Usage: node esbuild.mjs [--watch] [--no-types]
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const watch = process.argv.includes("--watch");
const withTypes = !process.argv.includes("--no-types");

// Native or very large packages stay in node_modules and are required at run time.
const runtimeExternals = [
  "vscode",
  "zeromq",
  "tslab",
  "@tslab/typescript-for-tslab",
  "@tensorflow/*",
  "nodejs-polars",
  "nodejs-polars-*",
  "webgpu",
  "better-sqlite3",
  "sharp",
  "playwright-core",
];

const node = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  external: runtimeExternals,
  logLevel: "warning",
};

const builds = [
  { ...node, entryPoints: { extension: "extension/host/extension.ts" }, outdir: dist },
  { ...node, entryPoints: { cli: "extension/cli/main.ts" }, outdir: dist, banner: { js: "#!/usr/bin/env node" } },
  { ...node, entryPoints: { kernel: "kernel-helpers/kernel/main.ts" }, outdir: dist },
  { ...node, entryPoints: { index: "kernel-helpers/lib/index.ts" }, outdir: join(dist, "sciforge") },
];

const rendererDir = join(root, "extension", "renderers");
const rendererEntries = existsSync(rendererDir)
  ? readdirSync(rendererDir).filter((f) => /^[a-z0-9-]+\.renderer\.tsx?$/.test(f))
  : [];
if (rendererEntries.length > 0) {
  builds.push({
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    // Webviews load these on every notebook open: minified (plotly 7.4 MB → 4.8 MB).
    minify: true,
    sourcemap: "linked",
    logLevel: "warning",
    entryPoints: Object.fromEntries(
      rendererEntries.map((f) => [f.replace(/\.renderer\.tsx?$/, ""), join("extension/renderers", f)]),
    ),
    outdir: join(dist, "renderers"),
  });
}

function writeLibraryPackage() {
  const dir = join(dist, "sciforge");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "sciforge", version: "0.1.0", main: "index.js", types: "index.d.ts" }, null, 2) + "\n",
  );
  writeFileSync(join(dir, "index.d.ts"), 'export * from "./types/index";\n');
}

function emitTypes() {
  // Declarations for the notebook library, so `import { … } from "sciforge"` is fully typed.
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "kernel-helpers/lib/tsconfig.json"], {
    cwd: root,
    stdio: "inherit",
  });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  writeLibraryPackage();
  console.log("esbuild: watching");
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  writeLibraryPackage();
  if (withTypes) emitTypes();
}
