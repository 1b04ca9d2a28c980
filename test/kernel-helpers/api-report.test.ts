/**
 * The public surface of "sciforge" changes only on purpose (issue #19): every library index lists
 * its names (no `export *`), lib/index.ts re-exports exactly what each area index lists, and the
 * committed API report (kernel-helpers/lib/sciforge.api.md, `node esbuild.mjs --api-report`) is the
 * surface the build emits. Runs after the build (`npm test` builds first; the check re-emits the
 * declarations itself when a library source is newer).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, tempDir } from "../helpers/paths";

const LIB = join(ROOT, "kernel-helpers", "lib");
const REPORT = join(LIB, "sciforge.api.md");

function check(...extra: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "esbuild.mjs"), "--api-report", "--check", ...extra], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
  });
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** The names an index file's `export { … } from "…"` / `export type { … } from "…"` statements export, by module. */
function reexports(file: string): Map<string, string[]> {
  const byModule = new Map<string, string[]>();
  for (const m of readFileSync(file, "utf8").matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)";/gm)) {
    const names = m[1]
      .split(",")
      .map((n) => n.trim().replace(/^type\s+/, ""))
      .filter((n) => n !== "")
      .map((n) => n.split(/\s+as\s+/).pop()!);
    byModule.set(m[2], [...(byModule.get(m[2]) ?? []), ...names]);
  }
  return byModule;
}

test("no library file re-exports with `export *`: each index lists its names", () => {
  const star = sources(LIB).filter((f) => /^\s*export\s+\*/m.test(readFileSync(f, "utf8")));
  assert.deepEqual(star.map((f) => relative(ROOT, f)), []);
});

test("lib/index.ts re-exports exactly the names each area index lists", () => {
  const top = reexports(join(LIB, "index.ts"));
  const areas = [...top.keys()].filter((m) => existsSync(join(LIB, m, "index.ts")));
  assert.ok(areas.length >= 8, `areas re-exported from their index: ${areas.join(", ")}`);
  for (const area of areas) {
    const listed = [...reexports(join(LIB, area, "index.ts")).values()].flat().sort();
    assert.deepEqual([...(top.get(area) ?? [])].sort(), listed, `lib/index.ts re-exports of ${area}`);
  }
});

test("the committed API report is the library's public surface, and the check fails on a stale one", () => {
  const ok = check();
  assert.equal(ok.status, 0, `\`node esbuild.mjs --api-report --check\` failed:\n${ok.stdout}\n${ok.stderr}`);
  assert.match(ok.stdout, /is the public API of "sciforge"/);

  // an altered copy (a name renamed, a line added), never the repository's file
  const dir = tempDir("sciforge-api-report-");
  try {
    const report = readFileSync(REPORT, "utf8");
    assert.match(report, /^export function accuracyScore\(/m);
    const altered = report.replace(/^export function accuracyScore\(/m, "export function accuracyScoreRenamed(") + "\n// stale\n";
    writeFileSync(join(dir, "sciforge.api.md"), altered);
    const stale = check("--report-folder", dir);
    assert.equal(stale.status, 1, `a stale report passed the check:\n${stale.stdout}\n${stale.stderr}`);
    assert.match(stale.stderr, /The public API of "sciforge" is not the one in/);
    assert.match(stale.stderr, /^- export function accuracyScoreRenamed\(/m);
    assert.match(stale.stderr, /^\+ export function accuracyScore\(/m);
    assert.match(stale.stderr, /run `node esbuild\.mjs --api-report`/);
    assert.equal(readFileSync(REPORT, "utf8"), report, "the check leaves the committed report alone");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
