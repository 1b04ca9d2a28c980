/** Content hashes of training data, so a run records exactly which data it saw. */
import { createHash } from "node:crypto";

interface TensorLikeData {
  dataSync(): ArrayLike<number> & { buffer?: ArrayBufferLike; byteOffset?: number; byteLength?: number };
  shape: number[];
  dtype: string;
}
interface FrameLike {
  columns: string[];
  writeCSV(): Buffer | string;
}

function isTensor(v: unknown): v is TensorLikeData {
  return typeof v === "object" && v !== null && typeof (v as TensorLikeData).dataSync === "function" && Array.isArray((v as TensorLikeData).shape);
}
function isFrame(v: unknown): v is FrameLike {
  return typeof v === "object" && v !== null && Array.isArray((v as FrameLike).columns) && typeof (v as FrameLike).writeCSV === "function";
}

function feed(h: ReturnType<typeof createHash>, v: unknown): void {
  if (isTensor(v)) {
    h.update(`tensor:${v.dtype}:${v.shape.join("x")}:`);
    const d = v.dataSync();
    if (ArrayBuffer.isView(d)) h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    else h.update(JSON.stringify(Array.from(d)));
  } else if (isFrame(v)) {
    h.update(`frame:${v.columns.join(",")}:`);
    h.update(v.writeCSV());
  } else if (ArrayBuffer.isView(v)) {
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } else if (Array.isArray(v) && v.some((e) => isTensor(e) || isFrame(e) || ArrayBuffer.isView(e))) {
    for (const e of v) feed(h, e);
  } else {
    h.update(JSON.stringify(v) ?? "undefined");
  }
}

/**
 * SHA-256 (first 16 hex digits) of data: tensors (dtype, shape, values), Polars frames (columns
 * and CSV text), typed arrays, or any JSON value; arrays of these are hashed in order.
 */
export function dataHash(...data: unknown[]): string {
  const h = createHash("sha256");
  for (const d of data) feed(h, d);
  return h.digest("hex").slice(0, 16);
}
