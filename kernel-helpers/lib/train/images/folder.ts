/** Folders of PNG/JPEG images, one sub-folder per class (decoded and resized with sharp). */
import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { makeImageSet, type ImageSet, type NormalizeOptions } from "./dataset";

/** Options of `loadImageFolder`. */
export interface LoadImageFolderOptions extends NormalizeOptions {
  /** Output [height, width]; every image is resized to it (cover + centre crop). */
  size: [number, number];
  /** 1 (grayscale) or 3 (RGB). Default 3. */
  channels?: 1 | 3;
  /** File extensions to read. Default png, jpg, jpeg. */
  extensions?: string[];
}

type SharpFn = (input: string) => {
  resize(w: number, h: number, o: { fit: string }): ReturnType<SharpFn>;
  removeAlpha(): ReturnType<SharpFn>;
  greyscale(): ReturnType<SharpFn>;
  toColourspace(c: string): ReturnType<SharpFn>;
  raw(): ReturnType<SharpFn>;
  toBuffer(o: { resolveWithObject: true }): Promise<{ data: Buffer; info: { width: number; height: number; channels: number } }>;
};

/**
 * Loads `root/<class>/<image>` files as an ImageSet; classes are the sorted sub-folder names.
 * Images are decoded by sharp, resized to `size`, converted to `channels`, then normalised.
 */
export async function loadImageFolder(root: string, options: LoadImageFolderOptions): Promise<ImageSet> {
  const sharp = require("sharp") as SharpFn;
  const exts = new Set((options.extensions ?? ["png", "jpg", "jpeg"]).map((e) => `.${e.toLowerCase()}`));
  const channels = options.channels ?? 3;
  const [h, w] = options.size;
  const classNames = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).sort();
  const files: Array<{ path: string; label: number }> = [];
  classNames.forEach((c, label) => {
    for (const f of readdirSync(join(root, c)).sort()) if (exts.has(extname(f).toLowerCase())) files.push({ path: join(root, c, f), label });
  });
  if (files.length === 0) throw new Error(`loadImageFolder: no ${[...exts].join("/")} images under ${root}/<class>/`);
  const per = h * w * channels;
  const pixels = new Uint8Array(files.length * per);
  for (let i = 0; i < files.length; i++) {
    let img = sharp(files[i].path).resize(w, h, { fit: "cover" }).removeAlpha();
    img = channels === 1 ? img.greyscale() : img.toColourspace("srgb");
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels || data.length !== per) throw new Error(`loadImageFolder: ${files[i].path} decoded to ${info.channels} channels, ${data.length} bytes`);
    pixels.set(data, i * per);
  }
  return makeImageSet(pixels, [files.length, h, w, channels], files.map((f) => f.label), options, classNames);
}
