/**
 * Typed access to the parts of tslab the kernel reuses: its TypeScript compiler wrapper
 * (converter: incremental type check + emit of one cell against the declarations of the
 * earlier ones) and its cell metadata parser. The protocol side is ours (see kernel.ts).
 */
import type * as ts from "@tslab/typescript-for-tslab";
import type { Converter, Diagnostic, CompletionInfo, IsCompleteResult } from "tslab/dist/converter";
import type { CodeMetadata } from "tslab/dist/metadata";

export type { Converter, Diagnostic, CompletionInfo, IsCompleteResult, CodeMetadata };

export interface TslabParts {
  ts: typeof ts;
  createConverter(options?: { isJS?: boolean; isBrowser?: boolean }): Converter;
  isCompleteCode(src: string): IsCompleteResult;
  getCodeMetadata(src: string): CodeMetadata;
  version: string;
}

export function loadTslab(): TslabParts {
  // Loaded lazily (not at import time) so the ts.sys patch in module-fallback.ts can be applied first.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const tsModule = require("@tslab/typescript-for-tslab") as typeof ts;
  const converter = require("tslab/dist/converter") as typeof import("tslab/dist/converter");
  const metadata = require("tslab/dist/metadata") as typeof import("tslab/dist/metadata");
  const pkg = require("tslab/package.json") as { version: string };
  return {
    ts: tsModule,
    createConverter: converter.createConverter,
    isCompleteCode: converter.isCompleteCode,
    getCodeMetadata: metadata.getCodeMetadata,
    version: pkg.version,
  };
}
