/** Reading a JSON request body with a size limit (413 beyond it) and clear errors. */
import type { IncomingMessage } from "node:http";
import { InputError } from "../bundle/schema";

/** Default request size limit: 1 MB. */
export const DEFAULT_MAX_BODY_BYTES = 1_000_000;

/**
 * Reads and parses a JSON body. Refuses a missing or non-JSON Content-Type (415), refuses early (413) when Content-Length says it is too large, and
 * stops buffering as soon as a streamed body passes the limit; malformed JSON → 400.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // Required, not only checked when present: a browser page can POST text/plain (or nothing)
    // cross-origin without a preflight, but never application/json.
    const type = req.headers["content-type"];
    const media = type?.split(";")[0].trim().toLowerCase();
    if (!media || !/^application\/([\w.-]+\+)?json$/.test(media)) {
      reject(new InputError(type === undefined ? "missing Content-Type; send application/json" : `unsupported content type ${JSON.stringify(type)}; send application/json`, [], 415));
      return;
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new InputError(`request body too large: ${declared} bytes (limit ${maxBytes})`, [], 413));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(new InputError(`request body too large: over ${maxBytes} bytes`, [], 413));
        return;
      }
      chunks.push(c);
    });
    req.on("error", (e) => {
      if (!failed) reject(e);
      failed = true;
    });
    req.on("end", () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") {
        reject(new InputError("empty request body; send JSON"));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new InputError(`malformed JSON: ${(e as Error).message}`));
      }
    });
  });
}
