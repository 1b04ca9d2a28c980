/**
 * Where a Jupyter server is and how to authenticate to it: the URL as people paste it (with or
 * without `?token=…`, with a JupyterHub base path such as /user/NAME/), the token from a flag or
 * the environment, and @jupyterlab/services' ServerConnection settings for Node (the `ws`
 * package as WebSocket, Node's fetch).
 */
import { ServerConnection } from "@jupyterlab/services";
import WebSocket from "ws";

/** Environment variables a token may come from (so it stays out of shell history), in order. */
export const TOKEN_ENV = ["SCIFORGE_SERVER_TOKEN", "JUPYTER_TOKEN"] as const;

export interface ServerAddress {
  /** The server's base URL, normalized to end with "/" and without query or fragment. */
  baseUrl: string;
  /** The token, or "" when the server needs none. */
  token: string;
  /** Short form for people (status bar, messages): "127.0.0.1:8888" or "hub.example.org/user/ana". */
  label: string;
}

export class ServerAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServerAddressError";
  }
}

/**
 * Parses a server URL. A token in the URL (`?token=…`, as `jupyter server` prints it) is used
 * when no token is given; `token` wins over it, the environment comes last.
 */
export function serverAddress(url: string, token?: string, env: NodeJS.ProcessEnv = process.env): ServerAddress {
  const raw = url.trim();
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ServerAddressError(`"${url}" is not a server URL (expected e.g. http://127.0.0.1:8888/)`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new ServerAddressError(`"${url}": a Jupyter server URL starts with http:// or https:// (not ${u.protocol}//)`);
  }
  if (u.username || u.password) throw new ServerAddressError(`"${url}": give the token with --token, not as user:password in the URL`);
  const fromUrl = u.searchParams.get("token") ?? "";
  // The URL jupyter prints may point at a page (…/lab?token=, …/tree?token=): keep the base path.
  const path = u.pathname.replace(/\/(lab|tree|notebooks|doc)(\/.*)?$/, "/").replace(/\/*$/, "/");
  const baseUrl = `${u.protocol}//${u.host}${path}`;
  const fromEnv = TOKEN_ENV.map((k) => env[k]).find((v) => v !== undefined && v !== "") ?? "";
  const chosen = token !== undefined && token !== "" ? token : fromUrl || fromEnv;
  const label = `${u.host}${path === "/" ? "" : path.replace(/\/$/, "")}`;
  return { baseUrl, token: chosen, label };
}

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
