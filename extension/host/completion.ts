/** Completions and hovers in notebook cells, answered by the notebook's running kernel. */
import * as vscode from "vscode";
import type { KernelSessions } from "./kernel-session";

const SELECTOR: vscode.DocumentSelector = { scheme: "vscode-notebook-cell", language: "typescript" };

function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === doc || c.document.uri.toString() === doc.uri.toString()));
}

export function registerLanguageFeatures(sessions: KernelSessions): vscode.Disposable[] {
  const completion = vscode.languages.registerCompletionItemProvider(
    SELECTOR,
    {
      async provideCompletionItems(doc, position) {
        const nb = notebookOf(doc);
        const s = nb && sessions.get(nb);
        if (!s) return undefined;
        const text = doc.getText();
        const r = await s.complete(text, doc.offsetAt(position)).catch(() => undefined);
        if (!r || r.status !== "ok") return undefined;
        const range = new vscode.Range(doc.positionAt(r.cursor_start), doc.positionAt(r.cursor_end));
        return r.matches.map((m, i) => {
          const item = new vscode.CompletionItem(m, vscode.CompletionItemKind.Variable);
          item.range = range;
          item.sortText = String(i).padStart(5, "0");
          return item;
        });
      },
    },
    ".",
  );
  const hover = vscode.languages.registerHoverProvider(SELECTOR, {
    async provideHover(doc, position) {
      const nb = notebookOf(doc);
      const s = nb && sessions.get(nb);
      if (!s) return undefined;
      const r = await s.inspect(doc.getText(), doc.offsetAt(position)).catch(() => undefined);
      if (!r || !r.found) return undefined;
      const md = r.data["text/markdown"];
      const plain = r.data["text/plain"];
      if (md) return new vscode.Hover(new vscode.MarkdownString(md));
      if (plain) return new vscode.Hover(new vscode.MarkdownString().appendCodeblock(plain.replace(/\u001b\[[\d;]*m/g, ""), "typescript"));
      return undefined;
    },
  });
  return [completion, hover];
}
