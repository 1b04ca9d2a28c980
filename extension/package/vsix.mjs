// Builds one .vsix per VS Code target (`vsce package --target`), each with only its own
// platform's native binaries. Used by `node esbuild.mjs --package [--target T ...]`.
//
// For a target it stages a clean folder (out/vsix/<target>-XXXXXX/):
//   package.json (no scripts / devDependencies), README, LICENSE, THIRD-PARTY-NOTICES.md,
//   dist/ (bundles, renderers, the sciforge library; no source maps), media/, syntaxes/,
//   extension/templates/, and node_modules/ with only what the bundles load at run time
//   (RUNTIME_ROOTS and their dependencies, minus build/CLI-only packages), each package cut down
//   to the files it loads (rulesFor). Other platforms' natives come from npm (`npm pack`, cached).
//   Large binaries are stored brotli-compressed (`<file>.br`) and expanded on first load by a
//   small shim in front of their package (see shimSource).
// Then `vsce package --target T` runs there. vsce collects node_modules with `npm list
// --production`, which needs a consistent tree: staged package.json files only name staged
// packages (rewriteDeps).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, sep } from "node:path";
import { brotliCompressSync, constants as zc } from "node:zlib";

/** What each target ships: the platform packages and folders of the native dependencies. */
export const TARGETS = {
  "linux-x64": {
    polars: ["nodejs-polars-linux-x64-gnu", "nodejs-polars.linux-x64-gnu.node"],
    sharp: ["@img/sharp-linux-x64", "@img/sharp-libvips-linux-x64"],
    dawn: "linux-x64",
    zeromq: ["linux", "x64", "glibc"],
    // better-sqlite3 is built here (npm ci) for this platform only; its prebuilt addons for the
    // others come from GitHub, which this build cannot reach: there node:sqlite serves alone.
    betterSqlite: true,
  },
  "linux-arm64": {
    polars: ["nodejs-polars-linux-arm64-gnu", "nodejs-polars.linux-arm64-gnu.node"],
    sharp: ["@img/sharp-linux-arm64", "@img/sharp-libvips-linux-arm64"],
    dawn: "linux-arm64",
    zeromq: ["linux", "arm64", "glibc"],
  },
  "darwin-arm64": {
    polars: ["nodejs-polars-darwin-arm64", "nodejs-polars.darwin-arm64.node"],
    sharp: ["@img/sharp-darwin-arm64", "@img/sharp-libvips-darwin-arm64"],
    dawn: "darwin-universal",
    zeromq: ["darwin", "arm64", "libc"],
  },
  "darwin-x64": {
    polars: ["nodejs-polars-darwin-x64", "nodejs-polars.darwin-x64.node"],
    sharp: ["@img/sharp-darwin-x64", "@img/sharp-libvips-darwin-x64"],
    dawn: "darwin-universal",
    zeromq: ["darwin", "x64", "libc"],
  },
  "win32-x64": {
    polars: ["nodejs-polars-win32-x64-msvc", "nodejs-polars.win32-x64-msvc.node"],
    sharp: ["@img/sharp-win32-x64"],
    dawn: "win32-x64",
    // Without DXC (dxcompiler.dll, 17 MB: 5.3 MB of the .vsix, which would be 44.6 MB with it)
    // Dawn's D3D12 backend compiles shaders with FXC (d3dcompiler_47.dll, shipped), which lacks
    // Shader Model 6 features such as shader-f16 that tfjs's WebGPU backend does not require.
    // Not tried: no Windows machine.
    dawnOmit: ["dxcompiler.dll", "dxcompiler-LICENSE.TXT", "dxcompiler-ThirdPartyNotices.txt"],
    zeromq: ["win32", "x64", "msvc"],
  },
};

/**
 * Packages the bundles load at run time (esbuild.mjs's runtimeExternals, less `vscode` and the
 * test-only playwright-core), the ESM packages the library imports lazily (vega, vega-lite), the
 * Node typings the kernel's type checker reads, and KaTeX's stylesheet and fonts (the HTML export
 * inlines them when present). Not plotly.js: the plotly renderer and the HTML export share
 * dist/renderers/plotly.min.js.
 */
export const RUNTIME_ROOTS = [
  "zeromq",
  "typescript",
  "@tensorflow/tfjs",
  "@tensorflow/tfjs-backend-wasm",
  "@tensorflow/tfjs-backend-webgpu",
  "nodejs-polars",
  "webgpu",
  "better-sqlite3",
  "sharp",
  "vega",
  "vega-lite",
  "@types/node",
  "katex",
];

/**
 * Dependencies nothing loads at run time: tfjs's CLI and browser polyfills (its node entry,
 * dist/tf.node.js, requires none of them), KaTeX's CLI, install-time helpers of native packages (prebuild-install,
 * node-addon-api's headers), webgpu's `debug` (index.js does not import it).
 */
export const NOT_AT_RUN_TIME = new Set([
  "core-js",
  "regenerator-runtime",
  "yargs",
  "argparse",
  "chalk",
  "rollup",
  "@rollup/plugin-commonjs",
  "@rollup/plugin-node-resolve",
  "@rollup/plugin-replace",
  "commander",
  "prebuild-install",
  "node-addon-api",
  "debug",
  // tfjs-core loads node-fetch only when there is no global fetch (PlatformNode.fetch); Node 18+
  // has one. Its typings pull in form-data and a dozen helpers for the type checker alone.
  "node-fetch",
  "@types/node-fetch",
]);

/** Dependencies dropped under one parent only (none at present). */
const NOT_UNDER = {};

/** ESM packages inlined into one module each at staging (they pull in ~60 small d3/vega packages). */
const BUNDLED_ESM = { vega: "build/vega.module.js", "vega-lite": "build/index.js" };

const isPlatformPackage = (name) => /^nodejs-polars-/.test(name) || /^@img\/sharp-(libvips-)?(linux|linuxmusl|darwin|win32|wasm32)/.test(name);

// ---------------------------------------------------------------------------------------------
// Helpers

function readJson(p) {
  return JSON.parse(readFileSync(p, "utf8"));
}

/** Files under `dir` (relative, with /), not descending into nested node_modules. */
function listFiles(dir, base = dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "node_modules") listFiles(p, base, out);
    } else out.push(relative(base, p).split(sep).join("/"));
  }
  return out;
}

function copyFile(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** Where `name` resolves from folder `fromDir` (Node's lookup up the node_modules chain, not above `root`), or null. */
function findPackage(name, fromDir, root) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (basename(dir) !== "node_modules") {
      const candidate = join(dir, "node_modules", name);
      if (existsSync(join(candidate, "package.json"))) return candidate;
    }
    if (dir === root || dirname(dir) === dir) return null;
  }
}

function npmCli() {
  const candidates = [process.env.npm_execpath, join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"), "/usr/lib/node_modules/npm/bin/npm-cli.js"];
  const found = candidates.find((p) => p && p.endsWith(".js") && existsSync(p));
  if (!found) throw new Error("npm-cli.js not found");
  return found;
}

// ---------------------------------------------------------------------------------------------
// What is staged

/**
 * The run-time closure: package folder (absolute, in the project's node_modules) → name, from
 * RUNTIME_ROOTS along dependencies/optionalDependencies, without NOT_AT_RUN_TIME, the bundled ESM
 * packages' own dependencies, and other platforms' packages. `missing`: this target's platform
 * packages that are not installed here (npm installs only this machine's).
 */
export function runtimeClosure(root, targetName) {
  const target = TARGETS[targetName];
  const wantedPlatform = new Set([target.polars[0], ...target.sharp]);
  const found = new Map();
  const queue = RUNTIME_ROOTS.filter((n) => n !== "better-sqlite3" || target.betterSqlite).map((n) => [n, root]);
  while (queue.length) {
    const [name, from] = queue.shift();
    if (NOT_AT_RUN_TIME.has(name)) continue;
    if (isPlatformPackage(name) && !wantedPlatform.has(name)) continue;
    const dir = findPackage(name, from, root);
    if (!dir || found.has(dir)) continue;
    found.set(dir, name);
    if (name in BUNDLED_ESM) continue; // inlined with its dependencies
    const pkg = readJson(join(dir, "package.json"));
    for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]) {
      if (!NOT_UNDER[name]?.has(dep)) queue.push([dep, dir]);
    }
  }
  const have = new Set(found.values());
  return { packages: found, missing: [...wantedPlatform].filter((p) => !have.has(p)) };
}

/** The version of a package as package-lock.json pins it (for platform packages not installed here). */
function pinnedVersion(name, root) {
  const lock = readJson(join(root, "package-lock.json"));
  const entry = lock.packages?.[`node_modules/${name}`];
  if (entry?.version) return entry.version;
  throw new Error(`no version of ${name} in package-lock.json`);
}

/** A platform package of another os/cpu: `npm pack name@version` from the registry into the cache, unpacked once. */
function fetchPlatformPackage(name, version, cacheDir) {
  const dir = join(cacheDir, "packages", `${name.replace("/", "+")}@${version}`);
  if (existsSync(join(dir, ".complete"))) return join(dir, "package");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  console.error(`[vsix] npm pack ${name}@${version} …`);
  const r = spawnSync(process.execPath, [npmCli(), "pack", `${name}@${version}`, "--pack-destination", dir, "--silent"], { encoding: "utf8", env: clean, maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm pack ${name}@${version} failed: ${r.stderr || r.stdout}`);
  const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack ${name}@${version} wrote no tarball`);
  const x = spawnSync("tar", ["-xzf", tgz], { cwd: dir, encoding: "utf8" });
  if (x.status !== 0) throw new Error(`tar -xzf ${tgz}: ${x.stderr}`);
  rmSync(join(dir, tgz));
  writeFileSync(join(dir, ".complete"), "");
  return join(dir, "package");
}

// ---------------------------------------------------------------------------------------------
// File rules: which files of a package are staged

const LICENSE_RE = /(^|\/)(LICEN[CS]E|COPYING|NOTICE|ThirdPartyNotice)[^/]*$/i;
const DTS_RE = /\.d\.(c|m)?ts$/;

function defaultKeep(rel) {
  if (LICENSE_RE.test(rel)) return true;
  if (/(^|\/)(test|tests|__tests__|docs?|examples?|benchmarks?|\.github)\//i.test(rel)) return false;
  if (/\.(md|markdown|map|tsbuildinfo|gyp|gypi|cc|cpp|c|h|hpp|mts|cts)$/i.test(rel)) return false;
  if (/\.ts$/.test(rel) && !DTS_RE.test(rel)) return false;
  if (/(^|\/)(tsconfig[^/]*\.json|\.npmignore|\.eslintrc[^/]*|\.editorconfig|CHANGELOG[^/]*|HISTORY[^/]*)$/i.test(rel)) return false;
  return true;
}

/**
 * The typings the type checker can reach from `entries` of a package: relative imports, exports,
 * `import("…")` types and `/// <reference path>` followed file by file (tfjs-core has 871 .d.ts
 * files, 267 of them for its own tests).
 */
function reachableTypings(srcDir, entries) {
  const seen = new Set();
  const queue = entries.filter((e) => existsSync(join(srcDir, e)));
  const resolveRel = (fromRel, spec) => {
    const base = join(dirname(fromRel), spec).split(sep).join("/");
    for (const c of [`${base}.d.ts`, `${base}/index.d.ts`, base.replace(/\.js$/, ".d.ts")]) if (c.endsWith(".d.ts") && existsSync(join(srcDir, c))) return c;
    return null;
  };
  while (queue.length) {
    const rel = queue.pop();
    if (seen.has(rel)) continue;
    seen.add(rel);
    for (const m of readFileSync(join(srcDir, rel), "utf8").matchAll(/(?:from\s+|import\s*\(\s*|import\s+|reference\s+path\s*=\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const to = resolveRel(rel, m[1]);
      if (to && !seen.has(to)) queue.push(to);
    }
  }
  return seen;
}

/**
 * The reachable typings of every tfjs package: from each `types` entry, plus the
 * `@tensorflow/<pkg>/dist/…` subpaths that reachable typings of the others import (to a fixpoint).
 */
function tfjsTypings(rootModules) {
  const base = join(rootModules, "@tensorflow");
  const result = new Map();
  if (!existsSync(base)) return result;
  const entries = new Map(readdirSync(base).map((p) => [p, new Set([readJson(join(base, p, "package.json")).types ?? "dist/index.d.ts"])]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [p, ents] of entries) {
      const reach = reachableTypings(join(base, p), [...ents]);
      result.set(p, reach);
      for (const rel of reach) {
        for (const m of readFileSync(join(base, p, rel), "utf8").matchAll(/['"]@tensorflow\/([^/'"]+)\/([^'"]+)['"]/g)) {
          const target = entries.get(m[1]);
          const file = `${m[2].replace(/\.(d\.ts|js)$/, "")}.d.ts`;
          if (target && !target.has(file)) {
            target.add(file);
            changed = true;
          }
        }
      }
    }
  }
  return result;
}

/** The newest GLIBC_2.x symbol version a Linux binary needs (0 when it names none). */
function glibcNeeded(file) {
  let max = 0;
  for (const m of readFileSync(file).toString("latin1").matchAll(/GLIBC_2\.(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/**
 * zeromq's addon for this target: N-API, so one build serves every Node. Its loader (cmake-ts)
 * tries the manifest's entries for the os/arch/libc from the highest ABI down. We keep one: on
 * Linux the one needing the oldest glibc (zeromq 6.8's ABI-115 build needs glibc 2.38, its
 * ABI-127 build 2.25), elsewhere the one built for Node 20's ABI (115) or the oldest there is.
 */
function zeromqAddon(srcDir, [os, arch, libc]) {
  const manifest = readJson(join(srcDir, "build", "manifest.json"));
  const usable = Object.entries(manifest)
    .map(([k, p]) => ({ config: JSON.parse(k), path: p.replace(/\\/g, "/") }))
    .filter(({ config: c }) => c.os === os && c.arch === arch && c.libc === libc && c.runtime === "node")
    .filter((e) => existsSync(join(srcDir, "build", e.path)))
    .map((e) => ({ ...e, glibc: libc === "glibc" ? glibcNeeded(join(srcDir, "build", e.path)) : 0 }));
  if (usable.length === 0) throw new Error(`zeromq has no addon for ${os}-${arch} (${libc})`);
  const fit = (e) => (e.config.abi <= 115 ? 115 - e.config.abi : 1000 + e.config.abi);
  usable.sort((a, b) => a.glibc - b.glibc || fit(a) - fit(b));
  return usable[0];
}

/** Which files of package `name` (folder `srcDir`) are staged for `target`: rel → boolean. */
function rulesFor(name, target, srcDir, context) {
  const is = (rel, ...names) => rel === "package.json" || LICENSE_RE.test(rel) || names.includes(rel);
  if (name.startsWith("@tensorflow/")) {
    // the node bundle (main), the typings the checker reaches, the wasm binaries and their glue;
    // not the browser bundles, sources and tests (tfjs-core alone has ~4,000 .js files)
    const pkg = readJson(join(srcDir, "package.json"));
    const typings = context.tfjsTypings.get(name.slice("@tensorflow/".length)) ?? new Set();
    return (rel) => is(rel, pkg.main) || typings.has(rel) || (rel.startsWith("wasm-out/") && /\.(wasm|js)$/.test(rel));
  }
  switch (name) {
    case "typescript":
      // the compiler API (lib/typescript.js) and the standard library typings; not tsc, tsserver,
      // typingsInstaller, the localized diagnostics, nor lib.webworker*/scripthost (a Node kernel has neither)
      return (rel) => is(rel, "lib/typescript.js") || (/^lib\/lib\.[^/]+\.d\.ts$/.test(rel) && !/lib\.(webworker|scripthost)/.test(rel));
    case "zeromq": {
      const addon = `build/${zeromqAddon(srcDir, target.zeromq).path}`;
      return (rel) => is(rel, "build/manifest.json", addon) || /^lib\/.*\.js$/.test(rel) || /^[a-z0-9-]+\.js$/.test(rel);
    }
    case "cmake-ts":
      return (rel) => is(rel, "build/loader.js", "build/lib.js");
    case "better-sqlite3":
      // not deps/ (SQLite's sources), src/, build/Release/obj*, the test extension
      return (rel) => is(rel, "build/Release/better_sqlite3.node") || /^lib\/.*\.js$/.test(rel);
    case "webgpu":
      return (rel) => is(rel, "index.js", "types.d.ts") || (rel.startsWith(`dist/${target.dawn}/`) && !(target.dawnOmit ?? []).includes(rel.split("/").pop()));
    case "nodejs-polars":
      return (rel) => is(rel) || (rel.startsWith("bin/") && (/\.js$/.test(rel) || DTS_RE.test(rel)));
    case "sharp":
      return (rel) => is(rel) || /^lib\/[^/]+\.(js|d\.ts)$/.test(rel);
    case "katex":
      // the JavaScript is bundled; the HTML export inlines the stylesheet and woff2 fonts
      return (rel) => is(rel, "dist/katex.min.css") || /^dist\/fonts\/[^/]+\.woff2$/.test(rel);
    default:
      // natives of one platform: not READMEs, not libvips's glib headers
      if (isPlatformPackage(name)) return (rel) => !/\.md$/i.test(rel) && !rel.includes("glib-2.0/");
      return defaultKeep;
  }
}

// ---------------------------------------------------------------------------------------------
// Brotli-stored binaries and their shims

/** Native libraries of 4 MB and more (Polars, Dawn, libvips). */
function isLargeNative(rel, bytes) {
  return bytes >= 4 * 1024 * 1024 && /\.(node|so(\.\d+)*|dylib|dll)$/.test(rel);
}

/**
 * Brotli, quality 11; files over 16 MiB with a window as large as the file (up to 1 GiB, brotli's
 * "large window": Polars' 98–135 MB addons come out ~0.5 MB smaller). Cached by content.
 */
function compressCached(file, cacheDir) {
  const buf = readFileSync(file);
  const hash = createHash("sha256").update(buf).digest("hex");
  const lgwin = buf.length > 1 << 24 ? Math.min(30, Math.ceil(Math.log2(buf.length))) : 24;
  const cached = join(cacheDir, "br", `${hash}.q11w${lgwin}.br`);
  if (existsSync(cached)) return { path: cached, bytes: buf.length };
  mkdirSync(dirname(cached), { recursive: true });
  const t0 = Date.now();
  const params = { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_LGWIN]: lgwin, [zc.BROTLI_PARAM_LARGE_WINDOW]: lgwin > 24 ? 1 : 0, [zc.BROTLI_PARAM_SIZE_HINT]: buf.length };
  const out = brotliCompressSync(buf, { params });
  const tmp = `${cached}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, cached);
  console.error(`[vsix] brotli ${file.split(sep).slice(-2).join("/")}: ${(buf.length / 1e6).toFixed(1)} → ${(out.length / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return { path: cached, bytes: buf.length };
}

/**
 * The names a module exports, read from its source the way Node's CommonJS lexer does for
 * `import()` of CommonJS (`exports.x =`, `Object.defineProperty(exports, "x"`, `module.exports.x =`,
 * re-exports of relative modules), or from ESM `export` statements. The shims list them, so that
 * `await import("zeromq")` (the kernel's heartbeat) still sees `Reply` through a shim.
 */
function exportNames(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return new Set();
  seen.add(file);
  const src = readFileSync(file, "utf8");
  const names = new Set();
  const id = "[A-Za-z_$][\\w$]*";
  for (const re of [new RegExp(`(?:^|[^.\\w$])(?:module\\.)?exports\\.(${id})\\s*=(?!=)`, "g"), /Object\.defineProperty\(\s*(?:module\.)?exports\s*,\s*["']([^"']+)["']/g, new RegExp(`export\\s+(?:const|let|var|function\\*?|class|async\\s+function)\\s+(${id})`, "g")]) {
    for (const m of src.matchAll(re)) names.add(m[1]);
  }
  for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) for (const part of m[1].split(",")) if (part.trim()) names.add(part.trim().split(/\s+as\s+/).pop());
  const rel = [...src.matchAll(/(?:__exportStar\(\s*require\(|module\.exports\s*=\s*require\(|export\s*\*\s*from\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  for (const r of rel) {
    const base = join(dirname(file), r);
    for (const c of [base, `${base}.js`, join(base, "index.js")]) if (existsSync(c) && statSync(c).isFile()) for (const n of exportNames(c, seen)) names.add(n);
  }
  names.delete("default");
  names.delete("__esModule");
  return names;
}

/**
 * The shim (CommonJS) that expands `files` (paths relative to node_modules, each stored as .br)
 * and then loads `entry` (relative to node_modules): in place when node_modules is writable,
 * else in <tmpdir>/sciforge-natives/<key>/node_modules/ — or $SCIFORGE_NATIVES_DIR/<key>/node_modules/
 * when set — with the other files of `mirror` (relative to node_modules) copied beside them, so
 * relative lookups (rpaths, sibling DLLs, TypeScript's lib.*.d.ts, require of sibling packages)
 * still work.
 */
function shimSource({ fromDir, files, entry, mirror, key, names }) {
  const up = relative(fromDir, ".").split(sep).join("/") || ".";
  const hints = [...names].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  return `"use strict";
// Generated by Sciforge's packaging (extension/package/vsix.mjs): large binaries ship
// brotli-compressed in the .vsix and are expanded once, on first load.
${hints.length ? `// the entry's names, for import() (Node reads them from module.exports after it runs):\n${hints.map((n) => `exports.${n}`).join(" = ")} = void 0;\n` : ""}const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const modules = path.join(__dirname, ${JSON.stringify(up)});
const files = ${JSON.stringify(files)};
const mirror = ${JSON.stringify(mirror)};
// Several processes and threads (the kernel's heartbeat worker) may expand at once: every file is
// written to a temporary name and renamed, so a file either is absent or complete; the mirrored
// files go first, so once the expanded ones are there, everything is.
function ready(root) {
  return files.every((f) => { try { return fs.statSync(path.join(root, f.path)).size === f.bytes; } catch { return false; } });
}
function put(to, write) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const tmp = to + "." + process.pid + "-" + require("worker_threads").threadId + "-" + Math.random().toString(36).slice(2) + ".tmp";
  write(tmp);
  try { fs.renameSync(tmp, to); } catch (e) { fs.rmSync(tmp, { force: true }); if (!fs.existsSync(to)) throw e; }
}
function expand(root, copyFrom) {
  for (const rel of copyFrom ? mirror : []) {
    const to = path.join(root, rel);
    if (!fs.existsSync(to)) put(to, (tmp) => fs.copyFileSync(path.join(copyFrom, rel), tmp));
  }
  for (const f of files) {
    const to = path.join(root, f.path);
    try { if (fs.statSync(to).size === f.bytes) continue; } catch {}
    const data = zlib.brotliDecompressSync(fs.readFileSync(path.join(modules, f.path + ".br")), { params: { [zlib.constants.BROTLI_DECODER_PARAM_LARGE_WINDOW]: 1 } });
    if (data.length !== f.bytes) throw new Error("sciforge: " + f.path + ".br expands to " + data.length + " bytes, expected " + f.bytes);
    put(to, (tmp) => fs.writeFileSync(tmp, data, { mode: 0o755 }));
  }
}
function rootDir() {
  const chosen = process.env.SCIFORGE_NATIVES_DIR;
  if (chosen) {
    const dir = path.join(chosen, ${JSON.stringify(key)}, "node_modules");
    if (!ready(dir)) expand(dir, modules);
    return dir;
  }
  if (ready(modules)) return modules;
  try { expand(modules, null); return modules; } catch (e) {
    if (!["EACCES", "EPERM", "EROFS"].includes(e && e.code)) throw e;
  }
  const cache = path.join(require("os").tmpdir(), "sciforge-natives", ${JSON.stringify(key)}, "node_modules");
  if (!ready(cache)) expand(cache, modules);
  return cache;
}
module.exports = require(path.join(rootDir(), ${JSON.stringify(entry)}));
`;
}

// ---------------------------------------------------------------------------------------------
// Staging

/** Keeps the dependencies that resolve to a staged package of a matching version (`staged(name, range)`). */
function rewriteDeps(pkgJson, staged) {
  for (const field of ["dependencies", "optionalDependencies"]) {
    if (!pkgJson[field]) continue;
    pkgJson[field] = Object.fromEntries(Object.entries(pkgJson[field]).filter(([n, range]) => staged(n, range)));
    if (Object.keys(pkgJson[field]).length === 0) delete pkgJson[field];
  }
  for (const field of ["devDependencies", "peerDependencies", "peerDependenciesMeta", "scripts", "bundleDependencies", "bundledDependencies"]) delete pkgJson[field];
  return pkgJson;
}

async function bundleEsm(name, srcDir, outDir) {
  const esbuild = await import("esbuild");
  const pkg = readJson(join(srcDir, "package.json"));
  const file = `${name.replace("/", "-")}.bundle.mjs`;
  await esbuild.build({
    entryPoints: [join(srcDir, BUNDLED_ESM[name])],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "eof",
    external: ["canvas", "node-fetch"],
    outfile: join(outDir, file),
    logLevel: "error",
  });
  const out = { name: pkg.name, version: pkg.version, license: pkg.license, type: "module", main: `./${file}`, exports: { ".": `./${file}` } };
  writeFileSync(join(outDir, "package.json"), JSON.stringify(out, null, 2) + "\n");
  for (const f of readdirSync(srcDir)) if (LICENSE_RE.test(f)) copyFile(join(srcDir, f), join(outDir, f));
}

export function defaultCacheDir(root) {
  return process.env.SCIFORGE_VSIX_CACHE ?? join(process.env.SCIFORGE_TOOLS_DIR ?? join(root, ".tools"), "vsix-cache");
}

/**
 * Stages the extension for `targetName` into a fresh folder under `outDir`; returns it with what
 * was staged. Needs dist/ built (node esbuild.mjs).
 */
export async function stageTarget(root, targetName, { outDir = join(root, "out", "vsix"), cacheDir = defaultCacheDir(root) } = {}) {
  const target = TARGETS[targetName];
  if (!target) throw new Error(`unknown target ${targetName}; one of ${Object.keys(TARGETS).join(", ")}`);
  if (!existsSync(join(root, "dist", "kernel.js")) || !existsSync(join(root, "dist", "renderers", "plotly.min.js"))) throw new Error("dist/ is missing or old: run node esbuild.mjs first");
  const semver = createRequire(join(root, "package.json"))("semver");
  mkdirSync(outDir, { recursive: true });
  const stage = mkdtempSync(join(outDir, `${targetName}-`));
  const rootModules = join(root, "node_modules");

  // 1. the extension's own files
  for (const f of ["README.md", "LICENSE", "THIRD-PARTY-NOTICES.md"]) if (existsSync(join(root, f))) copyFile(join(root, f), join(stage, f));
  for (const dir of ["dist", "media", "syntaxes", "extension/templates"]) {
    for (const rel of listFiles(join(root, dir))) if (!/\.(map|tsbuildinfo)$/.test(rel)) copyFile(join(root, dir, rel), join(stage, dir, rel));
  }

  // 2. node_modules: the run-time closure, cut down
  const { packages, missing } = runtimeClosure(root, targetName);
  const sources = new Map(packages);
  for (const name of missing) sources.set(fetchPlatformPackage(name, pinnedVersion(name, root), cacheDir), name);
  const context = { tfjsTypings: tfjsTypings(rootModules) };
  const staged = new Map(); // relative dir (node_modules/…) → { name, version }
  for (const [src, name] of sources) {
    const relDir = (src.startsWith(rootModules + sep) ? relative(root, src) : join("node_modules", name)).split(sep).join("/");
    const dest = join(stage, relDir);
    if (name in BUNDLED_ESM) {
      await bundleEsm(name, src, dest);
    } else {
      const keep = rulesFor(name, target, src, context);
      for (const rel of listFiles(src)) if (keep(rel)) copyFile(join(src, rel), join(dest, rel));
    }
    staged.set(relDir, { name, version: readJson(join(src, "package.json")).version });
    // what `require(name)` loads must have been staged (typings-only packages and exports maps
    // without "." have no entry)
    const pkg = readJson(join(dest, "package.json"));
    if (!listFiles(dest).some((f) => /\.(c|m)?js$/.test(f)) || (pkg.exports && !pkg.exports["."] && !pkg.main)) continue;
    const entry = typeof pkg.exports?.["."] === "string" ? pkg.exports["."] : (pkg.exports?.["."]?.require ?? pkg.exports?.["."]?.default ?? pkg.main ?? "index.js");
    if (typeof entry === "string" && ![entry, `${entry}.js`, join(entry, "index.js")].some((m) => existsSync(join(dest, m)))) {
      throw new Error(`staging ${name}: its entry ${entry} was not staged`);
    }
  }
  // zeromq's manifest names the addons of every platform: keep the staged one
  const zmqManifest = join(stage, "node_modules", "zeromq", "build", "manifest.json");
  if (existsSync(zmqManifest)) {
    const m = readJson(zmqManifest);
    writeFileSync(zmqManifest, JSON.stringify(Object.fromEntries(Object.entries(m).filter(([, p]) => existsSync(join(stage, "node_modules", "zeromq", "build", p.replace(/\\/g, "/")))))));
  }

  // 3. large binaries → .br, and a shim in front of each package that loads them (see shimSource)
  const compressed = [];
  const modulesDir = join(stage, "node_modules");
  const key = `${readJson(join(root, "package.json")).version}-${targetName}`;
  const filesOf = (pkgRel) => (existsSync(join(modulesDir, pkgRel)) ? listFiles(join(modulesDir, pkgRel)).map((r) => `${pkgRel}/${r}`) : []);
  /**
   * Compresses the files of `pkgs` that `which` picks; writes the shim `shim` (relative to
   * node_modules) that expands them and loads `entry`; `hook` points the package at the shim;
   * `mirror`: the packages whose other files must sit beside the expanded ones in a cache folder.
   */
  const shim = ({ pkgs, which, shim: shimRel, entry, mirror, hook }) => {
    const files = [];
    for (const rel of pkgs.flatMap(filesOf)) {
      const abs = join(modulesDir, rel);
      if (!which(rel, statSync(abs).size)) continue;
      const c = compressCached(abs, cacheDir);
      copyFileSync(c.path, `${abs}.br`);
      rmSync(abs);
      files.push({ path: rel, bytes: c.bytes });
      compressed.push({ path: `node_modules/${rel}`, bytes: c.bytes, br: statSync(`${abs}.br`).size });
    }
    if (files.length === 0) return;
    // the mirror (a copy in a cache folder) loads the entry directly: not the shim, and the
    // package.json as it was (the hook below points the staged one at the shim)
    const mirrorFiles = mirror.flatMap(filesOf).filter((r) => !r.endsWith(".br") && !/\/sciforge-expand\.c?js$/.test(r));
    const names = entry.endsWith(".node") ? new Set() : exportNames(join(modulesDir, entry));
    writeFileSync(join(modulesDir, shimRel), shimSource({ fromDir: dirname(shimRel), key, files, entry, mirror: mirrorFiles, names }));
    const pj = join(modulesDir, hook.pkg, "package.json");
    writeFileSync(pj, JSON.stringify(hook.edit(readJson(pj), `./${relative(hook.pkg, shimRel).split(sep).join("/")}`), null, 2) + "\n");
  };
  const main = (pkg) => ({ pkg, edit: (p, to) => ({ ...p, main: to }) });
  const [polarsPkg, polarsFile] = target.polars;
  // Polars: nodejs-polars requires its platform package by name → that package's main.
  shim({ pkgs: [polarsPkg], which: isLargeNative, shim: `${polarsPkg}/sciforge-expand.js`, entry: `${polarsPkg}/${polarsFile}`, mirror: [], hook: main(polarsPkg) });
  // Dawn: webgpu/index.js (ESM) loads dist/<platform>/dawn.node beside itself → a CommonJS shim
  // as the package's entry, which then loads index.js.
  shim({
    pkgs: [`webgpu/dist/${target.dawn}`],
    which: isLargeNative,
    shim: "webgpu/sciforge-expand.cjs",
    entry: "webgpu/index.js",
    mirror: ["webgpu"],
    hook: { pkg: "webgpu", edit: (p, to) => ({ ...p, main: to, exports: { ".": { types: "./types.d.ts", default: to } } }) },
  });
  // sharp requires "@img/sharp-<platform>/sharp.node" (an exports entry); the addon finds libvips
  // by its rpath (Linux, macOS) or beside it (Windows).
  {
    const [addonPkg, libvipsPkg] = target.sharp;
    const addonRel = readJson(join(modulesDir, addonPkg, "package.json")).exports["./sharp.node"].replace(/^\.\//, "");
    shim({
      pkgs: target.sharp,
      which: isLargeNative,
      shim: `${addonPkg}/sciforge-expand.js`,
      entry: `${addonPkg}/${addonRel}`,
      mirror: [addonPkg, libvipsPkg].filter(Boolean),
      hook: { pkg: addonPkg, edit: (p, to) => ({ ...p, exports: { ...p.exports, "./sharp.node": to } }) },
    });
  }
  // Not TypeScript (9 MB of JS, ~2 MB in the zip): the kernel reads lib/typescript.js by path
  // (its startup snapshot, V8's code cache) and its lib.*.d.ts beside it, so it ships as is.
  // better-sqlite3 (found through `bindings`) and zeromq (through cmake-ts's loader): their addons.
  shim({ pkgs: ["better-sqlite3"], which: (rel) => rel.endsWith(".node"), shim: "better-sqlite3/sciforge-expand.js", entry: "better-sqlite3/lib/index.js", mirror: ["better-sqlite3", "bindings", "file-uri-to-path"], hook: main("better-sqlite3") });
  shim({ pkgs: ["zeromq"], which: (rel) => rel.endsWith(".node"), shim: "zeromq/sciforge-expand.js", entry: "zeromq/lib/index.js", mirror: ["zeromq", "cmake-ts"], hook: main("zeromq") });

  // 4. package.json files: only staged packages of matching versions as dependencies
  const stagedDirs = new Set(staged.keys());
  for (const relDir of stagedDirs) {
    const pj = join(stage, relDir, "package.json");
    // the staged package `n` resolves to from here, if its version satisfies the range (else the
    // dependency was dropped on purpose)
    const resolvable = (n, range) => {
      let found = null;
      for (let d = relDir; !found; ) {
        if (stagedDirs.has(`${d}/node_modules/${n}`)) found = `${d}/node_modules/${n}`;
        const i = d.lastIndexOf("/node_modules/");
        if (i < 0) break;
        d = d.slice(0, i);
      }
      found ??= stagedDirs.has(`node_modules/${n}`) ? `node_modules/${n}` : null;
      if (!found) return false;
      return !semver.validRange(range) || semver.satisfies(staged.get(found).version, range, { includePrerelease: true });
    };
    writeFileSync(pj, JSON.stringify(rewriteDeps(readJson(pj), resolvable), null, 2) + "\n");
  }
  const manifest = readJson(join(root, "package.json"));
  const topLevel = [...staged].filter(([d]) => /^node_modules\/(@[^/]+\/)?[^/@]+$/.test(d));
  manifest.dependencies = Object.fromEntries(topLevel.map(([, v]) => [v.name, v.version]).sort(([a], [b]) => a.localeCompare(b)));
  for (const f of ["devDependencies", "optionalDependencies", "scripts"]) delete manifest[f];
  writeFileSync(join(stage, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  writeFileSync(join(stage, ".vscodeignore"), "# staged by extension/package/vsix.mjs: everything here ships\n");
  return { stage, packages: [...staged.values()], compressed };
}

/** Stages and packages one target; returns the .vsix path, its size and the staging summary. */
export async function packageTarget(root, targetName, { out, outDir, cacheDir, keepStage = false } = {}) {
  const t0 = Date.now();
  const s = await stageTarget(root, targetName, { outDir, cacheDir });
  const version = readJson(join(root, "package.json")).version;
  const vsix = out ?? join(root, "out", `sciforge-${version}-${targetName}.vsix`);
  mkdirSync(dirname(vsix), { recursive: true });
  const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
  const r = spawnSync(process.execPath, [vsce, "package", "--target", targetName, "--out", vsix], { cwd: s.stage, encoding: "utf8", input: "y\n", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`vsce package --target ${targetName} failed:\n${r.stdout}\n${r.stderr}`);
  if (!keepStage) rmSync(s.stage, { recursive: true, force: true });
  return { vsix, bytes: statSync(vsix).size, seconds: (Date.now() - t0) / 1000, stage: keepStage ? s.stage : undefined, packages: s.packages, compressed: s.compressed, log: r.stdout };
}

// ---------------------------------------------------------------------------------------------
// Third-party notices

/** The license a package declares: `license`, or the old `licenses: [{ type }]`. */
function declaredLicense(p) {
  if (typeof p?.license === "string") return p.license;
  if (typeof p?.license?.type === "string") return p.license.type;
  if (Array.isArray(p?.licenses)) return p.licenses.map((l) => l.type ?? l).join(" OR ");
  return undefined;
}

/**
 * THIRD-PARTY-NOTICES.md: every production dependency in package-lock.json (what the bundles
 * inline and what the .vsix files ship, all platforms' natives included) and the Node typings the
 * kernel's type checker reads, with the license its package.json declares (node_modules when
 * installed here, else the lock).
 */
export function thirdPartyNotices(root) {
  const lock = readJson(join(root, "package-lock.json"));
  const shippedDev = new Set(["@types/node", "undici-types"]);
  const rows = new Map();
  for (const [path, p] of Object.entries(lock.packages ?? {})) {
    if (!path) continue;
    const name = p.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    if (p.dev && !(shippedDev.has(name) && path === `node_modules/${name}`)) continue;
    const key = `${name}@${p.version}`;
    if (rows.has(key)) continue;
    const installed = join(root, path, "package.json");
    const license = (existsSync(installed) ? declaredLicense(readJson(installed)) : undefined) ?? declaredLicense(p) ?? "(not declared)";
    rows.set(key, { name, version: p.version, license });
  }
  const sorted = [...rows.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, undefined, { numeric: true }));
  // nodejs-polars' platform packages say "SEE LICENSE IN LICENSE" but carry no such file: nodejs-polars's
  for (const r of sorted) {
    if (!/^SEE LICENSE/i.test(r.license)) continue;
    const parent = sorted.find((q) => q !== r && r.name.startsWith(`${q.name}-`) && !/^SEE LICENSE/i.test(q.license));
    if (parent) r.license = `${parent.license} (as ${parent.name})`;
  }
  const byLicense = new Map();
  for (const r of sorted) byLicense.set(r.license, (byLicense.get(r.license) ?? 0) + 1);
  return [
    "# Third-party notices",
    "",
    "Sciforge (MIT, see LICENSE) is built from the packages below: production dependencies, which",
    "its bundles (`dist/`) inline or its .vsix files ship in `node_modules/` (each .vsix only its own",
    "platform's natives), and the Node typings the kernel's type checker reads. Each shipped package",
    "keeps its own license file in the .vsix. Generated from package-lock.json and node_modules by",
    "`node esbuild.mjs --notices` (a spec checks it is current).",
    "",
    `Licenses: ${[...byLicense].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l, n]) => `${l} (${n})`).join(", ")}.`,
    "",
    "| Package | Version | License |",
    "| --- | --- | --- |",
    ...sorted.map((r) => `| ${r.name} | ${r.version} | ${r.license} |`),
    "",
  ].join("\n");
}
