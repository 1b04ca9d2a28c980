/**
 * Interrupting training in the real kernel: fit stops at a batch edge, the cell still ends
 * normally so `history` is assigned, and the model keeps what it learned.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { LocalKernel } from "../../../extension/jupyter/launcher";
import { isMessageType } from "../../../kernel-helpers/protocol/messages";
import { run, startKernel } from "../../helpers/kernel";
import { DATA } from "../../helpers/paths";

describe("kernel: interrupting fit", () => {
  let k: LocalKernel;
  before(async () => {
    k = await startKernel();
  });
  after(async () => {
    await k?.shutdown();
  });

  test("a kernel interrupt stops fit at a batch edge; history and model stay usable", async () => {
    const d = join(DATA, "fashion-mnist");
    const setup = await run(
      k,
      `import { backend, loadIdx, buildVGG, fit, tfjs } from "sciforge";
await backend.use("auto", { display: false });
const train = loadIdx(${JSON.stringify(join(d, "train-images-idx3-ubyte.gz"))}, ${JSON.stringify(join(d, "train-labels-idx1-ubyte.gz"))}, { limit: 2000 });
const model = buildVGG({ inputShape: [28, 28, 1], numClasses: 10, blocks: [[8], [16]], dense: [32], seed: 3 });`,
    );
    assert.equal(setup.reply.status, "ok", JSON.stringify(setup.of("error")));
    // Interrupt once the first epoch has ended (however long that takes on a loaded machine), mid-way through a later one.
    let epochEnded!: () => void;
    const firstEpoch = new Promise<void>((resolve) => (epochEnded = resolve));
    const training = run(
      k,
      `const history = await fit(model, train.x, train.y, { epochs: 100, batchSize: 32, seed: 3, progress: false,
  callbacks: [{ onEpochEnd: (epoch) => console.log("epoch-end " + epoch) }] });
history.stopped`,
      { onOutput: (m) => (isMessageType(m, "stream") && /epoch-end/.test(m.content.text) ? epochEnded() : undefined) },
    );
    await firstEpoch;
    await new Promise((r) => setTimeout(r, 500));
    await k.interrupt();
    const r = await training;
    assert.equal(r.reply.status, "ok", JSON.stringify(r.of("error")));
    assert.match(r.of("execute_result")[0].data["text/plain"], /interrupt/);
    const h = await run(k, "[history.batchesSeen > 0, history.batchesSeen < 100 * 63, history.history.loss.length < 100]");
    assert.equal(h.reply.status, "ok", JSON.stringify(h.of("error")));
    assert.equal(h.of("execute_result")[0].data["text/plain"], "[ true, true, true ]");
    const p = await run(k, "(model.predict(tfjs().slice(train.x, 0, 4)) as any).shape");
    assert.equal(p.of("execute_result")[0].data["text/plain"], "[ 4, 10 ]");
  });
});
