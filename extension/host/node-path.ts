/**
 * Which Node runs the kernel: the sciforge.nodePath setting; else the Node running the extension
 * host when it is a plain Node (code-server, remote servers); else (desktop VS Code, Electron)
 * a `node` found on PATH, or Electron itself in Node mode. No `vscode` import: testable.
 */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface NodeChoice {
  path: string;
  env: Record<string, string>;
  why: string;
}

export function findOnPath(name: string, pathVar = process.env.PATH ?? ""): string | null {
  for (const dir of pathVar.split(delimiter).filter(Boolean)) {
    const p = join(dir, process.platform === "win32" ? `${name}.exe` : name);
    if (existsSync(p)) return p;
  }
  return null;
}

export function chooseNode(setting: string, versions: NodeJS.ProcessVersions = process.versions, execPath = process.execPath, pathVar?: string): NodeChoice {
  if (setting) {
    if (!existsSync(setting)) throw new Error(`sciforge.nodePath points at ${setting}, which does not exist`);
    return { path: setting, env: {}, why: "setting sciforge.nodePath" };
  }
  if (!versions.electron) return { path: execPath, env: {}, why: "the extension host's Node" };
  const onPath = findOnPath("node", pathVar);
  if (onPath) return { path: onPath, env: {}, why: "node on PATH" };
  return { path: execPath, env: { ELECTRON_RUN_AS_NODE: "1" }, why: "VS Code's Electron in Node mode" };
}
