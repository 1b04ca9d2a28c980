/** What the deploy specs share: a scratch folder with a tracking database, and predictions made in a fresh process. */
import assert from "node:assert/strict";
import { after } from "node:test";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeTracking } from "../../kernel-helpers/lib/track/db";
import { ROOT, tempDir } from "./paths";

/**
 * A scratch folder and a tracking database (`runs.sqlite` in it) for one spec file; after the
 * file's tests the database is closed and the folder removed.
 */
export function deploySandbox(prefix: string): { dir: string; db: string } {
  const dir = tempDir(prefix);
  const db = join(dir, "runs.sqlite");
  after(() => {
    closeTracking(db);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, db };
}

/** The version and predictions that the bundle saved at `bundleDir` gives for `rows` when loaded in a fresh Node process. */
export function predictInFreshProcess(bundleDir: string, rows: unknown[]): { version: number; preds: unknown[] } {
  const scratch = tempDir("sciforge-predict-");
  try {
    const rowsFile = join(scratch, "rows.json");
    writeFileSync(rowsFile, JSON.stringify(rows));
    const child = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "test/fixtures/deploy/predict-bundle.ts"), bundleDir, rowsFile], { cwd: ROOT, encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout.trim().split("\n").pop()!);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
