// Shared helpers for the data-area tests (not a spec file).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = process.env.SCIFORGE_ROOT ?? join(__dirname, "..", "..", "..");
export const CREDIT = join(ROOT, "notebooks", "data", "credit_data.csv");
export const GOLDEN_PATH = join(ROOT, "test", "fixtures", "data", "data_golden.json");

/** Asserts |a − b| ≤ tol·max(1, |b|) element-wise, with a message naming the place. */
export function assertClose(actual: number | null | undefined, expected: number | null | undefined, what: string, tol = 1e-9): void {
  if (expected === null || expected === undefined) {
    assert.ok(actual === null || actual === undefined || Number.isNaN(actual), `${what}: expected missing, got ${actual}`);
    return;
  }
  assert.ok(typeof actual === "number", `${what}: expected ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: expected ${expected}, got ${actual}`);
}

export function assertAllClose(actual: ArrayLike<number | null>, expected: ArrayLike<number | null>, what: string, tol = 1e-9): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], `${what}[${i}]`, tol);
}

const tempDirs: string[] = [];
process.on("exit", () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder holding the given files (removed when the test process exits); returns paths by name. */
export function tempFiles(files: Record<string, string | Buffer>): Record<string, string> & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "sciforge-data-"));
  tempDirs.push(dir);
  const out: Record<string, string> = { dir };
  for (const [name, body] of Object.entries(files)) {
    const p = join(dir, name);
    writeFileSync(p, body);
    out[name] = p;
  }
  return out as Record<string, string> & { dir: string };
}
