/**
 * Per-user folders of the kernel: a cache (compile caches, the startup snapshot) and a data folder
 * (the input history). Like the XDG base directories on Linux, with the usual places elsewhere;
 * `SCIFORGE_CACHE_DIR` / `SCIFORGE_DATA_DIR` override them (tests use temp folders).
 */
import { homedir } from "node:os";
import { join } from "node:path";

export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SCIFORGE_CACHE_DIR) return env.SCIFORGE_CACHE_DIR;
  const home = env.HOME || homedir();
  if (process.platform === "darwin") return join(home, "Library", "Caches", "sciforge");
  if (process.platform === "win32") return join(env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "sciforge", "Cache");
  return join(env.XDG_CACHE_HOME || join(home, ".cache"), "sciforge");
}

export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SCIFORGE_DATA_DIR) return env.SCIFORGE_DATA_DIR;
  const home = env.HOME || homedir();
  if (process.platform === "darwin") return join(home, "Library", "Application Support", "sciforge");
  if (process.platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "sciforge");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "sciforge");
}
