// The linux-x64 .vsix (extension/package/vsix.mjs, `vsce package --target linux-x64`): unpacked,
// it holds only linux-x64 natives, no build leftovers, nothing esbuild already bundled, ≤ 40 MB;
// and the kernel starts from the unpacked layout (`node extension/dist/cli.js run`) and runs the
// library's native parts: Polars, TensorFlow.js, SQLite tracking, a static Vega-Lite figure (sharp).
// The first build brotli-compresses the large natives (~5 min on 2 cores), cached after that in
// $SCIFORGE_TOOLS_DIR/vsix-cache (or .tools/vsix-cache).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliDecompressSync, constants as zc } from "node:zlib";
import { DIST, ROOT, tempDir } from "../../helpers/paths";

/** 40 MB as vsce reports sizes (MiB). */
const MAX_BYTES = 40 * 1024 * 1024;
const skip = process.env.SCIFORGE_SKIP_VSIX === "1" ? "SCIFORGE_SKIP_VSIX=1" : !existsSync(join(DIST, "kernel.js")) ? "dist/ not built" : false;

interface Packaged {
  vsix: string;
  bytes: number;
  seconds: number;
  packages: Array<{ name: string; version: string }>;
  compressed: Array<{ path: string; bytes: number; br: number }>;
}

let dir = "";
let unpacked = "";
let built: Packaged;
let files: string[] = [];

function walk(d: string, out: string[] = []): string[] {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(relative(unpacked, p).split("\\").join("/"));
  }
  return out;
}

before(
  async () => {
    if (skip) return;
    dir = tempDir("sciforge-vsix-spec-");
    const mod = (await import(pathToFileURL(join(ROOT, "extension", "package", "vsix.mjs")).href)) as {
      packageTarget(root: string, target: string, o: { out: string; outDir: string }): Promise<Packaged>;
    };
    built = await mod.packageTarget(ROOT, "linux-x64", { out: join(dir, "sciforge-linux-x64.vsix"), outDir: join(dir, "stage") });
    console.log(`linux-x64 vsix: ${(built.bytes / 1024 / 1024).toFixed(1)} MB, packaged in ${built.seconds.toFixed(0)} s`);
    unpacked = join(dir, "unpacked");
    const r = spawnSync("unzip", ["-q", built.vsix, "-d", unpacked], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    files = walk(unpacked);
  },
  { timeout: 1_200_000 },
);
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the linux-x64 .vsix is at most 40 MB and says it is for linux-x64", { skip }, () => {
  assert.ok(built.bytes <= MAX_BYTES, `${(built.bytes / 1024 / 1024).toFixed(1)} MB`);
  const manifest = readFileSync(join(unpacked, "extension.vsixmanifest"), "utf8");
  assert.match(manifest, /TargetPlatform="linux-x64"/);
  const pkg = JSON.parse(readFileSync(join(unpacked, "extension", "package.json"), "utf8"));
  assert.equal(pkg.devDependencies, undefined);
  assert.equal(pkg.scripts, undefined);
  for (const f of ["extension/LICENSE.txt", "extension/THIRD-PARTY-NOTICES.md", "extension/readme.md", "extension/dist/extension.js", "extension/dist/kernel.js", "extension/dist/cli.js", "extension/dist/sciforge/index.d.ts", "extension/dist/renderers/plotly.js", "extension/dist/renderers/plotly.min.js", "extension/media/icon.png", "extension/syntaxes/sciforge-magics.tmLanguage.json", "extension/extension/templates/metrics.ipynb"]) {
    assert.ok(files.includes(f), `ships ${f}`);
  }
  console.log(`${files.length} files; brotli-stored natives: ${built.compressed.map((c) => `${c.path.split("/").pop()} ${(c.bytes / 1e6).toFixed(1)} → ${(c.br / 1e6).toFixed(1)} MB`).join(", ")}`);
});

test("only linux-x64 natives, each an x86-64 ELF (brotli-stored ones expanded to check)", { skip }, () => {
  const natives = files.filter((f) => /\.(node|so(\.\d+)*|dylib|dll|exe)(\.br)?$/.test(f));
  assert.ok(natives.length >= 6, natives.join("\n"));
  for (const f of natives) {
    assert.doesNotMatch(f, /darwin|win32|arm64|musl|android|freebsd|wasm32/, f);
    const abs = join(unpacked, f);
    const head = f.endsWith(".br") ? brotliDecompressSync(readFileSync(abs), { params: { [zc.BROTLI_DECODER_PARAM_LARGE_WINDOW]: 1 } }).subarray(0, 20) : readFileSync(abs).subarray(0, 20);
    assert.equal(head.subarray(0, 4).toString("latin1"), "\x7fELF", `${f} is ELF`);
    assert.equal(head.readUInt16LE(18), 0x3e, `${f} is x86-64`);
  }
  // each native dependency is there for this platform
  for (const re of [/nodejs-polars-linux-x64-gnu\/.*\.node\.br$/, /webgpu\/dist\/linux-x64\/dawn\.node\.br$/, /@img\/sharp-linux-x64\/lib\/sharp-linux-x64\.node$/, /sharp-libvips-linux-x64\/lib\/libvips-cpp\.so[.\d]*\.br$/, /zeromq\/build\/linux\/x64\/node\/glibc-\d+-Release\/addon\.node\.br$/, /better-sqlite3\/build\/Release\/better_sqlite3\.node\.br$/]) {
    assert.ok(natives.some((f) => re.test(f)), `${re} in\n${natives.join("\n")}`);
  }
  assert.equal(natives.filter((f) => f.includes("zeromq/build/")).length, 1, "one zeromq addon (N-API)");
});

test("no build leftovers, no unused TypeScript tools, no tfjs parts the kernel does not load, nothing esbuild bundled", { skip }, () => {
  const nm = files.filter((f) => f.startsWith("extension/node_modules/")).map((f) => f.slice("extension/node_modules/".length));
  const has = (re: RegExp) => nm.filter((f) => re.test(f));
  assert.deepEqual(has(/^better-sqlite3\/(deps|src|build\/Release\/obj|build\/Release\/obj\.target|build\/deps)\//), []);
  assert.deepEqual(has(/^better-sqlite3\/build\/(?!Release\/better_sqlite3\.node(\.br)?$)/), [], "only the addon of better-sqlite3's build");
  assert.deepEqual(has(/\.(gyp|gypi|cc|cpp|h|map|tsbuildinfo|a|o)$/), []);
  assert.deepEqual(has(/^typescript\/lib\/(tsc|tsserver|tsserverlibrary|typingsInstaller|watchGuard|cancellationToken)\.js$/), []);
  assert.deepEqual(has(/^typescript\/lib\/(cs|de|es|fr|it|ja|ko|pl|pt-br|ru|tr|zh-cn|zh-tw)\//), [], "no localized diagnostics");
  assert.deepEqual(has(/^(core-js|regenerator-runtime|yargs|rollup|@rollup|commander|prebuild-install|node-addon-api)\//), []);
  assert.deepEqual(has(/^@tensorflow\/[^/]+\/(src|dist\/.*\.(es2017|esm|fesm|min)\.js)/), []);
  for (const bundled of ["@jupyterlab/services", "ws", "marked", "plotly.js-dist-min"]) assert.deepEqual(has(new RegExp(`^${bundled}/`)), [], `${bundled} is in the bundles already`);
  assert.deepEqual(has(/^(d3-[^/]+|vega-(util|dataflow|scenegraph|parser|expression))\//), [], "vega and vega-lite ship as one bundled module each");
  assert.deepEqual(has(/^(playwright-core|@vscode\/vsce|esbuild|tsx|eslint)\//), [], "no dev tools");
  assert.ok(!files.some((f) => /^extension\/(test|kernel-helpers|extension\/host)\//.test(f)), "no sources");
});

test("the kernel starts from the unpacked extension and runs Polars, TensorFlow.js, tracking and a static figure", { skip, timeout: 300_000 }, () => {
  const work = join(dir, "nb");
  mkdirSync(work, { recursive: true });
  const cells = [
    `import { pl, tfjs, startRun, runs, sqliteEngine, renderVegaLite } from "sciforge";\nconst n: number = 2 + 3;\nconsole.log("typed", n);`,
    `const df = pl.DataFrame({ a: [1, 2, 3], b: [4, 5, 6] });\nconsole.log("polars", df.select(pl.col("a").plus(pl.col("b")).alias("s")).getColumn("s").toArray().join(","));`,
    `const t = tfjs().tensor1d([1, 2, 3]).square().sum();\nconsole.log("tfjs", (await t.data())[0]);`,
    `const run = startRun({ db: "runs.sqlite", experiment: "vsix", heartbeatMs: 0 });\nrun.logEpoch(1, { loss: 0.5 });\nrun.finish({ ok: 1 });\nconsole.log("tracked", runs.list({ db: "runs.sqlite" }).length, sqliteEngine());`,
    `const img = await renderVegaLite({ data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: "line", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });\nconsole.log("static figure", img.png.length > 100 ? "png" : "none");`,
  ];
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "sciforge", display_name: "TypeScript (Sciforge)", language: "typescript" } },
    cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: "code", metadata: {}, execution_count: null, outputs: [], source })),
  };
  writeFileSync(join(work, "tiny.ipynb"), JSON.stringify(nb));
  const cli = join(unpacked, "extension", "dist", "cli.js");
  // natives expand into a folder of our choosing (as when the extension folder is read-only)
  const natives = join(dir, "natives");
  const r = spawnSync(process.execPath, [cli, "run", "tiny.ipynb", "--out", "out.ipynb"], { cwd: work, encoding: "utf8", timeout: 240_000, env: { ...process.env, SCIFORGE_NATIVES_DIR: natives } });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(readFileSync(join(work, "out.ipynb"), "utf8")) as { cells: Array<{ outputs: Array<{ text?: string | string[] }> }> };
  const text = out.cells.flatMap((c) => c.outputs.map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? "")))).join("");
  assert.match(text, /typed 5/);
  assert.match(text, /polars 5,7,9/);
  assert.match(text, /tfjs 14/);
  assert.match(text, /tracked 1 (better-sqlite3|node:sqlite)/);
  assert.match(text, /static figure png/);
  assert.ok(existsSync(natives) && readdirSync(natives).length === 1, "natives expanded under SCIFORGE_NATIVES_DIR");
});

test("packages behind an expanding shim keep their named exports for import() (the kernel's heartbeat imports zeromq)", { skip }, () => {
  const modules = join(unpacked, "extension", "node_modules");
  const script = `
    const { pathToFileURL } = require("node:url");
    (async () => {
      const zmq = await import(pathToFileURL(${JSON.stringify(join(modules, "zeromq", "sciforge-expand.js"))}).href);
      const sqlite = await import(pathToFileURL(${JSON.stringify(join(modules, "better-sqlite3", "sciforge-expand.js"))}).href);
      console.log(typeof zmq.Reply, typeof zmq.Dealer, typeof sqlite.default, typeof sqlite.SqliteError);
    })();`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, SCIFORGE_NATIVES_DIR: join(dir, "natives-import") } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "function function function function");
});

test("THIRD-PARTY-NOTICES.md is current (node esbuild.mjs --notices)", async () => {
  const mod = (await import(pathToFileURL(join(ROOT, "extension", "package", "vsix.mjs")).href)) as { thirdPartyNotices(root: string): string };
  assert.equal(readFileSync(join(ROOT, "THIRD-PARTY-NOTICES.md"), "utf8"), mod.thirdPartyNotices(ROOT), "run node esbuild.mjs --notices");
});

test("every package the bundles leave external (esbuild.mjs runtimeExternals) is staged, except vscode and test tools", async () => {
  const mod = (await import(pathToFileURL(join(ROOT, "extension", "package", "vsix.mjs")).href)) as {
    runtimeClosure(root: string, target: string): { packages: Map<string, string> };
  };
  const names = new Set(mod.runtimeClosure(ROOT, "linux-x64").packages.values());
  const src = readFileSync(join(ROOT, "esbuild.mjs"), "utf8");
  const externals = [...(/const runtimeExternals = \[([\s\S]*?)\];/.exec(src)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(externals.length > 5, "found runtimeExternals in esbuild.mjs");
  for (const ext of externals) {
    if (ext === "vscode" || ext === "playwright-core") continue;
    if (ext.endsWith("*")) {
      const scope = ext.slice(0, -1);
      const installed = existsSync(join(ROOT, "node_modules", dirname(ext))) ? readdirSync(join(ROOT, "node_modules", dirname(ext))).map((d) => `${dirname(ext)}/${d}`.replace(/^\.\//, "")) : [];
      for (const pkg of installed.filter((p) => p.startsWith(scope) && !/-(darwin|win32|linux-arm64|android|freebsd|linux-x64-musl)/.test(p))) assert.ok(names.has(pkg), `${pkg} (${ext}) is staged`);
    } else assert.ok(names.has(ext), `${ext} is staged`);
  }
});
