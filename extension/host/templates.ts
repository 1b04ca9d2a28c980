/** The template notebooks of "New Case Study" (extension/templates/*.ipynb). No `vscode` import. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Template {
  file: string;
  name: string;
  description: string;
}

export function listTemplates(dir: string): Template[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => {
      const nb = JSON.parse(readFileSync(join(dir, f), "utf8")) as { metadata?: { sciforge?: { title?: string; description?: string } } };
      return { file: join(dir, f), name: nb.metadata?.sciforge?.title ?? f.replace(/\.ipynb$/, ""), description: nb.metadata?.sciforge?.description ?? "" };
    });
}

export function uniqueName(dir: string, base: string): string {
  for (let i = 0; ; i++) {
    const name = `${base}${i ? `-${i + 1}` : ""}.ipynb`;
    if (!existsSync(join(dir, name))) return join(dir, name);
  }
}

