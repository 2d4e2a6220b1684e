// Consume workers: requests decoded and recorded on worker threads, large requests split across
// idle workers (and the main thread) and appended together, and the admission accounting back to
// zero afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { decodeTraceRequestProto, encodeTraceRequestProto, type OtlpSpan } from '@agentrail/collector';
import { verifyLedger } from '@agentrail/ledger';
import { makeAgentSpans, toJson, toProtobuf } from './fixtures/spans.js';
import { get, post, readRecords, startCollector } from './fixtures/harness.js';
import { createLogger } from '@agentrail/collector';
import { WorkerPool } from '../src/work/worker-pool.js';
import { AppendJoin } from '../src/work/append-join.js';
import { DEFAULT_SPAN_LIMITS } from '../src/decode/to-neutral.js';

const PB = { 'content-type': 'application/x-protobuf' };

test('worker threads record large (split) and small requests, and release admission', { timeout: 60_000 }, async () => {
  const c = await startCollector({ workers: 2 });
  try {
    const big = await makeAgentSpans(700, { extra: { 'app.note': 'x'.repeat(100) } }); // > 64 KiB: split across both workers
    const bigBody = toProtobuf(big);
    assert.ok(bigBody.length > 64 * 1024);
    const r1 = await post(`${c.url}/v1/traces`, bigBody, PB);
    assert.equal(r1.status, 200, r1.body.toString());
    const afterBig = (await get(`${c.url}/metrics`)).body.toString();
    assert.match(afterBig, /^agentrail_append_duration_seconds_count 1$/m, 'the slices of the split request were appended together');
    const small = await makeAgentSpans(5);
    const r2 = await post(`${c.url}/v1/traces`, toJson(small), { 'content-type': 'application/json' });
    assert.equal(r2.status, 200);
    // Concurrent requests: whole requests go to the least busy worker.
    const many = await Promise.all(Array.from({ length: 6 }, async () => post(`${c.url}/v1/traces`, toProtobuf(await makeAgentSpans(50)), PB)));
    assert.deepEqual(many.map((r) => r.status), [200, 200, 200, 200, 200, 200]);

    const records = await readRecords(c.dir);
    assert.equal(records.length, 700 + 5 + 300);
    // The big request was answered after all its slices were durable: its records come first
    // in span order (the slices are appended together, in slice order).
    const firstBig = records.slice(0, 700).map((r) => r.record.trace.spanId);
    assert.deepEqual(firstBig, big.map((s) => s.spanContext().spanId));
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

test('a bad span after good ones in a whole (unsplit) request: 400, none of its records appended', { timeout: 60_000 }, async () => {
  const c = await startCollector({ workers: 1 });
  try {
    const req = decodeTraceRequestProto(toProtobuf(await makeAgentSpans(20)));
    const otlp = req.resourceSpans![0]!.scopeSpans![0]!.spans!;
    otlp[15]!.spanId = new Uint8Array(8); // all zero: invalid, after 15 good spans
    const body = encodeTraceRequestProto(req);
    assert.ok(body.length < 64 * 1024, 'small enough to go to one worker whole');
    const r = await post(`${c.url}/v1/traces`, body, PB);
    assert.equal(r.status, 400, r.body.toString());
    assert.equal(c.collector.ledgerSize, 0);
    otlp[15]!.spanId = randomBytes(8);
    assert.equal((await post(`${c.url}/v1/traces`, encodeTraceRequestProto(req), PB)).status, 200);
    assert.equal(c.collector.ledgerSize, 20);
  } finally {
    await c.close();
  }
});

test('one worker and the main thread share a large request in one durable append; the log verifies', { timeout: 60_000 }, async () => {
  const c = await startCollector({ workers: 1 });
  try {
    const big = await makeAgentSpans(600, { extra: { 'app.note': 'x'.repeat(100) } }); // > 64 KiB: split
    const r1 = await post(`${c.url}/v1/traces`, toProtobuf(big), PB);
    assert.equal(r1.status, 200, r1.body.toString());
    let metrics = (await get(`${c.url}/metrics`)).body.toString();
    assert.match(metrics, /^agentrail_append_duration_seconds_count 1$/m, 'both slices were appended together');

    // A slice with nothing to record (non-agent spans only) must not hold up the other one.
    const traceId = randomBytes(16);
    const plain: OtlpSpan[] = Array.from({ length: 600 }, (_, i) => ({
      traceId, spanId: randomBytes(8), parentSpanId: new Uint8Array(0), name: `GET /item/${i}`, kind: 2,
      startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000005000000',
      attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }, { key: 'app.note', value: { stringValue: 'y'.repeat(100) } }],
      events: [], links: [],
    }));
    const agentTail = decodeTraceRequestProto(toProtobuf(await makeAgentSpans(20))).resourceSpans;
    const mixed = encodeTraceRequestProto({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'web' }, spans: plain }] }, ...agentTail] });
    assert.ok(mixed.length > 64 * 1024);
    const r2 = await post(`${c.url}/v1/traces`, mixed, PB);
    assert.equal(r2.status, 200, r2.body.toString());
    metrics = (await get(`${c.url}/metrics`)).body.toString();
    assert.match(metrics, /^agentrail_spans_skipped_total 600$/m);
    assert.match(metrics, /^agentrail_spans_recorded_total 620$/m);

    const records = await readRecords(c.dir);
    assert.deepEqual(records.slice(0, 600).map((r) => r.record.trace.spanId), big.map((s) => s.spanContext().spanId));
    const vkey = c.collector.keys!.verifierKey;
    await c.collector.shutdown();
    // Leaf hashes computed on the worker travel with the entries; verification recomputes them.
    const report = await verifyLedger(join(c.dir, 'log'), { verifierKeys: [vkey] });
    assert.equal(report.size, 620);
  } finally {
    await c.close();
  }
});

test('a worker that dies is replaced: its request is answered unavailable, the next one is served', { timeout: 60_000 }, async () => {
  const appended: number[] = [];
  const ledger = { append: async (entries: readonly Uint8Array[]) => { appended.push(entries.length); return { firstIndex: 0 }; } };
  const pool = new WorkerPool(1, { identity: 'flag', limits: DEFAULT_SPAN_LIMITS, forward: false }, ledger, createLogger('silent'));
  try {
    await pool.ready();
    const body = toProtobuf(await makeAgentSpans(3));
    const input = { body, format: 'protobuf' as const, authenticated: null };
    const slots = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots;
    const first = slots[0]!.worker;
    const during = pool.process({ ...input, body: new Uint8Array(body) });
    await first.terminate();
    const outcome = await during;
    // Either it finished before the worker went, or it is refused for the sender to retry.
    assert.ok(outcome.kind === 'ok' || (outcome.kind === 'error' && outcome.error.kind === 'unavailable'), outcome.kind);
    assert.notEqual(slots[0]!.worker, first, 'a new worker took the slot');
    const next = await pool.process({ ...input, body: new Uint8Array(body) });
    assert.equal(next.kind, 'ok');
    assert.equal(next.kind === 'ok' && next.counts.recorded, 3);
  } finally {
    await pool.close();
  }
});

test('AppendJoin: one append in slice order, whatever order the slices finish in; each slice gets its own first index', async () => {
  const calls: string[][] = [];
  const ledger = {
    append: async (entries: readonly Uint8Array[]) => {
      calls.push(entries.map((e) => Buffer.from(e).toString()));
      return { firstIndex: 100 };
    },
  };
  const join = new AppendJoin(3, ledger);
  const e = (...xs: string[]): Uint8Array[] => xs.map((x) => Buffer.from(x));
  const last = join.append(2, e('c1', 'c2'));
  join.done(1); // a slice with nothing to record
  assert.equal(calls.length, 0, 'held until every slice has settled');
  const first = join.append(0, e('a1', 'a2', 'a3'));
  join.done(0);
  join.done(2);
  assert.deepEqual(await Promise.all([first, last]), [{ firstIndex: 100 }, { firstIndex: 103 }]);
  assert.deepEqual(calls, [['a1', 'a2', 'a3', 'c1', 'c2']]);
});
