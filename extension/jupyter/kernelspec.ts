/**
 * Kernelspecs: where Jupyter looks for them, listing them, and installing Sciforge's own
 * (a kernel.json written directly — no Python or `jupyter kernelspec` needed).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, copyFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export const KERNEL_NAME = "sciforge";
export const DISPLAY_NAME = "TypeScript (Sciforge)";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: "signal" | "message";
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

export interface FoundKernelSpec {
  name: string;
  dir: string;
  spec: KernelSpec;
}

/** Jupyter's user data folder ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter on Linux). */
export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(process.env.APPDATA ?? homedir(), "jupyter");
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter");
}

/** Data folders in Jupyter's search order: JUPYTER_PATH, user, then system prefixes. */
export function jupyterDataDirs(): string[] {
  const fromEnv = (process.env.JUPYTER_PATH ?? "").split(delimiter).filter(Boolean);
  const system = process.platform === "win32" ? [join(process.env.PROGRAMDATA ?? "C:\\ProgramData", "jupyter")] : ["/usr/local/share/jupyter", "/usr/share/jupyter"];
  return [...fromEnv, userDataDir(), ...system];
}

export function findKernelSpecs(dirs = jupyterDataDirs()): Map<string, FoundKernelSpec> {
  const found = new Map<string, FoundKernelSpec>();
  for (const base of dirs) {
    const kdir = join(base, "kernels");
    if (!existsSync(kdir)) continue;
    for (const name of readdirSync(kdir)) {
      const dir = join(kdir, name);
      const file = join(dir, "kernel.json");
      if (found.has(name.toLowerCase()) || !existsSync(file)) continue;
      try {
        found.set(name.toLowerCase(), { name, dir, spec: JSON.parse(readFileSync(file, "utf8")) });
      } catch {
        // An unreadable kernelspec of another kernel must not hide the others.
      }
    }
  }
  return found;
}

export function findKernelSpec(name: string): FoundKernelSpec {
  const all = findKernelSpecs();
  const spec = all.get(name.toLowerCase());
  if (!spec) {
    const known = [...all.keys()].join(", ") || "none";
    throw new Error(`no kernelspec named "${name}" (found: ${known}); run \`sciforge kernel install\``);
  }
  return spec;
}

/**
 * The kernelspec that starts this installation's kernel (dist/kernel.js) with this Node. Windows
 * has no SIGINT to send to another process: there the front end interrupts with a control message
 * (the kernel takes both everywhere).
 */
export function sciforgeKernelSpec(distDir: string, nodePath = process.execPath, platform: NodeJS.Platform = process.platform): KernelSpec {
  return {
    argv: [nodePath, join(resolve(distDir), "kernel.js"), "--connection-file", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: platform === "win32" ? "message" : "signal",
    metadata: { sciforge: { dist: resolve(distDir) } },
  };
}

export interface InstallOptions {
  /** Install under PREFIX/share/jupyter (for a server image or a virtual environment). */
  prefix?: string;
  /** Install into an explicit data folder (tests). Default: the user data folder. */
  dataDir?: string;
  name?: string;
  distDir: string;
  nodePath?: string;
}

/** Writes kernels/<name>/kernel.json atomically and returns the kernelspec folder. */
export function installKernelSpec(o: InstallOptions): string {
  const base = o.dataDir ?? (o.prefix ? join(resolve(o.prefix), "share", "jupyter") : userDataDir());
  const dir = join(base, "kernels", o.name ?? KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  const spec = sciforgeKernelSpec(o.distDir, o.nodePath);
  const tmp = join(dir, `.kernel.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(spec, null, 2) + "\n");
  renameSync(tmp, join(dir, "kernel.json"));
  // Jupyter front ends show these beside the kernel's name (made from media/icon.png with sharp).
  for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    const src = join(o.distDir, "..", "media", logo);
    if (existsSync(src)) copyFileSync(src, join(dir, logo));
  }
  return dir;
}
