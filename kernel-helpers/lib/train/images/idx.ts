/** IDX files (MNIST, Fashion-MNIST), gzipped or not. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { makeImageSet, type ImageSet, type NormalizeOptions } from "./dataset";

/** A parsed IDX file: its dimensions and its unsigned-byte data. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Reads a file, gunzipping it when it starts with the gzip magic bytes. */
export function readMaybeGzip(path: string): Buffer {
  const raw = readFileSync(path);
  return raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/** Parses an IDX buffer of unsigned bytes (type 0x08), the type MNIST-style files use. */
export function parseIdx(buf: Uint8Array): IdxArray {
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error("parseIdx: not an IDX file (bad magic)");
  if (buf[2] !== 0x08) throw new Error(`parseIdx: element type 0x${buf[2].toString(16)} is not supported (only unsigned bytes, 0x08)`);
  const nd = buf[3];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * nd;
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length - start < count) throw new Error(`parseIdx: truncated (${buf.length - start} bytes for ${count} elements)`);
  return { dims, data: buf.subarray(start, start + count) };
}

/** Options of `loadIdx`. */
export interface LoadIdxOptions extends NormalizeOptions {
  /** Keep only the first `limit` samples. */
  limit?: number;
}

/**
 * Loads an IDX image file ([n, rows, cols] or [n, rows, cols, channels]) and its label file as an
 * ImageSet (x: [n, rows, cols, channels] scaled to 0..1 by default, y: class indices).
 */
export function loadIdx(imagesPath: string, labelsPath: string, options: LoadIdxOptions = {}): ImageSet {
  const images = parseIdx(readMaybeGzip(imagesPath));
  const labels = parseIdx(readMaybeGzip(labelsPath));
  if (images.dims[0] !== labels.dims[0]) throw new Error(`loadIdx: ${images.dims[0]} images but ${labels.dims[0]} labels`);
  const n = Math.min(images.dims[0], options.limit ?? Infinity);
  const [rows, cols, ch = 1] = images.dims.slice(1);
  const per = rows * cols * ch;
  return makeImageSet(images.data.subarray(0, n * per), [n, rows, cols, ch], labels.data.subarray(0, n), options);
}
