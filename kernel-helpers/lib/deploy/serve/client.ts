/**
 * A client for a running predict service (ours, here or on another host): typed calls instead of
 * hand-written fetch + JSON. `serve()` returns a service that is its own client (`service.predict(rows)`).
 */
import type { Prediction } from "../bundle/predict";
import type { FeedbackInput } from "../feedback/store";

/** POST /predict's answer. */
export interface PredictResponse {
  model: string;
  version: number;
  predictions: Prediction[];
  /** Ids of the stored predictions (when the service records them): what feedback refers to. */
  ids?: number[];
}

/** GET /health's answer. */
export interface ServiceHealth {
  status: "ok";
  model: string;
  version: number;
  task: string;
  features: string[];
  labels?: (string | number)[];
  uptimeSeconds: number;
  requests: number;
}

/** A service's answer that was not a success: the status and the service's own message. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/** Typed calls to a predict service. */
export interface ServiceClient {
  url: string;
  /** Predictions for rows of features: objects by feature name, or arrays of values in the schema's feature order. */
  predict(rows: ReadonlyArray<Record<string, unknown> | readonly unknown[]>): Promise<PredictResponse>;
  /** Records corrections (needs the token). */
  feedback(items: FeedbackInput | readonly FeedbackInput[]): Promise<{ ids: number[] }>;
  health(): Promise<ServiceHealth>;
  /** The input schema: features, labels, task, limits. */
  schema(): Promise<Record<string, unknown>>;
}

/** Options of {@link serviceClient}. */
export interface ServiceClientOptions {
  /** The service's token, sent as `Authorization: Bearer` on every request. */
  token?: string;
  /** Give up on a request after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

/** A client for the service at `url` (e.g. "http://127.0.0.1:8080"). */
export function serviceClient(url: string, options: ServiceClientOptions = {}): ServiceClient {
  const base = url.replace(/\/+$/, "");
  const call = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (e) {
      throw new ServiceError(0, `${method} ${base}${path}: ${(e as Error).message}`, undefined);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = json as { error?: string; details?: unknown } | undefined;
      throw new ServiceError(res.status, `${method} ${path} → ${res.status}: ${err?.error ?? (text.slice(0, 200) || res.statusText)}`, err?.details);
    }
    return json as T;
  };
  return {
    url: base,
    predict: (rows) => call<PredictResponse>("POST", "/predict", { rows }),
    feedback: (items) => call<{ ids: number[] }>("POST", "/feedback", { items: Array.isArray(items) ? items : [items] }),
    health: () => call<ServiceHealth>("GET", "/health"),
    schema: () => call<Record<string, unknown>>("GET", "/schema"),
  };
}
