// Consume workers: requests decoded and recorded on worker threads, large requests split across
// idle workers, and the admission accounting back to zero afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeAgentSpans, toJson, toProtobuf } from './fixtures/spans.js';
import { get, post, readRecords, startCollector } from './fixtures/harness.js';

const PB = { 'content-type': 'application/x-protobuf' };

test('worker threads record large (split) and small requests, and release admission', { timeout: 60_000 }, async () => {
  const c = await startCollector({ workers: 2 });
  try {
    const big = await makeAgentSpans(700, { extra: { 'app.note': 'x'.repeat(100) } }); // > 64 KiB: split across both workers
    const bigBody = toProtobuf(big);
    assert.ok(bigBody.length > 64 * 1024);
    const r1 = await post(`${c.url}/v1/traces`, bigBody, PB);
    assert.equal(r1.status, 200, r1.body.toString());
    const small = await makeAgentSpans(5);
    const r2 = await post(`${c.url}/v1/traces`, toJson(small), { 'content-type': 'application/json' });
    assert.equal(r2.status, 200);
    // Concurrent requests: whole requests go to the least busy worker.
    const many = await Promise.all(Array.from({ length: 6 }, async () => post(`${c.url}/v1/traces`, toProtobuf(await makeAgentSpans(50)), PB)));
    assert.deepEqual(many.map((r) => r.status), [200, 200, 200, 200, 200, 200]);

    const records = await readRecords(c.dir);
    assert.equal(records.length, 700 + 5 + 300);
    // The big request was answered after all its slices were durable: its records come first
    // (slices may interleave, so compare as sets).
    const firstBig = records.slice(0, 700).map((r) => r.record.trace.spanId);
    assert.deepEqual(new Set(firstBig), new Set(big.map((s) => s.spanContext().spanId)));
    const metrics = (await get(`${c.url}/metrics`)).body.toString();
    assert.match(metrics, /^agentrail_inflight_bytes 0$/m, 'every admitted byte was released');
    assert.match(metrics, /^agentrail_spans_recorded_total 1005$/m);
  } finally {
    await c.close();
  }
});

test('a request the workers cannot decode is a 400, the same as on the main thread', { timeout: 60_000 }, async () => {
  const c = await startCollector({ workers: 2 });
  try {
    const body = Buffer.from(toProtobuf(await makeAgentSpans(700)));
    const r = await post(`${c.url}/v1/traces`, body.subarray(0, body.length - 100), PB);
    assert.equal(r.status, 400);
    assert.equal(c.collector.ledgerSize, 0);
  } finally {
    await c.close();
  }
});
