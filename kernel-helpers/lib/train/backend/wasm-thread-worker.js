// The pthread worker of tfjs-backend-wasm's threaded-SIMD build, as a file that Node's
// worker_threads can start. tfjs ships the worker's code only as a string (wasm-out/*.worker.js
// exports `wasmWorkerContents`) and, in browsers, starts it from a blob: URL, which
// worker_threads cannot load. This file runs that same code with the `require` and `__filename`
// of a CommonJS module, which is what its Node branch expects. Loaded by wasm-threads.ts.
"use strict";
const GLUE = "tfjs-backend-wasm-threaded-simd.worker.js";
function glue() {
  try {
    return require(`@tensorflow/tfjs-backend-wasm/wasm-out/${GLUE}`);
  } catch {
    // a self-contained bundle (test/gpu's pack) keeps the wasm-out files beside this one
    return require(require("node:path").join(__dirname, GLUE));
  }
}
const { wasmWorkerContents } = glue();
// The string was written for a Blob: its "\n" escapes became real newlines inside string literals.
new Function("require", "__filename", wasmWorkerContents.replace(/\n/g, "\\n"))(require, __filename);
