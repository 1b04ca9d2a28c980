/**
 * A notebook in any folder (no node_modules of its own) can import the sciforge library and
 * the packages that ship with Sciforge, fully typed; local .ts files compile on import.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LocalKernel } from "../../../extension/jupyter/launcher";
import { run, startKernel } from "../../helpers/kernel";
import { tempDir } from "../../helpers/paths";

describe("module resolution for notebooks", () => {
  let k: LocalKernel;
  let dir: string;
  before(async () => {
    dir = tempDir("sciforge-folder-");
    writeFileSync(join(dir, "util.ts"), "export function twice(n: number): number { return 2 * n; }\n");
    // The folder's own package, and a "sciforge" of its own that must not win over the bundled library.
    for (const [name, dts, js] of [
      ["own-pkg", "export declare function own(): string;\n", "exports.own = () => 'own';\n"],
      ["sciforge", "export declare const impostor: true;\n", "exports.impostor = true;\n"],
    ]) {
      mkdirSync(join(dir, "node_modules", name), { recursive: true });
      writeFileSync(join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, main: "index.js", types: "index.d.ts" }));
      writeFileSync(join(dir, "node_modules", name, "index.d.ts"), dts);
      writeFileSync(join(dir, "node_modules", name, "index.js"), js);
    }
    k = await startKernel(dir);
  });
  after(async () => {
    await k?.shutdown();
  });

  test("a bundled package is typed and runs from a folder without node_modules", async () => {
    const ok = await run(k, 'import { marked } from "marked";\nmarked.parse("# T", { async: false })');
    assert.equal(ok.reply.status, "ok", JSON.stringify(ok.of("error")));
    assert.equal(ok.of("execute_result")[0].data["text/plain"], "'<h1>T</h1>\\n'");
    const typed = await run(k, 'import { marked } from "marked";\nconst n: number = marked.parse("x", { async: false });');
    assert.match(typed.of("error")[0].evalue, /TS2322: Type 'string' is not assignable to type 'number'/);
  });

  test("a variable typed by a bundled package (a Polars DataFrame) carries over to later cells from a folder without it", async () => {
    // TypeScript writes a cell's declarations only with types it can name portably: before, the
    // DataFrame's type could not be named from this folder (TS2742) and the whole cell's names were lost.
    const first = await run(k, 'import { pl } from "sciforge";\nconst frame = pl.DataFrame({ n: [1, 2, 3] });\nconst three = 3;');
    assert.equal(first.reply.status, "ok", JSON.stringify(first.of("error")));
    const next = await run(k, "frame.height + three");
    assert.equal(next.reply.status, "ok", JSON.stringify(next.of("error")));
    assert.equal(next.of("execute_result")[0].data["text/plain"], "6");
  });

  test("local .ts modules are compiled and imported", async () => {
    const r = await run(k, 'import { twice } from "./util";\ntwice(21)');
    assert.equal(r.of("execute_result")[0].data["text/plain"], "42");
  });

  test("a Polars DataFrame as a cell's value shows as a rich table, also when made with nodejs-polars directly", async () => {
    const r = await run(k, 'import pl from "nodejs-polars";\npl.DataFrame({ name: ["<b>x</b>", "y"], n: [1, 2] })');
    assert.equal(r.reply.status, "ok", JSON.stringify(r.of("error")));
    const data = r.of("execute_result")[0].data;
    assert.match(data["text/html"], /<table>.*<th title="String">name<br><small>String<\/small><\/th>/);
    assert.match(data["text/html"], /<td>&lt;b&gt;x&lt;\/b&gt;<\/td>/, "cell text is escaped");
    assert.match(data["text/plain"], /^name \(String\)\s+n \(Float64\)/);
  });

  test("the folder's own packages come first, but sciforge is always the bundled library", async () => {
    const own = await run(k, 'import { own } from "own-pkg";\nconst s: string = own();\ns');
    assert.equal(own.of("execute_result")[0]?.data["text/plain"], "'own'", JSON.stringify(own.of("error")));
    const lib = await run(k, 'import * as sf from "sciforge";\ntypeof sf.display');
    assert.equal(lib.of("execute_result")[0]?.data["text/plain"], "'function'", JSON.stringify(lib.of("error")));
  });

  test("an unknown package is a clear type error", async () => {
    const r = await run(k, 'import { x } from "no-such-package-here";');
    assert.match(r.of("error")[0].evalue, /TS2307: Cannot find module 'no-such-package-here'/);
  });
});
