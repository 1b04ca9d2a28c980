/**
 * Talking to a Jupyter server: @jupyterlab/services' settings for Node (the `ws` package as
 * WebSocket, Node's fetch), and the check before using a server: that it answers at all (GET
 * /api, which needs no token), that the token is accepted (GET /api/kernelspecs) and that it
 * has the kernelspec asked for — each failure a message naming the URL.
 */
import { KernelSpecAPI, ServerConnection } from "@jupyterlab/services";
import WebSocket from "ws";
import { describeServerError, RemoteServerError } from "./errors";
import type { ServerAddress } from "./settings";

/** @jupyterlab/services settings for a server, usable in Node 20 (no global WebSocket there). */
export function serverSettings(address: ServerAddress): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: address.baseUrl,
    wsUrl: address.baseUrl.replace(/^http/, "ws"),
    token: address.token,
    appendToken: true,
    // Node's fetch loses the reason (ECONNREFUSED, …) in `cause`; services keeps only the
    // message, so the reason is put into the message.
    fetch: (input: RequestInfo, init?: RequestInit) =>
      fetch(input, init).catch((e: unknown) => {
        throw new TypeError(networkReason(e));
      }),
    Request,
    Headers,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    init: { cache: "no-store" },
  });
}

/** "connect ECONNREFUSED 127.0.0.1:8888" out of a failed fetch (whose message is just "fetch failed"). */
export function networkReason(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string; errors?: { message?: string }[] } };
  const cause = err?.cause;
  const inner = cause?.message || cause?.errors?.map((x) => x.message).join("; ") || cause?.code;
  return inner ? inner : String(err?.message ?? e);
}

export interface ServerInfo {
  address: ServerAddress;
  settings: ServerConnection.ISettings;
  /** jupyter_server's version (GET /api). */
  version: string;
  /** Kernelspecs the server offers, by name. */
  kernelspecs: Record<string, KernelSpecAPI.ISpecModel>;
}

/** Resolves or throws within `ms` (a server that accepts connections but never answers). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RemoteServerError(`${what}: no answer within ${Math.round(ms / 1000)} s`, undefined, true)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export async function probeServer(address: ServerAddress, timeoutMs = 15_000): Promise<ServerInfo> {
  const settings = serverSettings(address);
  const url = address.baseUrl;
  let version = "";
  try {
    const r = await withTimeout(ServerConnection.makeRequest(`${url}api`, {}, settings), timeoutMs, `the Jupyter server at ${url}`);
    if (!r.ok) throw await ServerConnection.ResponseError.create(r);
    const body = (await r.json().catch(() => ({}))) as { version?: string };
    if (typeof body.version !== "string") throw new RemoteServerError(`${url} answered, but not as a Jupyter server (GET ${url}api has no "version")`, r.status);
    version = body.version;
  } catch (e) {
    throw describeServerError(e, url, "asking for its version");
  }
  let specs: Awaited<ReturnType<KernelSpecAPI.KernelSpecAPIClient["get"]>>;
  try {
    specs = await withTimeout(new KernelSpecAPI.KernelSpecAPIClient({ serverSettings: settings }).get(), timeoutMs, `the Jupyter server at ${url}`);
  } catch (e) {
    throw describeServerError(e, url, "listing its kernelspecs");
  }
  const kernelspecs: Record<string, KernelSpecAPI.ISpecModel> = {};
  for (const [name, spec] of Object.entries(specs.kernelspecs)) if (spec) kernelspecs[name] = spec;
  return { address, settings, version, kernelspecs };
}

/** The kernelspec `name` on the server, or an error saying how to install Sciforge's there. */
export function requireKernelSpec(info: ServerInfo, name: string): KernelSpecAPI.ISpecModel {
  const spec = info.kernelspecs[name] ?? Object.values(info.kernelspecs).find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (spec) return spec;
  const known = Object.keys(info.kernelspecs).join(", ") || "none";
  throw new RemoteServerError(
    `the Jupyter server at ${info.address.baseUrl} has no kernelspec "${name}" (it has: ${known}); install it in the server's environment with \`sciforge kernel install --prefix PREFIX\` (see the README, "Remote Jupyter servers")`,
  );
}
