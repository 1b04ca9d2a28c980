// Builds every bundle of Sciforge. One entry per process boundary:
//   dist/extension.js   VS Code extension host (CommonJS, `vscode` external)
//   dist/cli.js         the `sciforge` command (headless runner, kernelspec install)
//   dist/kernel.js      the kernel process (cell compiler on TypeScript + the Jupyter protocol side)
//   dist/kernel-snapshot.js  entry of the kernel's startup snapshot (built at run time, see compiler/snapshot.ts)
//   dist/sciforge/      the library notebooks import as "sciforge" (+ .d.ts for completion)
//   dist/renderers/     notebook renderers (browser ESM, run in webviews)
// Usage: node esbuild.mjs [--watch] [--no-types]
//        node esbuild.mjs --wasm [--check]   assemble the hand-written WebAssembly (*.wat) into the
//        committed `<name>-wasm.ts` modules (base64), or only check that they are up to date
//        node esbuild.mjs --package [--target T ...|all] [--out-dir D]   build, then one .vsix per
//        VS Code target (default: this machine's) into out/ (extension/package/vsix.mjs)
//        node esbuild.mjs --notices          write THIRD-PARTY-NOTICES.md from package-lock.json
//        node esbuild.mjs --api-report [--check] [--report-folder D]   write the public API report of the
//        library (kernel-helpers/lib/sciforge.api.md, api-extractor from the emitted .d.ts, which it
//        re-emits when a library source is newer), or only check that the committed one is up to date
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, readdirSync, readFileSync, chmodSync, copyFileSync, statSync } from "node:fs";
import { join, dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const watch = process.argv.includes("--watch");
const withTypes = !process.argv.includes("--no-types");

// Native or very large packages stay in node_modules and are required at run time.
const runtimeExternals = [
  "vscode",
  "zeromq",
  "typescript",
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
  // the kernel's startup snapshot entry (node --build-snapshot): built-in modules only
  { ...node, entryPoints: { "kernel-snapshot": "kernel-helpers/kernel/compiler/snapshot-main.ts" }, outdir: dist },
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
    // the plotly renderer loads plotly.min.js beside itself (see copyPlotly)
    define: { SCIFORGE_RENDERER_URL: "import.meta.url" },
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
  // wasm's pthread worker: a file of its own, which the library finds beside its bundle
  copyFileSync(join(root, "kernel-helpers/lib/train/backend/wasm-thread-worker.js"), join(dir, "wasm-thread-worker.js"));
}

/** plotly.js for the plotly renderer, which loads it beside itself, and for the HTML export, which inlines it: one copy. */
function copyPlotly() {
  mkdirSync(join(dist, "renderers"), { recursive: true });
  copyFileSync(join(root, "node_modules/plotly.js-dist-min/plotly.min.js"), join(dist, "renderers", "plotly.min.js"));
}

function emitTypes() {
  // Declarations for the notebook library, so `import { … } from "sciforge"` is fully typed.
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "kernel-helpers/lib/tsconfig.json"], {
    cwd: root,
    stdio: "inherit",
  });
}

/**
 * The hand-written WebAssembly sources and the TypeScript modules that carry their bytes. A source
 * with `variants` is assembled once per variant, its `;; MEMORY` line replaced by the variant's text
 * (the training kernels import the wasm backend's memory, which is shared in the threaded build).
 */
const wasmSources = [
  { wat: "kernel-helpers/lib/data/load/field-count.wat", ts: "kernel-helpers/lib/data/load/field-count-wasm.ts", variants: { FIELD_COUNT_WASM: null } },
  {
    wat: "kernel-helpers/lib/train/kernels/maxpool-grad.wat",
    ts: "kernel-helpers/lib/train/kernels/maxpool-grad-wasm.ts",
    variants: {
      MAXPOOL_GRAD_WASM: '(import "env" "memory" (memory 1))',
      MAXPOOL_GRAD_WASM_SHARED: '(import "env" "memory" (memory 1 65536 shared))',
    },
  },
];

async function assembleWasm(checkOnly) {
  const wabt = await (await import("wabt")).default();
  let stale = 0;
  for (const { wat, ts, variants } of wasmSources) {
    const source = readFileSync(join(root, wat), "utf8");
    let text = `// Generated by \`node esbuild.mjs --wasm\` from ${wat.split("/").pop()}: do not edit (a spec checks it).\n`;
    for (const [name, memory] of Object.entries(variants)) {
      const features = { simd: true, threads: true, bulk_memory: true };
      const mod = wabt.parseWat(wat, memory === null ? source : source.replace(";; MEMORY", memory), features);
      mod.validate(features);
      const bytes = Buffer.from(mod.toBinary({}).buffer);
      mod.destroy();
      const what = memory === null ? "" : ` with ${memory.includes("shared") ? "a shared" : "an unshared"} imported memory`;
      text += `/** The assembled module${what} (${bytes.length} bytes), base64. */\n` + `export const ${name} =\n  "${bytes.toString("base64")}";\n`;
    }
    const path = join(root, ts);
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (current === text) continue;
    if (checkOnly) {
      console.error(`${ts} is not the assembly of ${wat}: run \`node esbuild.mjs --wasm\``);
      stale++;
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${ts} (${Object.keys(variants).join(", ")})`);
    }
  }
  if (stale) process.exit(1);
}

const apiExtractorConfig = join(root, "kernel-helpers/lib/api-extractor.json");
const libraryTypes = join(dist, "sciforge/types/index.d.ts");

/** Whether the emitted declarations are missing or older than a library source (tsc rewrites them all on each emit). */
function typesStale() {
  if (!existsSync(libraryTypes)) return true;
  const emitted = statSync(libraryTypes).mtimeMs;
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(join(dir, e.name)) : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) && statSync(join(dir, e.name)).mtimeMs > emitted,
    );
  return newer(join(root, "kernel-helpers/lib")) || statSync(apiExtractorConfig).mtimeMs > emitted;
}

/** The lines that differ between two texts: the middle between their common first and last lines, at most `max` of each. */
function lineDiff(before, after, max = 40) {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const removed = a.slice(start, a.length - end);
  const added = b.slice(start, b.length - end);
  const cut = (lines, sign) => [...lines.slice(0, max).map((l) => `${sign} ${l}`), ...(lines.length > max ? [`${sign} … ${lines.length - max} more lines`] : [])];
  return [`@@ line ${start + 1} @@`, ...cut(removed, "-"), ...cut(added, "+")].join("\n");
}

/**
 * The public API report of the library (issue #19): api-extractor reads the emitted declarations
 * (dist/sciforge/types/index.d.ts) and lists every name "sciforge" exports with its signature in
 * kernel-helpers/lib/sciforge.api.md. `check`: writes nothing in the repository; fails, showing the
 * difference, when the committed report is not the library's surface. `reportFolder`: where the
 * committed report is (the spec points it at an altered copy).
 */
async function apiReport({ check, reportFolder }) {
  const started = Date.now();
  if (typesStale()) emitTypes();
  const { Extractor, ExtractorConfig } = await import("@microsoft/api-extractor");
  const configObject = ExtractorConfig.loadFile(apiExtractorConfig);
  if (reportFolder) configObject.apiReport.reportFolder = resolve(reportFolder);
  const config = ExtractorConfig.prepare({ configObject, configObjectFullPath: apiExtractorConfig, packageJsonFullPath: join(root, "package.json") });
  const messages = [];
  const result = Extractor.invoke(config, {
    localBuild: !check,
    // quiet: the report's own news is told below; what api-extractor warns about (config.messages) is printed
    messageCallback: (m) => {
      if ((m.logLevel === "error" || m.logLevel === "warning") && !m.messageId.startsWith("console-api-report")) messages.push(m.formatMessageWithLocation(root));
      m.handled = true;
    },
  });
  for (const m of messages) console.error(m);
  const committed = config.reportFilePath;
  const name = committed.startsWith(root + "/") || committed.startsWith(root + "\\") ? relative(root, committed) : committed;
  if (!result.succeeded && messages.length > 0) {
    console.error(`api-extractor failed on ${relative(root, libraryTypes)} (${result.errorCount} errors)`);
    process.exit(1);
  }
  if (!check) {
    console.log(`${result.apiReportChanged ? "wrote" : "unchanged:"} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return;
  }
  const current = readFileSync(config.reportTempFilePath, "utf8");
  const kept = existsSync(committed) ? readFileSync(committed, "utf8") : "";
  if (kept === current) {
    console.log(`${name} is the public API of "sciforge" (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return;
  }
  console.error(
    `The public API of "sciforge" is not the one in ${name}` +
      (kept ? ":\n" + lineDiff(kept, current) : " (no such file)") +
      `\nIf the change is on purpose, run \`node esbuild.mjs --api-report\` and commit ${name}; otherwise undo the change to the library's exports (the surface now is ${relative(root, config.reportTempFilePath)}).`,
  );
  process.exit(1);
}

/** `--flag value` (repeatable) values of the command line. */
function argValues(flag) {
  const out = [];
  process.argv.forEach((a, i) => {
    if (a === flag && process.argv[i + 1]) out.push(process.argv[i + 1]);
    else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
  });
  return out;
}

async function packageTargets() {
  const { TARGETS, packageTarget } = await import("./extension/package/vsix.mjs");
  const host = `${process.platform}-${process.arch}`;
  let targets = argValues("--target").flatMap((t) => t.split(","));
  if (targets.includes("all")) targets = Object.keys(TARGETS);
  if (targets.length === 0) targets = [host];
  const outDir = argValues("--out-dir")[0] ?? join(root, "out");
  for (const t of targets) {
    const r = await packageTarget(root, t, { out: join(outDir, `sciforge-${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}-${t}.vsix`) });
    console.log(`${t}: ${r.vsix} ${(r.bytes / 1024 / 1024).toFixed(1)} MB (${r.seconds.toFixed(0)} s)`);
  }
}

if (process.argv.includes("--notices")) {
  const { thirdPartyNotices } = await import("./extension/package/vsix.mjs");
  writeFileSync(join(root, "THIRD-PARTY-NOTICES.md"), thirdPartyNotices(root));
  console.log("wrote THIRD-PARTY-NOTICES.md");
} else if (process.argv.includes("--api-report")) {
  await apiReport({ check: process.argv.includes("--check"), reportFolder: argValues("--report-folder")[0] });
} else if (process.argv.includes("--wasm")) {
  await assembleWasm(process.argv.includes("--check"));
} else if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  writeLibraryPackage();
  copyPlotly();
  console.log("esbuild: watching");
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // the `sciforge` bin: executable, so that `npx sciforge` runs it in a fresh clone
  chmodSync(join(dist, "cli.js"), 0o755);
  writeLibraryPackage();
  copyPlotly();
  if (withTypes || process.argv.includes("--package")) emitTypes();
  if (process.argv.includes("--package")) await packageTargets();
}
