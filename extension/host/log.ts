/** The "Sciforge" output channel, optionally copied to a file (SCIFORGE_LOG_FILE; the e2e tests read it). */
import type * as vscode from "vscode";
import { appendFileSync } from "node:fs";

export function withFileCopy(channel: vscode.OutputChannel, file: string | undefined): vscode.OutputChannel {
  if (!file) return channel;
  const copy = (s: string) => {
    try {
      appendFileSync(file, `${new Date().toISOString()} ${s}\n`);
    } catch {
      // logging must never fail the extension
    }
  };
  return new Proxy(channel, {
    get(target, prop, receiver) {
      if (prop === "appendLine") return (s: string) => (copy(s), target.appendLine(s));
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
