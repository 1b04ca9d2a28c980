/** Paths and tools the specs share. */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

export const ROOT = join(__dirname, "..", "..");
export const DIST = join(ROOT, "dist");
export const CLI = join(DIST, "cli.js");
export const FIXTURES = join(ROOT, "test", "fixtures");
/** Real data sets shipped with the case studies (see notebooks/data/PROVENANCE.md). */
export const DATA = join(ROOT, "notebooks", "data");
/** Debian's Python, which has jupyter_client, nbclient, nbconvert, nbformat, scikit-learn. */
export const PY = "/usr/bin/python3";

export function tempDir(prefix = "sciforge-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function requireBuilt(): void {
  if (!existsSync(join(DIST, "kernel.js")) || !existsSync(CLI)) {
    throw new Error("dist/ is missing: run `npm run build` (npm test builds first)");
  }
}

/** True when Debian's Python has the given modules (the suite needs them; CI installs them). */
export function pythonHas(...modules: string[]): boolean {
  const r = spawnSync(PY, ["-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8" });
  return r.status === 0;
}
