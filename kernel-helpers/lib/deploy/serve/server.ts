/**
 * The HTTP predict service (node:http, loopback by default): JSON in/out, batch requests,
 * input validation against the bundle's schema, a request size limit, predictions and feedback
 * recorded in the tracking database.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Bundle } from "../bundle/bundle";
import { PredictBatcher } from "./batcher";
import { InputError, validateRows, fillableFeatures } from "../bundle/schema";
import { recordFeedback, recordPredictions, type FeedbackInput } from "../feedback/store";
import { openTracking, type TrackingDb } from "../track/db";
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
}

/** A running service. */
export interface Service {
  /** Base URL, e.g. http://127.0.0.1:38123 */
  url: string;
  port: number;
  server: Server;
  /** Requests answered so far, and how many with a 4xx/5xx status. */
  stats: { requests: number; errors: number };
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...(close ? { connection: "close" } : {}),
  });
  res.end(text);
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
 * Bad JSON, unknown/missing features, wrong types or shapes → 400 with a message; too large → 413.
 * ```ts
 * const svc = await serve(bundle, { port: 8080 });
 * // curl -d '{"rows":[{"sepal_length":5.1,…}]}' http://127.0.0.1:8080/predict
 * await svc.close();
 * ```
 */
export async function serve(bundle: Bundle, options: ServeOptions = {}): Promise<Service> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRows = options.maxRows ?? 10_000;
  const db: TrackingDb | undefined = options.db === false ? undefined : openTracking(options.db);
  const stats = { requests: 0, errors: 0 };
  const started = Date.now();
  const sockets = new Set<Socket>();
  const batcher = new PredictBatcher(bundle);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
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
        const body = await readJsonBody(req, maxBody);
        const rows = validateRows(rowsOf(body), bundle.schema, { maxRows, allowMissing: fillableFeatures(bundle.pipeline) });
        const predictions = await batcher.predict(rows);
        const ids = db ? recordPredictions(db, bundle, rows, predictions) : undefined;
        return send(res, 200, { model: bundle.name, version: bundle.version, predictions, ids });
      }
      case "POST /feedback": {
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
        const close = e.status === 413 || e.status === 415;
        send(res, e.status, { error: e.message, details: e.details }, close);
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
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    server,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
