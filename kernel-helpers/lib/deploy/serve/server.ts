/**
 * The HTTP predict service (node:http, loopback by default): JSON in/out, batch requests,
 * input validation against the bundle's schema, a request size limit, predictions and feedback
 * recorded in the tracking database. Only its own callers are answered: Host must name the
 * service (no DNS rebinding), browsers' cross-origin requests are refused, a token guards
 * `/feedback` (and `/predict` when asked), and every POST must be `application/json`.
 */
import { serviceClient, type ServiceClient } from "./client";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import type { Bundle } from "../bundle/bundle";
import { PredictBatcher } from "./batcher";
import { InputError, validateRows, fillableFeatures } from "../bundle/schema";
import { recordFeedback, recordPredictions, type FeedbackInput } from "../feedback/store";
import { openTracking, type TrackingDb } from "../../track/db";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "./body";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Port (default 0: any free port; read it from `service.port`). */
  port?: number;
  /** Interface (default "127.0.0.1": loopback only). */
  host?: string;
  /** Largest request body in bytes (default 1 MB) → 413 beyond it. */
  maxBodyBytes?: number;
  /** Most rows per predict request (default 10,000) → 413 beyond it. */
  maxRows?: number;
  /** Tracking database for predictions and feedback (default: see `trackingPath`); false: record nothing. */
  db?: string | false;
  /**
   * The token callers present, as `Authorization: Bearer <token>` or `?token=<token>` (default: a
   * fresh random one, 48 hex digits like Jupyter's; read it from `service.token`).
   */
  token?: string;
  /**
   * The routes that need the token (default `["feedback"]`: anyone who can reach the address may
   * predict, only token holders may send the feedback `retrain` learns from). `["predict",
   * "feedback"]` guards both; `[]` none. A wrong token is refused on either route.
   */
  requireToken?: Array<"predict" | "feedback">;
  /**
   * Further names clients may use in the Host header (e.g. this machine's DNS name behind a
   * proxy). Always answered: the bound address, localhost, 127.0.0.1 and [::1], with the port;
   * bound to all interfaces (0.0.0.0 / ::), also this machine's addresses and host name.
   */
  allowedHosts?: string[];
}

/** A running service. */
/** A running service; it is also a client of itself (`service.predict(rows)`, with its token). */
export interface Service extends ServiceClient {
  /** Base URL, e.g. http://127.0.0.1:38123 */
  url: string;
  port: number;
  /** The token for `Authorization: Bearer <token>` (or `?token=`): needed for `/feedback` by default. */
  token: string;
  server: Server;
  /** Requests answered so far, and how many with a 4xx/5xx status. */
  stats: { requests: number; errors: number };
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, close = false, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-content-type-options": "nosniff",
    ...headers,
    ...(close ? { connection: "close" } : {}),
  });
  res.end(text);
}

/** A refused request: not for this service (421), cross-origin (403) or without the right token (401). */
class RefusedError extends InputError {
  constructor(
    message: string,
    status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, [], status);
  }
}

/** Splits a Host header value ("name:port", "[v6]:port", "name") into a lower-case name and a port. */
function splitHost(value: string): { name: string; port: number } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? 80 : Number(m[2]) };
}

/** The Host names the service answers to (see `ServeOptions.allowedHosts`). */
function hostNames(bound: AddressInfo, extra: string[]): Set<string> {
  const v6 = (a: string) => (a.includes(":") ? `[${a.toLowerCase()}]` : a.toLowerCase());
  const names = new Set(["localhost", "127.0.0.1", "[::1]", v6(bound.address), ...extra.map((h) => v6(h.replace(/^\[|\]$/g, "")))]);
  if (bound.address === "0.0.0.0" || bound.address === "::") {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(v6(i.address.split("%")[0]));
  }
  return names;
}

/** The token a request presents: `Authorization: Bearer T` (or Jupyter's `token T`), else `?token=T`. */
function presentedToken(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : "";
  }
  return query.get("token") ?? undefined;
}

/** Compares two secrets in time that does not depend on where they differ (or on their lengths). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function rowsOf(body: unknown): unknown {
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if ("rows" in b) return b.rows;
    if ("instances" in b) return b.instances;
  }
  return body;
}

/**
 * Starts an HTTP predict service for a bundle on 127.0.0.1.
 * - `GET /health` → `{ status: "ok", model, version, … }`
 * - `GET /schema` → the input features
 * - `POST /predict` with `{ rows: [{feature: value, …}, …] }` (or one row, or an array of rows) →
 *   `{ predictions: [{ label, index, probabilities }…], ids }`
 * - `POST /feedback` with `{ predictionId, label }` / `{ row, label }` (or `{ items: [...] }`) → `{ ids }`
 * Concurrent predict requests are micro-batched into one model call.
 * Bad JSON, unknown/missing features, wrong types or shapes → 400 with a message; too large → 413;
 * a POST that is not `Content-Type: application/json` → 415.
 * Who is answered: a Host header that is not the service's (DNS rebinding) → 421; a browser's
 * cross-origin request (an `Origin` other than the service's own, a CORS preflight) → 403;
 * `/feedback` without the token (`service.token`, or `token` in the options) → 401, and so is
 * `/predict` with `requireToken: ["predict", "feedback"]`.
 * ```ts
 * const svc = await serve(bundle, { port: 8080 });
 * // curl -H 'content-type: application/json' -d '{"rows":[{"sepal_length":5.1,…}]}' http://127.0.0.1:8080/predict
 * // curl -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d '{"predictionId":1,"label":"setosa"}' http://127.0.0.1:8080/feedback
 * await svc.close();
 * ```
 */
export async function serve(bundle: Bundle, options: ServeOptions = {}): Promise<Service> {
  if (options.token !== undefined && (typeof options.token !== "string" || options.token.length < 8)) {
    throw new Error("serve: token must be a string of at least 8 characters (or leave it out for a random one)");
  }
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRows = options.maxRows ?? 10_000;
  const db: TrackingDb | undefined = options.db === false ? undefined : openTracking(options.db);
  const stats = { requests: 0, errors: 0 };
  const started = Date.now();
  const sockets = new Set<Socket>();
  const batcher = new PredictBatcher(bundle);
  const token = options.token ?? randomBytes(24).toString("hex");
  const guarded = new Set(options.requireToken ?? ["feedback"]);
  let names = new Set<string>();
  let port = 0;

  /** Refuses what is not for this service: a foreign Host, a cross-origin browser request. */
  function checkCaller(req: IncomingMessage): void {
    const host = req.headers.host === undefined ? null : splitHost(req.headers.host);
    if (!host || host.port !== port || !names.has(host.name)) {
      throw new RefusedError(`this service does not answer for Host ${JSON.stringify(req.headers.host ?? "")}; use ${[...names].slice(0, 3).map((n) => `${n}:${port}`).join(", ")} (or allowedHosts)`, 421);
    }
    if (req.method === "OPTIONS") throw new RefusedError("cross-origin requests are refused (no CORS): call the service from a program, not from another site's page", 403);
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let own = false;
      try {
        const u = new URL(origin);
        const o = splitHost(u.host);
        own = u.protocol === "http:" && o !== null && o.port === port && names.has(o.name);
      } catch {
        own = false;
      }
      if (!own) throw new RefusedError(`cross-origin request from ${JSON.stringify(origin)} refused: the service answers programs and its own origin only`, 403);
    }
    const site = req.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site") throw new RefusedError(`cross-origin request (Sec-Fetch-Site: ${site}) refused`, 403);
  }

  /** Checks the token of a POST: required on guarded routes, and never a wrong one. */
  function checkToken(req: IncomingMessage, query: URLSearchParams, route: "predict" | "feedback"): void {
    const given = presentedToken(req, query);
    const challenge = { "www-authenticate": 'Bearer realm="sciforge"' };
    if (given === undefined) {
      if (guarded.has(route)) throw new RefusedError(`POST /${route} needs the service's token: send "Authorization: Bearer <token>" (serve() returns it as service.token)`, 401, challenge);
      return;
    }
    if (!sameSecret(given, token)) throw new RefusedError("wrong token", 401, challenge);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkCaller(req);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
    const route = `${req.method} ${path}`;
    switch (route) {
      case "GET /health":
        return send(res, 200, {
          status: "ok",
          model: bundle.name,
          version: bundle.version,
          task: bundle.task,
          features: bundle.schema.features.map((f) => f.name),
          labels: bundle.labels,
          uptimeSeconds: (Date.now() - started) / 1000,
          requests: stats.requests,
        });
      case "GET /schema":
        return send(res, 200, {
          features: bundle.schema.features,
          labels: bundle.labels,
          task: bundle.task,
          maxBodyBytes: maxBody,
          maxRows,
          // How features become the model input: e.g. { kind: "SequenceOneHot", alphabet: "ACGT", length: 60, … }.
          ...(bundle.encoder ? { encoder: bundle.encoder.toJSON() } : {}),
          inputShape: bundle.inputShape,
        });
      case "POST /predict": {
        checkToken(req, query, "predict");
        const body = await readJsonBody(req, maxBody);
        const rows = validateRows(rowsOf(body), bundle.schema, { maxRows, allowMissing: fillableFeatures(bundle.pipeline) });
        const predictions = await batcher.predict(rows);
        const ids = db ? recordPredictions(db, bundle, rows, predictions) : undefined;
        return send(res, 200, { model: bundle.name, version: bundle.version, predictions, ids });
      }
      case "POST /feedback": {
        checkToken(req, query, "feedback");
        if (!db) throw new InputError("this service records no feedback (started with db: false)", [], 404);
        const body = await readJsonBody(req, maxBody);
        const items = body !== null && typeof body === "object" && !Array.isArray(body) && "items" in body ? (body as { items: unknown }).items : body;
        const list = (Array.isArray(items) ? items : [items]) as FeedbackInput[];
        const ids = recordFeedback(db, bundle, list);
        return send(res, 201, { ids });
      }
      default: {
        const known = ["GET /health", "GET /schema", "POST /predict", "POST /feedback"];
        if (known.some((k) => k.endsWith(` ${path}`))) throw new InputError(`method ${req.method} not allowed on ${path}`, [], 405);
        throw new InputError(`no route ${route}; try GET /health, POST /predict, POST /feedback`, [], 404);
      }
    }
  }

  const server = createServer((req, res) => {
    stats.requests++;
    handle(req, res).catch((e: unknown) => {
      stats.errors++;
      if (res.headersSent) return res.destroy();
      if (e instanceof InputError) {
        // Refused before the body was read: hang up rather than read it.
        const close = e.status === 413 || e.status === 415 || e instanceof RefusedError;
        send(res, e.status, { error: e.message, details: e.details }, close, e instanceof RefusedError ? e.headers : {});
        if (close) {
          // Discard what is left of an oversized body without buffering it, then hang up.
          req.resume();
          const t = setTimeout(() => req.socket.destroy(), 2000);
          t.unref();
          req.on("end", () => clearTimeout(t));
        }
      } else {
        send(res, 500, { error: `internal error: ${(e as Error).message}` });
      }
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (_e, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  names = hostNames(addr, options.allowedHosts ?? []);
  port = addr.port;
  const url = `http://${host}:${addr.port}`;
  return {
    ...serviceClient(url, { token }),
    url,
    port: addr.port,
    token,
    server,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
