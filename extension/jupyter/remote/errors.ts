/**
 * Jupyter server failures as messages people can act on: each names the server URL and says
 * what went wrong (a rejected token, nothing listening, a JupyterHub server not started, …).
 */
import { ServerConnection } from "@jupyterlab/services";

export class RemoteServerError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** True when nothing answered at all (the server or the network is down). */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = "RemoteServerError";
  }
}

/** True for a network error whose reason is a refused connection (nothing listens there any more). */
export function isRefused(e: unknown): boolean {
  return e instanceof ServerConnection.NetworkError && /ECONNREFUSED/.test(e.message);
}

export function isNetworkError(e: unknown): boolean {
  return e instanceof ServerConnection.NetworkError || (e instanceof RemoteServerError && e.unreachable);
}

/** Turns what @jupyterlab/services threw into a RemoteServerError naming `url` and `doing`. */
export function describeServerError(e: unknown, url: string, doing: string): RemoteServerError {
  if (e instanceof RemoteServerError) return e;
  if (e instanceof ServerConnection.NetworkError) {
    return new RemoteServerError(`cannot reach the Jupyter server at ${url} while ${doing}: ${e.message}`, undefined, true);
  }
  if (e instanceof ServerConnection.ResponseError) {
    const status = e.response.status;
    const line = `${status} ${e.response.statusText || ""}`.trim();
    if (status === 401 || status === 403) {
      return new RemoteServerError(`the Jupyter server at ${url} answered ${status === 403 ? "403 Forbidden" : line}: the token was rejected`, status);
    }
    if (status === 503 || status === 424) {
      return new RemoteServerError(`the Jupyter server at ${url} is not running (${line}; on JupyterHub, start your server first)`, status);
    }
    if (status === 404) {
      return new RemoteServerError(`the Jupyter server at ${url} answered 404 Not Found while ${doing} (is the base path right? on JupyterHub it is https://HUB/user/NAME/)`, status);
    }
    return new RemoteServerError(`the Jupyter server at ${url} answered ${line} while ${doing}: ${e.message}`, status);
  }
  return new RemoteServerError(`Jupyter server at ${url}, ${doing}: ${(e as Error)?.message ?? String(e)}`);
}
