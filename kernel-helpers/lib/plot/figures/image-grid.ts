/**
 * A grid of images with predicted / true labels: MIME.imageGrid payload (one PNG per image),
 * an image/png of the whole grid (composited by sharp), a text/html table and text/plain.
 */
import { REPR, type Reprable } from "../../display/display";
import { MIME, type MimeBundle } from "../../display/mime";
import type { Label, TensorLike } from "../../metrics/input";
import { isTensorLike } from "../../metrics/input";
import { sharpLib } from "../vega-static";

/** One image as flat pixels: grayscale (1), RGB (3) or RGBA (4) channels, row-major. */
export interface RawImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
  channels?: 1 | 3 | 4;
}

/**
 * Images: a tensor / object shaped [N, H, W] or [N, H, W, C]; or an array of images, each an
 * H×W (grayscale) or H×W×3 nested array, or a {@link RawImage}.
 */
export type ImagesInput =
  | TensorLike
  | { shape: readonly number[]; data: ArrayLike<number> }
  | readonly (RawImage | readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[])[];

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Predicted label per image. */
  predicted?: ArrayLike<Label>;
  /** True label per image. */
  actual?: ArrayLike<Label>;
  /** Names for integer labels (label i → classNames[i]). */
  classNames?: readonly string[];
  /** Images per row (default: up to 8). */
  columns?: number;
  /** Tile size in pixels (default: images scaled up to at least 84 px, nearest neighbour). */
  tileSize?: number;
  /** At most this many images are shown (default 64). */
  max?: number;
  title?: string;
}

/** One tile of the MIME.imageGrid payload. */
export interface ImageGridItem {
  /** Base64 PNG of the image at its tile size. */
  png: string;
  width: number;
  height: number;
  predicted?: string;
  actual?: string;
  /** predicted === actual, when both are known. */
  correct?: boolean;
}

/** The MIME.imageGrid ("application/vnd.sciforge.image-grid+json") payload. */
export interface ImageGridPayload {
  title?: string;
  columns: number;
  /** Images in the input before `max` was applied. */
  total: number;
  images: ImageGridItem[];
}

/** A displayable image grid (`display(grid)`). */
export class ImageGrid implements Reprable {
  constructor(
    readonly payload: ImageGridPayload,
    readonly bundle: MimeBundle,
    /** The whole grid as one PNG. */
    readonly png: Buffer,
  ) {}
  [REPR](): MimeBundle {
    return this.bundle;
  }
}

function toRawImages(images: ImagesInput, max: number): { raws: RawImage[]; total: number } {
  if (isTensorLike(images) || (!Array.isArray(images) && "shape" in (images as object))) {
    const shape = (images as { shape: readonly number[] }).shape;
    const flat = isTensorLike(images) ? (images.dataSync() as ArrayLike<number>) : (images as { data: ArrayLike<number> }).data;
    if (shape.length !== 3 && shape.length !== 4) throw new Error(`images: expected shape [N, H, W] or [N, H, W, C], got [${shape.join(", ")}]`);
    const [n, h, w] = shape;
    const c = (shape.length === 4 ? shape[3] : 1) as 1 | 3 | 4;
    if (![1, 3, 4].includes(c)) throw new Error(`images: channels must be 1, 3 or 4, got ${c}`);
    const size = h * w * c;
    const raws: RawImage[] = [];
    for (let i = 0; i < Math.min(n, max); i++)
      raws.push({ data: Array.prototype.slice.call(flat, i * size, (i + 1) * size) as number[], width: w, height: h, channels: c });
    return { raws, total: n };
  }
  const list = images as readonly unknown[];
  const raws = list.slice(0, max).map((img, i) => {
    if (img && typeof img === "object" && "data" in img && "width" in img) return img as RawImage;
    if (!Array.isArray(img) || !Array.isArray(img[0])) throw new Error(`images[${i}]: expected H×W or H×W×C nested arrays or { data, width, height }`);
    const h = img.length;
    const w = (img[0] as unknown[]).length;
    const first = (img[0] as unknown[])[0];
    const c = Array.isArray(first) ? (first.length as 1 | 3 | 4) : 1;
    const data: number[] = [];
    for (const row of img as unknown[][]) {
      if (row.length !== w) throw new Error(`images[${i}]: rows have different lengths`);
      for (const px of row) if (Array.isArray(px)) data.push(...(px as number[]));
      else data.push(px as number);
    }
    return { data, width: w, height: h, channels: c };
  });
  return { raws, total: list.length };
}

/** Pixels as bytes: values in [0, 1] (floats) are scaled by 255; others are clamped to 0–255. */
function toBytes(data: ArrayLike<number>): Buffer {
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  const scale = !(data instanceof Uint8Array || data instanceof Uint8ClampedArray) && max <= 1 ? 255 : 1;
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(data[i] * scale)));
  return out;
}

function labelName(l: Label | undefined, names: readonly string[] | undefined): string | undefined {
  if (l === undefined) return undefined;
  if (names && typeof l === "number" && Number.isInteger(l) && names[l] !== undefined) return names[l];
  return String(l);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Shows images in a grid, each captioned with its predicted and true label (green when they
 * agree, red when not). Images may be grayscale H×W or colour H×W×3, as bytes or floats in [0, 1].
 * @example display(await imageGrid(xTest.slice([0], [16]), { predicted, actual: yTest, classNames }))
 */
export async function imageGrid(images: ImagesInput, options: ImageGridOptions = {}): Promise<ImageGrid> {
  const sharp = await sharpLib();
  const { raws, total } = toRawImages(images, options.max ?? 64);
  if (raws.length === 0) throw new Error("images: no images to show");
  const n = raws.length;
  if (options.predicted && options.predicted.length < n) throw new Error(`predicted: ${options.predicted.length} labels for ${n} images`);
  if (options.actual && options.actual.length < n) throw new Error(`actual: ${options.actual.length} labels for ${n} images`);
  const biggest = Math.max(...raws.map((r) => Math.max(r.width, r.height)));
  const tile = options.tileSize ?? Math.max(biggest, biggest * Math.ceil(84 / biggest));
  const columns = options.columns ?? Math.min(8, n);
  const items: ImageGridItem[] = [];
  const tiles: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const r = raws[i];
    const c = r.channels ?? 1;
    if (r.data.length !== r.width * r.height * c)
      throw new Error(`images[${i}]: ${r.data.length} values for ${r.height}×${r.width}×${c}`);
    const png = await sharp(toBytes(r.data), { raw: { width: r.width, height: r.height, channels: c } })
      .resize(tile, tile, { kernel: "nearest", fit: "contain", background: { r: 255, g: 255, b: 255, alpha: 1 } })
      .png()
      .toBuffer();
    tiles.push(png);
    const predicted = labelName(options.predicted?.[i], options.classNames);
    const actual = labelName(options.actual?.[i], options.classNames);
    const item: ImageGridItem = { png: png.toString("base64"), width: tile, height: tile };
    if (predicted !== undefined) item.predicted = predicted;
    if (actual !== undefined) item.actual = actual;
    if (predicted !== undefined && actual !== undefined) item.correct = predicted === actual;
    items.push(item);
  }
  const payload: ImageGridPayload = { columns, total, images: items };
  if (options.title) payload.title = options.title;

  // The whole grid as one PNG: tiles composited on a white canvas, captions drawn as SVG text.
  const pad = 8;
  const hasCaption = items.some((it) => it.predicted !== undefined || it.actual !== undefined);
  const caption = hasCaption ? 34 : 0;
  const titleH = options.title ? 28 : 0;
  const rows = Math.ceil(n / columns);
  const cellW = Math.max(tile, 96);
  const width = pad + columns * (cellW + pad);
  const height = titleH + pad + rows * (tile + caption + pad);
  const texts: string[] = [];
  if (options.title) texts.push(`<text x="${width / 2}" y="20" font-size="15" font-weight="bold" text-anchor="middle">${escapeXml(options.title)}</text>`);
  const composites = items.map((it, i) => {
    const left = pad + (i % columns) * (cellW + pad) + Math.floor((cellW - tile) / 2);
    const top = titleH + pad + Math.floor(i / columns) * (tile + caption + pad);
    const cx = pad + (i % columns) * (cellW + pad) + cellW / 2;
    const color = it.correct === undefined ? "#333333" : it.correct ? "#1a7f37" : "#cf222e";
    if (it.predicted !== undefined) texts.push(`<text x="${cx}" y="${top + tile + 14}" font-size="12" text-anchor="middle" fill="${color}">pred: ${escapeXml(it.predicted)}</text>`);
    if (it.actual !== undefined) texts.push(`<text x="${cx}" y="${top + tile + 29}" font-size="12" text-anchor="middle" fill="#333333">true: ${escapeXml(it.actual)}</text>`);
    return { input: tiles[i], left, top };
  });
  const overlay = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">${texts.join("")}</svg>`;
  const gridPng = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([...composites, { input: Buffer.from(overlay), left: 0, top: 0 }])
    .png()
    .toBuffer();

  const cells = items.map((it) => {
    const color = it.correct === undefined ? "#333" : it.correct ? "#1a7f37" : "#cf222e";
    const cap = [it.predicted !== undefined ? `<span style="color:${color}">pred: ${escapeXml(it.predicted)}</span>` : "", it.actual !== undefined ? `true: ${escapeXml(it.actual)}` : ""]
      .filter(Boolean)
      .join("<br>");
    return `<td style="text-align:center;padding:4px"><img src="data:image/png;base64,${it.png}" width="${it.width}" height="${it.height}" style="image-rendering:pixelated"><br><small>${cap}</small></td>`;
  });
  const htmlRows: string[] = [];
  for (let r = 0; r < rows; r++) htmlRows.push(`<tr>${cells.slice(r * columns, (r + 1) * columns).join("")}</tr>`);
  const html = `${options.title ? `<b>${escapeXml(options.title)}</b>` : ""}<table>${htmlRows.join("")}</table>`;
  const known = items.filter((it) => it.correct !== undefined);
  const correct = known.filter((it) => it.correct).length;
  const textLines = [
    `<Image grid: ${n} of ${total} images${known.length ? `, ${correct}/${known.length} predicted correctly` : ""}>`,
    ...items.map((it, i) => `  ${i}: ${[it.predicted !== undefined ? `pred=${it.predicted}` : "", it.actual !== undefined ? `true=${it.actual}` : ""].filter(Boolean).join(" ") || "(no labels)"}${it.correct === false ? "  ✗" : ""}`),
  ];
  const bundle: MimeBundle = {
    [MIME.imageGrid]: payload,
    [MIME.png]: gridPng.toString("base64"),
    [MIME.html]: html,
    [MIME.text]: textLines.join("\n"),
  };
  return new ImageGrid(payload, bundle, gridPng);
}
