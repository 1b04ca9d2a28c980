/** Typed access to tools.mjs (an ES module so CI can run it directly with `node`). */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface E2eTools {
  node: string;
  nodeDir: string;
  codeServer: string;
  chromium: string;
}

export async function ensureTools(): Promise<E2eTools> {
  const mod = (await import(pathToFileURL(join(__dirname, "tools.mjs")).href)) as { ensureTools(): E2eTools };
  return mod.ensureTools();
}
