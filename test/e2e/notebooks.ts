/** The small notebooks the e2e tests open (fast: no real network training). */
type Cell = { cell_type: "code" | "markdown"; source: string; tags?: string[] };

export function notebook(cells: Cell[]) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "sciforge", display_name: "TypeScript (Sciforge)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    cells: cells.map((c, i) => ({
      cell_type: c.cell_type,
      id: `c${i}`,
      metadata: c.tags ? { tags: c.tags } : {},
      source: c.source,
      ...(c.cell_type === "code" ? { execution_count: null, outputs: [] } : {}),
    })),
  };
}

const md = (source: string): Cell => ({ cell_type: "markdown", source });
const code = (source: string, tags?: string[]): Cell => ({ cell_type: "code", source, tags });

/** A fake training loop showing the live training monitor (MIME.training, updated by display_id). */
const TRAIN_LOOP = `const history: { epoch: number; loss: number; acc: number; val_loss: number; seconds: number; samplesPerSec: number }[] = [];
const progress = (status: string, epoch: number, batch: number) => bundle({
  [MIME.training]: { status, epoch, epochs: EPOCHS, batch, batchesPerEpoch: 4, logs: { loss: 1 / (epoch + 1) }, history, samplesPerSec: 512, etaSeconds: EPOCHS - epoch, elapsedSeconds: epoch, backend: "cpu" },
  "text/plain": \`training \${status} epoch \${epoch}/\${EPOCHS}\`,
});
const monitor = display(progress("running", 1, 0));
const curves = await showTrainingCurves({ loss: [1.2], val_loss: [1.3], acc: [0.4] });
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  for (let b = 1; b <= 4; b++) {
    await new Promise((r) => setTimeout(r, 40));
    monitor.update(progress("running", epoch, b));
  }
  history.push({ epoch, loss: 1 / (epoch + 1), val_loss: 1.1 / (epoch + 1), acc: 0.5 + epoch / 20, seconds: 0.16, samplesPerSec: 512 });
  await curves.update({ loss: history.map((h) => h.loss), val_loss: history.map((h) => h.val_loss), acc: history.map((h) => h.acc) });
}
monitor.update(progress("done", EPOCHS, 4));
console.log("trained", EPOCHS, "epochs");`;

export const DEMO = notebook([
  md("# Sciforge e2e demo"),
  code(`import { display, bundle, MIME, showTrainingCurves, plotTrainingCurves, evaluate } from "sciforge";\nconst answer: number = 6 * 7;\nconsole.log("typed answer", answer);`),
  code(`const fig = await plotTrainingCurves({ loss: [1, 0.6, 0.4, 0.3], val_loss: [1.1, 0.7, 0.5, 0.45] }, { static: false });\nconst shown = display(fig);`),
  code(`const EPOCHS = 3;\n${TRAIN_LOOP}`),
  code(`// A label that looks like HTML must be shown as text by the renderer.\nconst xssReport = display(await evaluate(["a", "b", "a", "b", "a"], ["a", "b", "b", "b", "a"], { targetNames: ["<img src=x onerror=\\"window.__sciforgeXss=1\\">", "plain"], static: false }));`),
]);

export const MODEL = notebook([
  md("# Small model: train and evaluate by tags"),
  code(`import { display, bundle, MIME, showTrainingCurves, evaluate, classificationReport } from "sciforge";\nconst EPOCHS = 4;\nconst classes = ["cat", "dog", "bird"];\nconsole.log("setup ran");`),
  code(TRAIN_LOOP, ["train"]),
  code(`const yTrue = ["cat", "dog", "bird", "cat", "dog", "bird", "cat", "dog"];\nconst yPred = ["cat", "dog", "bird", "dog", "dog", "bird", "cat", "cat"];\nconsole.log(classificationReport(yTrue, yPred));\nconst report = display(await evaluate(yTrue, yPred, { static: false }));`, ["evaluate"]),
  code(`console.log("after the tagged cells: must not run for Train Model");`),
]);

export const LONG = notebook([
  md("# A long training cell (interrupt / restart / kill)"),
  code(`import { interruptRequested } from "sciforge";\nlet steps = 0;\nfor (let i = 0; i < 600 && !interruptRequested(); i++) {\n  steps++;\n  if (i % 5 === 0) console.log("step", i);\n  await new Promise((r) => setTimeout(r, 100));\n}\nconsole.log("finished", steps);`),
  code(`console.log("kernel alive, pid", process.pid);`),
]);
