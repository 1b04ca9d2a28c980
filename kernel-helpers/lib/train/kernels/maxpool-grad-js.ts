/**
 * MaxPoolGrad as one pass of plain JS over the wasm heap (no copies): for each output position and
 * channel, the first maximum of the window (row-major, padding excluded — the cpu reference's rule)
 * receives dy (NaN and -∞ never win, as in the reference). Faster than the stock kernel.
 */
import type { KernelBackend, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import { tfjs } from "../tf";

/** The wasm backend methods this kernel uses (public on BackendWasm). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/** Whether `backend` exposes its heap the way the wasm backend does. */
export function hasHeapAccess(backend: KernelBackend): boolean {
  const b = backend as unknown as Partial<HeapBackend>;
  return typeof b.makeOutput === "function" && typeof b.typedArrayFromHeap === "function";
}

function pair(v: unknown): [number, number] {
  return typeof v === "number" ? [v, v] : [(v as number[])[0], (v as number[])[1]];
}

/** Computes dx for MaxPool with `attrs` into a new wasm tensor. */
export function maxPoolGradOnHeap(backend: KernelBackend, dy: TensorInfo, input: TensorInfo, attrs: NamedAttrMap): TensorInfo {
  const heap = backend as unknown as HeapBackend;
  const info = tfjs().backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    pair(attrs.filterSize),
    pair(attrs.strides),
    1,
    attrs.pad as "same",
    attrs.dimRoundingMode as "floor" | undefined,
  );
  const out = heap.makeOutput(input.shape, "float32");
  // Views are taken after the allocation (which may grow, and so move, the heap).
  const dx = heap.typedArrayFromHeap(out);
  const x = heap.typedArrayFromHeap(input);
  const g = heap.typedArrayFromHeap(dy);
  dx.fill(0);
  const [B, H, W, C] = input.shape;
  const { outHeight: Ho, outWidth: Wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let n = 0; n < B; n++) {
    for (let oy = 0; oy < Ho; oy++) {
      const y0 = oy * sh - top;
      for (let ox = 0; ox < Wo; ox++) {
        const x0 = ox * sw - left;
        best.fill(-Infinity);
        where.fill(-1);
        for (let a = 0; a < kh; a++) {
          const iy = y0 + a;
          if (iy < 0 || iy >= H) continue;
          for (let b = 0; b < kw; b++) {
            const ix = x0 + b;
            if (ix < 0 || ix >= W) continue;
            const base = ((n * H + iy) * W + ix) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const o = ((n * Ho + oy) * Wo + ox) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += g[o + c];
      }
    }
  }
  return out;
}
