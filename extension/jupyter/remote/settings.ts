/**
 * Where a Jupyter server is and how to authenticate to it: the URL as people paste it (with or
 * without `?token=…`, with a JupyterHub base path such as /user/NAME/) and the token from a
 * flag, the URL or the environment. Plain parsing, no @jupyterlab/services: the CLI and VS Code
 * load services only when a kernel really runs on a server.
 */

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
