/**
 * A private scratch folder for a notebook's files (bundles, tracking databases, exports) that
 * removes itself when the kernel exits, or earlier with `dispose()`. Made with mkdtemp (mode 0700):
 * nobody else on the machine can read what a notebook writes there.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A scratch folder; see {@link workDir}. */
export interface WorkDir {
  /** Its absolute path. */
  readonly path: string;
  /** A path inside it. */
  join(...parts: string[]): string;
  /** Removes it now (also done when the process exits). */
  dispose(): void;
  [Symbol.dispose](): void;
}

const open = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const p of open) rmSync(p, { recursive: true, force: true });
  open.clear();
}

/**
 * A fresh scratch folder under the OS temp folder, named `sciforge-<name>-XXXXXX`.
 * ```ts
 * const work = workDir("credit");
 * await saveBundle(bundle, work.join("credit-risk"));
 * ```
 */
export function workDir(name = "work"): WorkDir {
  if (!/^[\w.-]{1,64}$/.test(name)) throw new Error(`workDir: name "${name}" must be 1-64 letters, digits, '.', '_' or '-'`);
  const path = mkdtempSync(join(tmpdir(), `sciforge-${name}-`));
  open.add(path);
  if (!hooked) {
    hooked = true;
    process.once("exit", removeAll);
  }
  const dispose = () => {
    rmSync(path, { recursive: true, force: true });
    open.delete(path);
  };
  return { path, join: (...parts) => join(path, ...parts), dispose, [Symbol.dispose]: dispose };
}
