import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { useBackend } from "../../../kernel-helpers/lib/train/backend/ladder";
import { loadIdx, parseIdx } from "../../../kernel-helpers/lib/train/images/idx";
import { loadCifar10, CIFAR10_CLASSES } from "../../../kernel-helpers/lib/train/images/cifar";
import { loadImageFolder } from "../../../kernel-helpers/lib/train/images/folder";
import { augment } from "../../../kernel-helpers/lib/train/images/augment";
import { checkImages, imageRows, ImageCheck } from "../../../kernel-helpers/lib/train/images/check";
import { makeImageSet } from "../../../kernel-helpers/lib/train/images/dataset";
import { REPR } from "../../../kernel-helpers/lib/display/display";
import { seededRandom } from "../../../kernel-helpers/lib/train/fit/random";
import { DATA } from "../../helpers/paths";

function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

test("IDX files load gzipped or plain, with normalisation and limit", async () => {
  await useBackend("wasm", { display: false });
  const dir = mkdtempSync(join(tmpdir(), "sciforge-idx-"));
  const pixels = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
  writeFileSync(join(dir, "img.gz"), gzipSync(idx([3, 2, 2], pixels)));
  writeFileSync(join(dir, "lab"), idx([3], Uint8Array.from([7, 1, 9])));
  const set = loadIdx(join(dir, "img.gz"), join(dir, "lab"));
  assert.deepEqual(set.x.shape, [3, 2, 2, 1]);
  assert.deepEqual(Array.from(set.y.dataSync()), [7, 1, 9]);
  assert.ok(Math.abs(set.x.dataSync()[5] - 100 / 255) < 1e-6);
  const std = loadIdx(join(dir, "img.gz"), join(dir, "lab"), { mean: [0.5], std: [0.25], limit: 2 });
  assert.deepEqual(std.x.shape, [2, 2, 2, 1]);
  assert.ok(Math.abs(std.x.dataSync()[1] - (20 / 255 - 0.5) / 0.25) < 1e-5);
  assert.throws(() => parseIdx(Uint8Array.from([1, 2, 3, 4])), /bad magic/);
  // The shared Fashion-MNIST subset parses.
  const f = join(DATA, "fashion-mnist", "t10k-labels-idx1-ubyte.gz");
  const labels = parseIdx(require("node:zlib").gunzipSync(require("node:fs").readFileSync(f)));
  assert.equal(labels.dims[0], 2000);
});

test("CIFAR-10 binary records (written here) load as HWC with class names", async () => {
  await useBackend("wasm", { display: false });
  const dir = mkdtempSync(join(tmpdir(), "sciforge-cifar-"));
  const rec = (label: number, r: number, g: number, b: number) => {
    const out = Buffer.alloc(3073);
    out[0] = label;
    out.fill(r, 1, 1025);
    out.fill(g, 1025, 2049);
    out.fill(b, 2049, 3073);
    out[1 + 33] = 255; // red plane, row 1, column 1
    return out;
  };
  writeFileSync(join(dir, "data_batch_1.bin"), Buffer.concat([rec(3, 10, 20, 30), rec(9, 0, 0, 255)]));
  writeFileSync(join(dir, "test_batch.bin"), rec(0, 1, 2, 3));
  const set = loadCifar10([join(dir, "data_batch_1.bin"), join(dir, "test_batch.bin")], { scale: false });
  assert.deepEqual(set.x.shape, [3, 32, 32, 3]);
  assert.deepEqual(Array.from(set.y.dataSync()), [3, 9, 0]);
  assert.equal(set.classNames, CIFAR10_CLASSES);
  const x = set.x.dataSync();
  assert.deepEqual(Array.from(x.slice(0, 3)), [10, 20, 30]);
  assert.deepEqual(Array.from(x.slice((32 + 1) * 3, (32 + 1) * 3 + 3)), [255, 20, 30]);
  assert.deepEqual(Array.from(x.slice(3072, 3075)), [0, 0, 255]);
  writeFileSync(join(dir, "bad.bin"), Buffer.alloc(100));
  assert.throws(() => loadCifar10(join(dir, "bad.bin")), /multiple of the 3073-byte record/);
});

test("folders of PNG/JPEG images load through sharp, resized, one class per folder", async () => {
  await useBackend("wasm", { display: false });
  const sharp = require("sharp");
  const root = mkdtempSync(join(tmpdir(), "sciforge-folder-"));
  for (const [cls, colour] of [["cat", { r: 255, g: 0, b: 0 }], ["dog", { r: 0, g: 0, b: 255 }]] as const) {
    mkdirSync(join(root, cls));
    await sharp({ create: { width: 20, height: 10, channels: 3, background: colour } }).png().toFile(join(root, cls, "a.png"));
    await sharp({ create: { width: 8, height: 8, channels: 4, background: { ...colour, alpha: 1 } } }).jpeg().toFile(join(root, cls, "b.jpg"));
  }
  writeFileSync(join(root, "cat", "notes.txt"), "not an image");
  const set = await loadImageFolder(root, { size: [6, 6] });
  assert.deepEqual(set.classNames, ["cat", "dog"]);
  assert.deepEqual(set.x.shape, [4, 6, 6, 3]);
  assert.deepEqual(Array.from(set.y.dataSync()), [0, 0, 1, 1]);
  const px = set.x.dataSync();
  assert.ok(px[0] > 0.95 && px[2] < 0.05, "cat is red");
  assert.ok(px[2 * 108 + 2] > 0.95 && px[2 * 108] < 0.05, "dog is blue");
  const grey = await loadImageFolder(root, { size: [4, 4], channels: 1 });
  assert.deepEqual(grey.x.shape, [4, 4, 4, 1]);
});

test("augmentation: flip mirrors rows, shift moves pixels and fills, both seeded", () => {
  const shape = [2, 2, 3, 1] as const;
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
  augment.flip(1)(data, shape, seededRandom(1));
  assert.deepEqual(Array.from(data), [3, 2, 1, 6, 5, 4, 3, 2, 1, 6, 5, 4]);
  const img = Float32Array.from({ length: 16 }, (_, i) => i + 1);
  augment.shift(1)(img, [1, 4, 4, 1], () => 0.99); // dx = dy = +1
  assert.deepEqual(Array.from(img), [0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11]);
  const a = Float32Array.from({ length: 64 }, (_, i) => i);
  const b = a.slice();
  const aug = augment.compose(augment.flip(), augment.shift(2));
  aug(a, [4, 4, 4, 1], seededRandom(5));
  aug(b, [4, 4, 4, 1], seededRandom(5));
  assert.deepEqual(a, b);
});

test("loadIdx works before any backend is chosen; fit then trains on the ladder's choice, not the stand-in cpu", async () => {
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "fixtures", "train", "load-before-backend.ts")], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.equal(out.loadedOn, "cpu");
  assert.equal(out.trainedOn, "wasm");
  assert.ok(Number.isFinite(out.loss));
});

test("checkImages: checks labels and pixels, drops blank, duplicate and test-set images from training only", async () => {
  await useBackend("wasm", { display: false });
  const img = (v: number) => Array.from({ length: 4 }, (_, i) => (v + i) % 256);
  // Training: 0 ok, 1 blank, 2 = copy of 0, 3 = the test set's image 0, 4 ok.
  const trainPx = Uint8Array.from([...img(10), 0, 0, 0, 0, ...img(10), ...img(50), ...img(90)]);
  const train = makeImageSet(trainPx, [5, 2, 2, 1], [0, 1, 0, 2, 1]);
  const test = makeImageSet(Uint8Array.from([...img(50), ...img(120)]), [2, 2, 2, 1], [2, 1]);
  const checked = checkImages(train, { numClasses: 3, test });
  assert.ok(checked instanceof ImageCheck);
  assert.deepEqual(checked.kept, [0, 4]);
  assert.deepEqual(checked.dropped, { duplicate: 1, inTestSet: 1, blank: 1 });
  assert.deepEqual(checked.trainLabels, [0, 1]);
  assert.deepEqual(checked.testLabels, [2, 1]);
  assert.deepEqual(checked.train.x.shape, [2, 2, 2, 1]);
  assert.deepEqual(Array.from(checked.train.y.dataSync()), [0, 1]);
  assert.deepEqual(checked.pixelRange, [0, Math.fround(123 / 255)]);
  assert.match(String(checked[REPR]()["text/plain"]), /^Image check: 5 training \+ 2 test images, labels 0–2, .*dropped from training: 1 blank, 1 duplicate, 1 also in the test set; 2 kept$/);
  // Nothing to drop: the input set itself comes back.
  assert.equal(checkImages(test, { numClasses: 3 }).train, test);
  // Bad labels and pixels are errors, not silently dropped.
  assert.throws(() => checkImages(makeImageSet(trainPx.slice(0, 4), [1, 2, 2, 1], [3]), { numClasses: 3 }), /train label 0 is 3, not a class index 0–2/);
  assert.throws(() => checkImages(makeImageSet(trainPx.slice(0, 4), [1, 2, 2, 1], [0], { scale: false }), { numClasses: 3 }), /outside \[0, 1\]/);
  // imageRows: back to the 0–255 pixels, row-major, for the picked images.
  assert.deepEqual(imageRows(test.x, [1, 0]), [img(120), img(50)]);
  assert.deepEqual(imageRows(test.x, [0], { scale: 1, round: false })[0].map((v) => +v.toFixed(4)), img(50).map((v) => +(v / 255).toFixed(4)));
});

test("augment.preview: the first images above one seeded augmentation of each, the input untouched", async () => {
  await useBackend("wasm", { display: false });
  const px = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 10);
  const set = makeImageSet(px, [3, 2, 3, 1], [0, 1, 2], { scale: false });
  const before = Array.from(set.x.dataSync());
  const p = augment.preview(augment.flip(1), set.x, { count: 2, seed: 3 });
  assert.deepEqual(p.shape, [4, 2, 3, 1]);
  assert.deepEqual(Array.from(p.data.subarray(0, 12)), before.slice(0, 12));
  assert.deepEqual(Array.from(p.data.subarray(12)), [20, 10, 0, 50, 40, 30, 80, 70, 60, 110, 100, 90]);
  assert.deepEqual(Array.from(set.x.dataSync()), before);
  const again = augment.preview(augment.compose(augment.flip(), augment.shift(1)), set.x, { seed: 7 });
  assert.deepEqual(again.shape, [6, 2, 3, 1], "count defaults to 8, capped at the images there are");
  assert.deepEqual(again.data, augment.preview(augment.compose(augment.flip(), augment.shift(1)), set.x, { seed: 7 }).data, "seeded");
});
