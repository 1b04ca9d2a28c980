import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBundle, type Bundle } from "../../../kernel-helpers/lib/deploy/bundle/bundle";
import { saveBundle } from "../../../kernel-helpers/lib/deploy/bundle/files";
import { predict } from "../../../kernel-helpers/lib/deploy/bundle/predict";
import { serve, type Service } from "../../../kernel-helpers/lib/deploy/serve/server";
import { serviceClient, ServiceError } from "../../../kernel-helpers/lib/deploy/serve/client";
import { percentiles } from "../../../kernel-helpers/lib/deploy/compress/evaluate";
import { trainOn, type Trained } from "../../fixtures/deploy/models";

const root = process.env.SCIFORGE_ROOT ?? process.cwd();
const dir = mkdtempSync(join(tmpdir(), "sciforge-serve-test-"));
let t: Trained;
let bundle: Bundle;
let svc: Service;

before(async () => {
  t = await trainOn("iris.csv", { hidden: [16], epochs: 40, seed: 4 });
  bundle = createBundle({ model: t.model, pipeline: t.pipeline, features: t.train, target: "target", labels: t.classes, name: "iris" });
  await saveBundle(bundle, join(dir, "iris"));
  svc = await serve(bundle, { port: 0, db: join(dir, "runs.sqlite") });
});
after(async () => {
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: any;
}

/** One HTTP request over loopback; resolves with the response even if the server hangs up while we still send. */
function call(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let done = false;
    const req = request(svc.url + path, { method, headers: { "content-type": "application/json", ...headers }, agent: false }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => {
        done = true;
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on("error", (e) => {
      if (!done) setTimeout(() => (done ? undefined : reject(e)), 200);
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const rowsOf = (df: Trained["test"]) => (df.toRecords() as Array<Record<string, number>>).map(({ target: _t, ...features }) => features);

test("GET /health answers with the model and its features", async () => {
  const r = await call("GET", "/health");
  assert.equal(r.status, 200);
  assert.equal(r.body.status, "ok");
  assert.equal(r.body.model, "iris");
  assert.equal(r.body.version, 1);
  assert.deepEqual(r.body.features, ["sepal_length", "sepal_width", "petal_length", "petal_width"]);
  assert.ok(svc.url.startsWith("http://127.0.0.1:"));
});

test("POST /predict over real HTTP: a batch of held-out iris rows, same as offline predict, correct labels", async () => {
  const rows = rowsOf(t.test);
  const r = await call("POST", "/predict", JSON.stringify({ rows }));
  assert.equal(r.status, 200);
  assert.equal(r.body.predictions.length, rows.length);
  assert.equal(r.body.ids.length, rows.length);
  const offline = await predict(bundle, rows);
  assert.deepEqual(r.body.predictions, JSON.parse(JSON.stringify(offline)));
  const truth = t.test.getColumn("target").toArray() as number[];
  const correct = r.body.predictions.filter((p: { index: number }, i: number) => p.index === truth[i]).length;
  console.log(`HTTP predictions: ${correct}/${rows.length} correct on held-out iris`);
  assert.ok(correct / rows.length >= 0.85, `accuracy ${correct / rows.length}`);
  assert.equal(r.body.predictions[0].label, t.classes[r.body.predictions[0].index]);
  // One row (not wrapped) and positional arrays work too.
  const one = await call("POST", "/predict", JSON.stringify(rows[0]));
  assert.deepEqual(one.body.predictions[0], r.body.predictions[0]);
  const arr = await call("POST", "/predict", JSON.stringify({ rows: [Object.values(rows[0])] }));
  assert.deepEqual(arr.body.predictions[0], r.body.predictions[0]);
});

test("bad requests get 4xx with a message, and the service stays up", async () => {
  const good = rowsOf(t.test)[0];
  const cases: Array<[string, string | Buffer, number, RegExp]> = [
    ["malformed JSON", '{"rows": [{"sepal_length": 5.1,', 400, /malformed JSON/],
    ["empty body", "", 400, /empty request body/],
    ["unknown feature name", JSON.stringify({ rows: [{ ...good, petal_colour: 1 }] }), 400, /unknown feature.*petal_colour/],
    ["missing feature", JSON.stringify({ rows: [{ sepal_length: 5.1 }] }), 400, /missing feature "sepal_width"/],
    ["wrong type", JSON.stringify({ rows: [{ ...good, petal_width: "wide" }] }), 400, /"petal_width" must be a finite number/],
    ["wrong shape", JSON.stringify({ rows: [[5.1, 3.5, 1.4]] }), 400, /3 values, expected 4/],
    ["not a row", JSON.stringify({ rows: [null, 1] }), 400, /expected an object.*got null/],
    ["50 MB body", Buffer.alloc(50 * 1024 * 1024, 0x20), 413, /too large/],
  ];
  for (const [name, body, status, message] of cases) {
    const r = await call("POST", "/predict", body);
    assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error, message, name);
  }
  const chunked = await new Promise<Reply>((resolve) => {
    // A body streamed without Content-Length is cut off at the limit too.
    const req = request(svc.url + "/predict", { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, agent: false }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on("error", () => undefined);
    let sent = 0;
    const pump = () => {
      while (sent < 3_000_000) {
        sent += 64 * 1024;
        if (!req.write(Buffer.alloc(64 * 1024, 0x20))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  assert.equal(chunked.status, 413);
  assert.equal((await call("POST", "/predict", "x", { "content-type": "text/plain" })).status, 415);
  assert.equal((await call("GET", "/predict")).status, 405);
  assert.equal((await call("GET", "/nope")).status, 404);
  const health = await call("GET", "/health");
  assert.equal(health.status, 200);
});

test("load: a bounded burst of concurrent requests from another process on loopback all succeed; p50/p99 printed", async () => {
  const rows = rowsOf(t.test).slice(0, 8);
  const bodyFile = join(dir, "load-body.json");
  writeFileSync(bodyFile, JSON.stringify({ rows }));
  const total = 600;
  const concurrency = 32;
  const before = svc.stats.requests;
  const child = spawn(process.execPath, [join(root, "test/fixtures/deploy/load-client.mjs"), svc.url, String(total), String(concurrency), bodyFile, svc.token], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  const code = await new Promise((r) => child.on("exit", r));
  assert.equal(code, 0);
  const res = JSON.parse(out) as { times: number[]; failures: number; wallMs: number };
  const p = percentiles(res.times);
  console.log(
    `load test: ${total} requests × ${rows.length} rows, ${concurrency} in flight: p50 ${p.p50.toFixed(2)} ms, p90 ${p.p90.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms, ${(total / (res.wallMs / 1000)).toFixed(0)} req/s`,
  );
  assert.equal(res.failures, 0);
  assert.equal(res.times.length, total);
  assert.equal(svc.stats.requests - before, total);
  assert.equal((await call("GET", "/health")).status, 200);
});

test("the service is its own typed client, and serviceClient(url) talks to it like any caller", async () => {
  const rows = rowsOf(t.test).slice(0, 5);
  const answer = await svc.predict(rows);
  assert.equal(answer.model, "iris");
  assert.deepEqual(answer.predictions, JSON.parse(JSON.stringify(await predict(bundle, rows))));
  assert.equal(answer.ids?.length, 5);
  const health = await svc.health();
  assert.deepEqual(health.features, ["sepal_length", "sepal_width", "petal_length", "petal_width"]);
  // Feedback needs the token: the service's own client has it; a client without it gets the 401 as an error.
  const { ids } = await svc.feedback({ predictionId: answer.ids![0], label: t.classes[0] });
  assert.equal(ids.length, 1);
  const stranger = serviceClient(svc.url);
  await assert.rejects(stranger.feedback({ predictionId: answer.ids![0], label: t.classes[0] }), (e: unknown) => e instanceof ServiceError && e.status === 401 && /needs the service's token/.test(e.message));
  await assert.rejects(stranger.predict([{ sepal_length: 5.1 }]), (e: unknown) => e instanceof ServiceError && e.status === 400 && /missing feature "sepal_width"/.test(e.message));
  // Nobody listening: a ServiceError naming the URL, not a bare fetch failure.
  await assert.rejects(serviceClient("http://127.0.0.1:9", { timeoutMs: 2000 }).health(), (e: unknown) => e instanceof ServiceError && e.status === 0 && /127\.0\.0\.1:9\/health/.test(e.message));
});

test("the typed client also sends rows as arrays of values in the schema's feature order", async () => {
  const records = rowsOf(t.test).slice(0, 3);
  const positional = records.map((r) => [r.sepal_length, r.sepal_width, r.petal_length, r.petal_width]);
  const byName = await svc.predict(records);
  const byOrder = await svc.predict(positional);
  assert.deepEqual(byOrder.predictions, byName.predictions);
  await assert.rejects(svc.predict([positional[0].slice(0, 3)]), (e: unknown) => e instanceof ServiceError && e.status === 400 && /row 0: 3 values, expected 4/.test(e.message));
});
