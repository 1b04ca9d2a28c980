/**
 * The public surface of "sciforge" changes only on purpose (issue #19): every area index lists its
 * names (no `export *` inside an area), lib/index.ts re-exports whole areas only, and the
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

test("each area's index lists its names (no `export *` inside an area); lib/index.ts only re-exports whole areas", () => {
  const star = sources(LIB).filter((f) => f !== join(LIB, "index.ts") && /^\s*export\s+\*/m.test(readFileSync(f, "utf8")));
  assert.deepEqual(star.map((f) => relative(ROOT, f)), []);
  const lines = readFileSync(join(LIB, "index.ts"), "utf8").split("\n").filter((l) => /^\s*export\b/.test(l));
  const areas = lines.map((l) => /^export \* from "\.\/([\w-]+)";$/.exec(l)?.[1]);
  assert.ok(areas.every((a) => a !== undefined), `lib/index.ts: only \`export * from "./<area>"\` lines, got:\n${lines.join("\n")}`);
  for (const a of areas) assert.ok(existsSync(join(LIB, a!, "index.ts")), `lib/index.ts re-exports "${a}", which has no index.ts`);
  const folders = readdirSync(LIB).filter((d) => existsSync(join(LIB, d, "index.ts")));
  assert.deepEqual([...areas].sort(), folders.sort(), "every area with an index is re-exported");
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
