/**
 * The streamed pre-parse check of a delimited file (UTF-8 validity, no quote character, the same
 * number of fields on every line, which probe strings occur), written once as plain JavaScript so
 * that it can run either here or in a worker thread beside Polars' parser: the check and the
 * parse then overlap on two cores. Fields are counted by a small SIMD WebAssembly module
 * (field-count.wat), ~10× faster than a JavaScript byte loop. Result: fields per line, or -1 when
 * the exact validator must look at the whole file (it then locates and reports the problem).
 */
import { Worker } from "node:worker_threads";
import * as fs from "node:fs";
import * as buffer from "node:buffer";
import { FIELD_COUNT_WASM } from "./field-count-wasm";

/** Result of the quick check. */
export interface QuickCheck {
  /** Fields per record, or -1 when the exact validator must decide. */
  fields: number;
  /** Whether each probe string occurs somewhere in the file. */
  found: boolean[];
}

interface Job {
  path: string;
  sep: number;
  quote: number;
  probes: string[];
  /** The field counter's WebAssembly bytes. */
  wasm: Uint8Array;
  /** Int32 cells: [done flag, fields, found bitmask, started flag]. */
  shared: SharedArrayBuffer;
}

// Plain JS (runs in a worker, where TypeScript is not compiled). `fs`, `isUtf8`, `Buffer` and `job` are parameters.
const SOURCE = String.raw`
const { path, sep: SEP, quote: Q, probes, wasm } = job;
const out = new Int32Array(job.shared);
Atomics.store(out, 3, 1); // started
const CHUNK = 4 << 20;
const allFound = (1 << probes.length) - 1;
function finish(fields, found) { out[1] = fields; out[2] = found; Atomics.store(out, 0, 1); Atomics.notify(out, 0); }
let fd = -1;
try {
  // the chunk is read straight into the field counter's memory (no copy); a few bytes of an
  // incomplete UTF-8 character at its end are carried to the front of the next chunk
  const memory = new WebAssembly.Memory({ initial: (CHUNK >> 16) + 1 });
  const counter = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { memory } }).exports;
  const buf = Buffer.from(memory.buffer, 0, CHUNK + 8);
  fd = fs.openSync(path, "r");
  const overlap = Math.max(0, ...probes.map((p) => p.length - 1));
  let found = 0, carry = 0, last = 10;
  let prevTail = Buffer.alloc(0);
  for (;;) {
    const got = fs.readSync(fd, buf, carry, CHUNK, null);
    const n = carry + got;
    if (got === 0) {
      // fields per line; a last line without a newline must have them too
      const seps = counter.seps.value, expected = counter.expected.value;
      let result = expected < 0 ? -1 : expected + 1;
      if (carry > 0) result = -1;
      else if (last !== 10 && seps !== expected) result = expected < 0 ? seps + 1 : -1;
      finish(result, found);
      break;
    }
    last = buf[n - 1];
    const fresh = buf.subarray(carry, n);
    if (fresh.indexOf(Q) !== -1) { finish(-1, allFound); break; }
    if (counter.scan(carry, n, SEP) !== 0) { finish(-1, allFound); break; }
    if (overlap > 0) {
      const seam = Buffer.concat([prevTail, fresh.subarray(0, overlap)]);
      probes.forEach((p, k) => { if (!(found & (1 << k)) && (fresh.indexOf(p) !== -1 || seam.indexOf(p) !== -1)) found |= 1 << k; });
      prevTail = Buffer.from(fresh.subarray(Math.max(0, fresh.length - overlap)));
    }
    // UTF-8: check up to the last complete character; an incomplete one is carried to the next chunk
    let cut = n;
    for (let k = 1; k <= 3 && n - k >= 0; k++) {
      const b = buf[n - k];
      if ((b & 0xc0) === 0x80) continue;
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (len > k) cut = n - k;
      break;
    }
    if (!isUtf8(buf.subarray(0, cut))) { finish(-1, allFound); break; }
    carry = n - cut;
    buf.copy(buf, 0, cut, n);
  }
} catch (e) {
  finish(-1, allFound);
} finally {
  if (fd >= 0) fs.closeSync(fd);
}
`;

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const runHere = new Function("fs", "isUtf8", "Buffer", "job", SOURCE) as (f: typeof fs, u: typeof buffer.isUtf8, b: typeof Buffer, job: Job) => void;

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { isUtf8 } = require("node:buffer");
(function (fs, isUtf8, Buffer, job) {${SOURCE}})(fs, isUtf8, Buffer, workerData);
`;

let wasmBytes: Uint8Array | undefined;

function newJob(path: string, sep: string, quote: string, probes: readonly string[]): Job {
  if (probes.length > 30) throw new Error("quick check: at most 30 probes");
  wasmBytes ??= new Uint8Array(Buffer.from(FIELD_COUNT_WASM, "base64"));
  return { path, sep: sep.charCodeAt(0), quote: quote.charCodeAt(0), probes: [...probes], wasm: wasmBytes, shared: new SharedArrayBuffer(16) };
}

function readResult(job: Job): QuickCheck {
  const out = new Int32Array(job.shared);
  return { fields: out[1], found: job.probes.map((_, k) => (out[2] & (1 << k)) !== 0) };
}

/** Runs the quick check on this thread. */
export function quickCheckFile(path: string, sep: string, quote: string, probes: readonly string[] = []): QuickCheck {
  const job = newJob(path, sep, quote, probes);
  runHere(fs, buffer.isUtf8, Buffer, job);
  return readResult(job);
}

/**
 * Starts the quick check in a worker thread and returns a function that waits for its result
 * (blocking, with Atomics.wait). If no worker can be started, the check runs when waited for.
 */
export function startQuickCheck(path: string, size: number, sep: string, quote: string, probes: readonly string[] = []): () => QuickCheck {
  const job = newJob(path, sep, quote, probes);
  const patienceMs = 10_000 + size / 20_000; // ~20 MB/s at worst, before giving up on the worker
  let worker: Worker | undefined;
  try {
    // plain JS with node: modules only: no need for the parent's loaders (e.g. --import tsx), which slow the start
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job, execArgv: [] });
    worker.unref();
    worker.on("error", () => undefined); // a failed worker is handled below, by running the check here
  } catch {
    worker = undefined;
  }
  return () => {
    const flag = new Int32Array(job.shared);
    if (worker) {
      // the worker sets the flag when done; give it generous time, then fall back to running here
      for (let waited = 0; Atomics.load(flag, 0) === 0 && waited < patienceMs; waited += 100) {
        if (waited >= 5_000 && Atomics.load(flag, 3) === 0) break; // the worker never started
        Atomics.wait(flag, 0, 0, 100);
      }
      if (Atomics.load(flag, 0) === 1) return readResult(job);
      void worker.terminate();
    }
    return quickCheckFile(path, sep, quote, probes);
  };
}
