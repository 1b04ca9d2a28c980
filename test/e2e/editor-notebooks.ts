/** Notebooks of the editor / renderer / restricted-mode e2e specs (small and fast; real data from notebooks/data). */
import { join } from "node:path";
import { DATA } from "../helpers/paths";
import { notebook } from "./notebooks";

/** HTML-looking strings put into data; each sets a different flag if it ever runs. */
export const XSS_PROFILE = '<img src=x onerror="window.__sciforgeXss=2">';
export const XSS_GRID = '<img src=x onerror="window.__sciforgeXss=3">';

/** Completions, hovers and cell tags: a setup cell, an untagged cell to tag, a scratch cell to type in. */
export const EDITOR = notebook([
  { cell_type: "markdown", source: "# Editor features backed by the kernel" },
  { cell_type: "code", source: `import * as sf from "sciforge";\nconst sfConfig = { learningRateXyz: 0.01, epochsXyz: 3 };\nconsole.log("config ready");` },
  { cell_type: "code", source: `console.log("tagged cell ran, epochs", sfConfig.epochsXyz);` },
  { cell_type: "code", source: "" },
  { cell_type: "code", source: `console.log("after the tagged cell: must not run for Train Model");` },
]);

const FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

/** The data-profile and image-grid renderers on real data (credit_data.csv, Fashion-MNIST). */
export const RENDERERS = notebook([
  { cell_type: "markdown", source: "# Data profile and image grid" },
  { cell_type: "code", source: `import { readCsv, profile, display, loadIdx, imageGrid, ensureBackend } from "sciforge";\nconst DATA = ${JSON.stringify(DATA)};\nconst credit = readCsv(DATA + "/credit_data.csv");\nconst creditProfile = display(profile(credit, { target: "Status" }));` },
  {
    cell_type: "code",
    source: `// A column name that looks like HTML must be shown as text.\nconst XSS = ${JSON.stringify(XSS_PROFILE)};\nconst xssProfile = display(profile(credit.select("Status", "Home").rename({ Home: XSS }), { target: XSS }));`,
  },
  {
    cell_type: "code",
    source: [
      `// 1-nearest-neighbour on 1,000 training images: real predictions, some right, some wrong.`,
      `await ensureBackend();`,
      `const D = ${JSON.stringify(join(DATA, "fashion-mnist"))} + "/";`,
      `const train = loadIdx(D + "train-images-idx3-ubyte.gz", D + "train-labels-idx1-ubyte.gz", { limit: 1000 });`,
      `const test = loadIdx(D + "t10k-images-idx3-ubyte.gz", D + "t10k-labels-idx1-ubyte.gz", { limit: 12 });`,
      `const xs = train.x.dataSync(), ys = train.y.dataSync(), ts = test.x.dataSync();`,
      `const actual = Array.from(test.y.dataSync());`,
      `const P = 28 * 28;`,
      `const predicted = actual.map((_, i) => {`,
      `  let best = -1, bestD = Infinity;`,
      `  for (let j = 0; j < ys.length; j++) {`,
      `    let d = 0;`,
      `    for (let k = 0; k < P; k++) { const e = ts[i * P + k] - xs[j * P + k]; d += e * e; }`,
      `    if (d < bestD) { bestD = d; best = ys[j]; }`,
      `  }`,
      `  return best;`,
      `});`,
      `// The Trouser label carries an HTML-looking suffix: captions must show it as text.`,
      `const classNames = ${JSON.stringify(FASHION_CLASSES)}.map((c) => c === "Trouser" ? c + " " + ${JSON.stringify(XSS_GRID)} : c);`,
      `const grid = display(await imageGrid(test.x, { predicted, actual, classNames, columns: 6, title: "Fashion-MNIST test, 1-NN" }));`,
      `console.log("grid right", predicted.filter((p, i) => p === actual[i]).length, "of", actual.length);`,
    ].join("\n"),
  },
]);

/** For restricted mode: nothing here may run until the folder is trusted. */
export const UNTRUSTED = notebook([
  { cell_type: "markdown", source: "# Opened in an untrusted folder" },
  { cell_type: "code", source: `console.log("ran after the folder was trusted");` },
  { cell_type: "code", source: `console.log("tagged train");`, tags: ["train"] },
]);
