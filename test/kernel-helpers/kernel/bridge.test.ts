/**
 * The kernel bridge's typed side channels, through a real kernel: the running cell (what run
 * tracking records) and the hooks the library lends the kernel (`%backend`'s switcher), also when
 * no cell has loaded the library yet.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { LocalKernel } from "../../../extension/jupyter/launcher";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { run, startKernel } from "../../helpers/kernel";
import { tempDir } from "../../helpers/paths";

describe("kernel: the bridge carries the running cell and the library's hooks", () => {
  let k: LocalKernel;
  before(async () => {
    k = await startKernel();
  });
  after(async () => {
    await k?.shutdown();
  });

  test("%backend in the first cell loads the library and switches through its hook", async () => {
    const r = await run(k, "%backend cpu\n1");
    assert.equal(r.reply.status, "ok", JSON.stringify(r.of("error")));
    const reports = r.of("display_data").filter((c) => (c.data as Record<string, unknown>)[MIME.backend]);
    assert.equal(reports.length, 1, "the ladder's report");
    assert.equal((reports[0].data as Record<string, { chosen: string }>)[MIME.backend].chosen, "cpu");
    const bad = await run(k, "%backend nosuch\n1");
    assert.equal(bad.reply.status, "error");
  });

  test("currentCell() is the running cell; a tracked run records its label", async () => {
    const db = join(tempDir(), "runs.db");
    const r = await run(k, `import { currentCell, startRun } from "sciforge";\nconst tracked = startRun({ db: ${JSON.stringify(db)}, heartbeatMs: 0 });\nconst row = tracked.db.prepare("SELECT cell FROM runs WHERE id = ?").get(tracked.id) as { cell: string };\ntracked.finish();\n[currentCell()?.label, currentCell()?.executionCount, row.cell]`);
    assert.equal(r.reply.status, "ok", JSON.stringify(r.of("error")));
    const n = r.executionCount;
    assert.equal(r.of("execute_result")[0].data["text/plain"], `[ 'cell[${n}]', ${n}, 'cell[${n}]' ]`);
  });
});
