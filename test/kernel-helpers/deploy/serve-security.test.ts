/**
 * The predict service answers only its own callers: a browser page (any site the user visits) must
 * not be able to poison the feedback that `retrain` learns from, nor read answers through DNS
 * rebinding. Real HTTP over loopback, headers set as a browser or an attacker would.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request, type IncomingHttpHeaders } from "node:http";
import { createBundle, type Bundle } from "../../../kernel-helpers/lib/deploy/bundle/bundle";
import { feedback } from "../../../kernel-helpers/lib/deploy/feedback/api";
import { serve, type Service } from "../../../kernel-helpers/lib/deploy/serve/server";
import { trainOn, type Trained } from "../../fixtures/deploy/models";
import { deploySandbox } from "../../helpers/deploy";

const { dir, db } = deploySandbox("sciforge-serve-security-");
let t: Trained;
let bundle: Bundle;
let svc: Service;
let row: Record<string, number>;
let predictionId: number;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
}

/** One raw HTTP request (node:http lets us set Host and leave Content-Type out, as an attacker can). */
function call(s: Service, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(s.url + path, { method, headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  });
}
const json = { "content-type": "application/json" };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const corrections = () => feedback.list(bundle, { db }).length;

before(async () => {
  t = await trainOn("iris.csv", { hidden: [4], epochs: 1, seed: 3 });
  bundle = createBundle({ model: t.model, pipeline: t.pipeline, features: t.train, target: "target", labels: t.classes, name: "iris-sec" });
  svc = await serve(bundle, { port: 0, db });
  const { target: _t, ...features } = (t.test.toRecords() as Array<Record<string, number>>)[0];
  row = features;
  const r = await call(svc, "POST", "/predict", json, { rows: [row] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  predictionId = r.body.ids[0];
});
after(async () => {
  await svc?.close();
});

test("every POST must be Content-Type: application/json: none, text/plain or a form → 415, and nothing is recorded", async () => {
  const fb = { predictionId, label: "setosa" };
  for (const headers of <Record<string, string>[]>[{}, { "content-type": "text/plain" }, { "content-type": "application/x-www-form-urlencoded" }, { "content-type": "application/jsonp" }]) {
    for (const path of ["/feedback", "/predict"]) {
      const r = await call(svc, "POST", path, { ...bearer(svc.token), ...headers }, path === "/feedback" ? fb : { rows: [row] });
      assert.equal(r.status, 415, `${path} with ${JSON.stringify(headers)}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error, /missing Content-Type; send application\/json|unsupported content type/);
    }
  }
  assert.equal(corrections(), 0, "no feedback got in");
  const ok = await call(svc, "POST", "/feedback", { ...bearer(svc.token), "content-type": "application/json; charset=utf-8" }, fb);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(corrections(), 1);
});

test("a Host that is not the service's (DNS rebinding) → 421 with a JSON error; localhost, 127.0.0.1, [::1] with the port are answered", async () => {
  for (const host of ["evil.example", `evil.example:${svc.port}`, `127.0.0.1:${svc.port + 1}`, `localhost.evil.example:${svc.port}`, "127.0.0.1"]) {
    const r = await call(svc, "GET", "/health", { host });
    assert.equal(r.status, 421, host);
    assert.match(r.body.error, /does not answer for Host/);
    assert.equal((await call(svc, "POST", "/predict", { host, ...json }, { rows: [row] })).status, 421, host);
  }
  for (const host of [`localhost:${svc.port}`, `LOCALHOST:${svc.port}`, `127.0.0.1:${svc.port}`, `[::1]:${svc.port}`]) {
    assert.equal((await call(svc, "GET", "/health", { host })).status, 200, host);
  }
  const named = await serve(bundle, { port: 0, db: false, allowedHosts: ["model.internal"] });
  try {
    assert.equal((await call(named, "GET", "/health", { host: `model.internal:${named.port}` })).status, 200, "allowedHosts adds names");
    assert.equal((await call(named, "GET", "/health", { host: `other.internal:${named.port}` })).status, 421);
  } finally {
    await named.close();
  }
});

test("cross-origin browser requests are refused: another Origin → 403, a CORS preflight → 403 with no Access-Control-Allow-*; the service's own origin is answered", async () => {
  const evil = { origin: "https://evil.example", ...json, ...bearer(svc.token) };
  const before = corrections();
  const post = await call(svc, "POST", "/feedback", evil, { predictionId, label: "virginica" });
  assert.equal(post.status, 403);
  assert.match(post.body.error, /cross-origin request from "https:\/\/evil\.example" refused/);
  assert.equal(post.headers["access-control-allow-origin"], undefined);
  for (const origin of ["null", `http://localhost:${svc.port + 1}`, `https://127.0.0.1:${svc.port}`]) {
    assert.equal((await call(svc, "POST", "/predict", { origin, ...json }, { rows: [row] })).status, 403, origin);
  }
  const preflight = await call(svc, "OPTIONS", "/feedback", { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" });
  assert.equal(preflight.status, 403);
  assert.equal(preflight.headers["access-control-allow-origin"], undefined);
  assert.equal(preflight.headers["access-control-allow-methods"], undefined);
  assert.equal((await call(svc, "POST", "/predict", { "sec-fetch-site": "cross-site", ...json }, { rows: [row] })).status, 403, "Sec-Fetch-Site: cross-site");
  assert.equal(corrections(), before, "no feedback got in");
  const own = await call(svc, "POST", "/predict", { origin: `http://127.0.0.1:${svc.port}`, "sec-fetch-site": "same-origin", ...json }, { rows: [row] });
  assert.equal(own.status, 200, JSON.stringify(own.body));
});

test("a token: required for /feedback (401 without or wrong), optional for /predict; Bearer, `token` or ?token=; generated like Jupyter's, or given", async () => {
  const fb = { predictionId, label: "versicolor" };
  const before = corrections();
  const none = await call(svc, "POST", "/feedback", json, fb);
  assert.equal(none.status, 401);
  assert.match(none.body.error, /POST \/feedback needs the service's token: send "Authorization: Bearer <token>"/);
  assert.match(String(none.headers["www-authenticate"]), /^Bearer/);
  for (const wrong of [bearer(svc.token.slice(0, -1)), bearer(svc.token + "0"), { authorization: `Basic ${svc.token}` }, bearer("")]) {
    const r = await call(svc, "POST", "/feedback", { ...json, ...wrong }, fb);
    assert.equal(r.status, 401, JSON.stringify(wrong));
  }
  assert.equal((await call(svc, "POST", "/feedback?token=nope12345", json, fb)).status, 401);
  assert.equal(corrections(), before, "no feedback got in without the token");
  assert.equal((await call(svc, "POST", "/feedback", { ...json, ...bearer(svc.token) }, fb)).status, 201);
  assert.equal((await call(svc, "POST", "/feedback", { ...json, authorization: `token ${svc.token}` }, fb)).status, 201);
  assert.equal((await call(svc, "POST", `/feedback?token=${svc.token}`, json, fb)).status, 201);
  assert.equal(corrections(), before + 3);
  // /predict: open by default, but a wrong token is still refused.
  assert.equal((await call(svc, "POST", "/predict", json, { rows: [row] })).status, 200);
  assert.equal((await call(svc, "POST", "/predict", { ...json, ...bearer("wrong-token") }, { rows: [row] })).status, 401);
  assert.equal((await call(svc, "GET", "/health")).status, 200, "health and schema stay open");
  // Generated: 48 hex digits (24 random bytes, as Jupyter's), a new one per service; or given.
  assert.match(svc.token, /^[0-9a-f]{48}$/);
  const strict = await serve(bundle, { port: 0, db: false, token: "given-token-123", requireToken: ["predict", "feedback"] });
  try {
    assert.equal(strict.token, "given-token-123");
    assert.equal((await call(strict, "POST", "/predict", json, { rows: [row] })).status, 401);
    assert.equal((await call(strict, "POST", "/predict", { ...json, ...bearer("given-token-123") }, { rows: [row] })).status, 200);
  } finally {
    await strict.close();
  }
  const other = await serve(bundle, { port: 0, db: false });
  await other.close();
  assert.notEqual(other.token, svc.token);
  await assert.rejects(serve(bundle, { port: 0, db: false, token: "short" }), /token must be a string of at least 8 characters/);
  assert.ok(dir);
});
