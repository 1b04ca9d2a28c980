// Runs the whole test suite with Node's built-in runner (TypeScript through tsx).
// Usage: node test/run.mjs [substring ...]   — only spec files whose path contains a substring.
// Specs are `*.test.ts` under test/ (mirroring the source tree) or beside the sources.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const skip = new Set(["node_modules", "dist", ".git", ".tools", ".test-output"]);

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ["test", "kernel-helpers", "extension"]
  .flatMap((d) => find(join(root, d)))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no spec files match ${filters.join(" ")}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SCIFORGE_ROOT: root },
});
process.exit(r.status ?? 1);
