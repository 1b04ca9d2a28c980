/**
 * `paths` entries that name the packages shipped with Sciforge for a notebook folder that does not
 * have them. Resolution already falls back to those packages (host.ts), but TypeScript writes a
 * cell's declarations only with types it can name by a portable module specifier: without these
 * entries, a variable typed by a bundled package (a Polars DataFrame, a tfjs Tensor) in a folder
 * outside the installation failed declaration emit (TS2742), and every name of that cell was lost
 * to the later cells. A package the folder has (its own node_modules, or one above) gets no entry:
 * the folder's copy stays first.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";

function packageNames(nodeModules: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    if (e.startsWith(".")) return [];
    if (!e.startsWith("@")) return [e];
    try {
      return readdirSync(join(nodeModules, e)).map((s) => `${e}/${s}`);
    } catch {
      return [];
    }
  });
}

function inFolderChain(folder: string, name: string, bundledNodeModules: string): boolean {
  for (let dir = folder; ; dir = dirname(dir)) {
    const nm = join(dir, "node_modules");
    if (nm !== bundledNodeModules && existsSync(join(nm, name, "package.json"))) return true;
    if (nm === bundledNodeModules) return true; // the notebook sits inside the installation: plain resolution finds them
    if (dirname(dir) === dir) return false;
  }
}

/** The entries for `paths`, by absolute path (no baseUrl needed). */
export function bundledPaths(folder: string, bundledNodeModules: string): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const name of packageNames(bundledNodeModules)) {
    if (name === "@types" || name.startsWith("@types/") || inFolderChain(folder, name, bundledNodeModules)) continue;
    const dir = join(bundledNodeModules, name);
    paths[name] = [dir];
    paths[`${name}/*`] = [`${dir}/*`];
  }
  return paths;
}
