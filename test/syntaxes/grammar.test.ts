// Grammar tests: the injection grammar for cell magics and tslab directives, checked with
// vscode-tmgrammar-test against VS Code's own TypeScript grammar (from the code-server that the
// e2e tools install; installed on first use).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../helpers/paths";
import { ensureTools } from "../e2e/tools-loader";

test("magics and JSDoc directives are tokenized (vscode-tmgrammar-test)", async () => {
  const tools = await ensureTools();
  const tsGrammar = join(tools.codeServer, "..", "..", "..", "lib", "vscode", "extensions", "typescript-basics", "syntaxes", "TypeScript.tmLanguage.json");
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "vscode-tmgrammar-test", "dist", "unit.js"), "-g", tsGrammar, "test/syntaxes/*.sfcell"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /magics\.sfcell run successfuly/);
  assert.match(out, /directives\.sfcell run successfuly/);
});
