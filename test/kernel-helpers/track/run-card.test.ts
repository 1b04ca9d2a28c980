import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCard } from "../../../kernel-helpers/lib/track/run-card";
import { mimeBundleOf } from "../../../kernel-helpers/lib/display/display";
import { MIME } from "../../../kernel-helpers/lib/display/mime";
import { DATA } from "../../helpers/paths";

test("runCard records the SHA-256 of each data file, seed, params, results and the time since start", () => {
  const iris = join(DATA, "tabular", "iris.csv");
  const started = Date.now() - 2500;
  const card = runCard({ seed: 7, data: { iris }, params: { epochs: 3 }, results: { accuracy: 0.9667 }, started });
  const f = card.facts;
  assert.equal(f.seed, 7);
  assert.equal(f.data[0].sha256, createHash("sha256").update(readFileSync(iris)).digest("hex"));
  assert.equal(f.data[0].bytes, readFileSync(iris).length);
  assert.ok(f.seconds >= 2.5 && f.seconds < 60, String(f.seconds));
  assert.deepEqual(f.params, { epochs: 3 });
  const b = mimeBundleOf(card);
  assert.match(String(b[MIME.text]), /seed\s+7/);
  assert.match(String(b[MIME.text]), new RegExp(`data iris\\s+sha256 ${f.data[0].sha256.slice(0, 16)}`));
  assert.match(String(b[MIME.html]), /<td>accuracy<\/td><td>0\.9667<\/td>/);
  assert.deepEqual(JSON.parse(JSON.stringify(b[MIME.json])), JSON.parse(JSON.stringify(f)));
});

test("runCard names a data file it cannot read", () => {
  assert.throws(() => runCard({ data: ["notebooks/data/nope.csv"] }), /runCard: cannot read data file "nope\.csv" at .*nope\.csv: ENOENT/);
});

test("runCard escapes text from parameters in its HTML", () => {
  const b = mimeBundleOf(runCard({ params: { label: "<img src=x onerror=alert(1)>" } }));
  assert.doesNotMatch(String(b[MIME.html]), /<img/);
  assert.match(String(b[MIME.html]), /&#60;img/);
});
