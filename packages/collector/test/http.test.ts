// Every answer of the OTLP/HTTP endpoint, against a real collector and file ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, deflateSync, deflateRawSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { decodeStatusProto, decodeTraceResponseProto, hashToken } from '@agentrail/collector';
import { createAuditPipeline } from '@agentrail/core';
import { openFileLedger, generateKey } from '@agentrail/ledger';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { gatedLedger } from './fixtures/gate.js';
import { makeAgentSpans, toJson, toProtobuf } from './fixtures/spans.js';
import { get, post, readRecords, startCollector, tempDir } from './fixtures/harness.js';

const PB = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

test('200: protobuf and JSON bodies, plain, gzip and deflate, are recorded before the answer', async () => {
  const c = await startCollector();
  try {
    const spans = await makeAgentSpans(4);
    const pb = toProtobuf(spans);
    const js = toJson(spans);
    const sends: [Uint8Array, Record<string, string>][] = [
      [pb, PB],
      [gzipSync(pb), { ...PB, 'content-encoding': 'gzip' }],
      [deflateSync(pb), { ...PB, 'content-encoding': 'deflate' }],
      [deflateRawSync(pb), { ...PB, 'content-encoding': 'deflate' }],
      [js, JSON_CT],
      [gzipSync(js), { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' }],
    ];
    let expected = 0;
    for (const [body, headers] of sends) {
      const r = await post(`${c.url}/v1/traces`, body, headers);
      assert.equal(r.status, 200, r.body.toString());
      expected += 4;
      // Durable before the answer: the ledger already holds the records.
      assert.equal(c.collector.ledgerSize, expected);
      if (headers['content-type'] === 'application/x-protobuf') {
        assert.equal(r.headers['content-type'], 'application/x-protobuf');
        assert.deepEqual(decodeTraceResponseProto(r.body), {});
      } else {
        assert.equal(r.headers['content-type'], 'application/json');
        assert.deepEqual(JSON.parse(r.body.toString()), {});
      }
    }
    const records = await readRecords(c.dir);
    assert.equal(records.length, expected);
    assert.ok(records.every((x) => x.record.source.via === 'collector'));
  } finally {
    await c.close();
  }
});

test('405 for other methods, 404 for other paths, both with a google.rpc.Status body', async () => {
  const c = await startCollector();
  try {
    const r405 = await get(`${c.url}/v1/traces`);
    assert.equal(r405.status, 405);
    assert.equal(r405.headers.allow, 'POST');
    assert.deepEqual(JSON.parse(r405.body.toString()), { code: 12, message: 'method GET not allowed on /v1/traces; use POST' });
    const put = await post(`${c.url}/v1/traces`, toProtobuf(await makeAgentSpans(1)), PB, 'PUT');
    assert.equal(put.status, 405);
    assert.equal(decodeStatusProto(put.body).code, 12, 'a protobuf request gets a protobuf Status');
    const r404 = await post(`${c.url}/v1/logs`, '{}', JSON_CT);
    assert.equal(r404.status, 404);
    assert.match(JSON.parse(r404.body.toString()).message, /no such path \/v1\/logs/);
    assert.equal(c.collector.ledgerSize, 0);
  } finally {
    await c.close();
  }
});

test('415 for other content types and content encodings', async () => {
  const c = await startCollector();
  try {
    const body = toProtobuf(await makeAgentSpans(2));
    const r = await post(`${c.url}/v1/traces`, body, { 'content-type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.match(JSON.parse(r.body.toString()).message, /unsupported Content-Type text\/plain/);
    const none = await post(`${c.url}/v1/traces`, body);
    assert.equal(none.status, 415);
    const br = await post(`${c.url}/v1/traces`, body, { ...PB, 'content-encoding': 'br' });
    assert.equal(br.status, 415);
    assert.match(decodeStatusProto(br.body).message, /unsupported Content-Encoding "br"/);
    assert.equal(c.collector.ledgerSize, 0);
  } finally {
    await c.close();
  }
});

test('413 past the size limit, counted after decompression; a gzip bomb is stopped early', async () => {
  const c = await startCollector({ limits: { maxBodyBytes: '64KiB' } });
  try {
    const big = Buffer.alloc(70 * 1024, 0x41);
    const plain = await post(`${c.url}/v1/traces`, big, PB);
    assert.equal(plain.status, 413);
    assert.match(decodeStatusProto(plain.body).message, /exceeds the 65536-byte limit/);
    // 48 MiB of zeros are ~47 KiB on the wire; the collector must refuse them without inflating them all.
    const bomb = gzipSync(Buffer.alloc(48 * 1024 * 1024), { level: 9 });
    assert.ok(bomb.length < 64 * 1024, 'the bomb itself fits the wire limit');
    const rss0 = process.memoryUsage().rss;
    const b = await post(`${c.url}/v1/traces`, bomb, { ...PB, 'content-encoding': 'gzip' });
    assert.equal(b.status, 413);
    assert.match(decodeStatusProto(b.body).message, /decompressed body exceeds the 65536-byte limit/);
    assert.ok(process.memoryUsage().rss - rss0 < 128 * 1024 * 1024, 'the bomb was not inflated in memory');
    // Under the limit after decompression → accepted.
    const ok = await post(`${c.url}/v1/traces`, gzipSync(toProtobuf(await makeAgentSpans(3))), { ...PB, 'content-encoding': 'gzip' });
    assert.equal(ok.status, 200);
    assert.equal(c.collector.ledgerSize, 3);
  } finally {
    await c.close();
  }
});

test('400 for undecodable bodies, in the request format; nothing appended, the next request succeeds', async () => {
  const c = await startCollector();
  try {
    const good = toProtobuf(await makeAgentSpans(3));
    const bad = await post(`${c.url}/v1/traces`, good.subarray(0, good.length - 5), PB);
    assert.equal(bad.status, 400);
    const st = decodeStatusProto(bad.body);
    assert.equal(st.code, 3);
    assert.match(st.message, /malformed protobuf/);
    const badJson = await post(`${c.url}/v1/traces`, '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "xyz"}]}]}]}', JSON_CT);
    assert.equal(badJson.status, 400);
    assert.match(JSON.parse(badJson.body.toString()).message, /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId/);
    const corruptGzip = await post(`${c.url}/v1/traces`, Buffer.from('1f8b0800000000000003ffffffff', 'hex'), { ...PB, 'content-encoding': 'gzip' });
    assert.equal(corruptGzip.status, 400);
    assert.equal(c.collector.ledgerSize, 0);
    assert.equal((await post(`${c.url}/v1/traces`, good, PB)).status, 200);
    assert.equal(c.collector.ledgerSize, 3);
  } finally {
    await c.close();
  }
});

test('401 without or with wrong credentials; bearer and x-api-key both bind the identity', async () => {
  const c = await startCollector({
    auth: { credentials: [{ id: 'travel-bot', sha256: hashToken('s3cret-token'), tenant: 'acme', agentIds: ['agent-travel'] }] },
  });
  try {
    const body = toProtobuf(await makeAgentSpans(2, { agentId: 'agent-travel' }));
    const none = await post(`${c.url}/v1/traces`, body, PB);
    assert.equal(none.status, 401);
    assert.match(none.headers['www-authenticate'] ?? '', /^Bearer/);
    assert.match(decodeStatusProto(none.body).message, /missing credentials/);
    const wrong = await post(`${c.url}/v1/traces`, body, { ...PB, authorization: 'Bearer s3cret-tokem' });
    assert.equal(wrong.status, 401);
    assert.equal(decodeStatusProto(wrong.body).code, 16);
    const basic = await post(`${c.url}/v1/traces`, body, { ...PB, authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(basic.status, 401);
    assert.equal(c.collector.ledgerSize, 0);

    assert.equal((await post(`${c.url}/v1/traces`, body, { ...PB, authorization: 'Bearer s3cret-token' })).status, 200);
    assert.equal((await post(`${c.url}/v1/traces`, body, { ...PB, 'x-api-key': 's3cret-token' })).status, 200);
    const records = await readRecords(c.dir);
    assert.equal(records.length, 4);
    assert.deepEqual(records.slice(0, 2).map((r) => r.record.agent.authenticated), [{ id: 'travel-bot', method: 'bearer' }, { id: 'travel-bot', method: 'bearer' }]);
    assert.deepEqual(records.slice(2).map((r) => r.record.agent.authenticated), [{ id: 'travel-bot', method: 'api_key' }, { id: 'travel-bot', method: 'api_key' }]);
    assert.ok(records.every((r) => r.record.agent.verified && !r.record.flags.includes('identity_mismatch')));
  } finally {
    await c.close();
  }
});

test('a span claiming an agent its credential may not speak for is flagged, never trusted', async () => {
  const c = await startCollector({ auth: { credentials: [{ id: 'travel-bot', sha256: hashToken('t1'), agentIds: ['agent-travel'] }] } });
  try {
    const body = toProtobuf(await makeAgentSpans(2, { agentId: 'agent-payments' }));
    const r = await post(`${c.url}/v1/traces`, body, { ...PB, authorization: 'Bearer t1' });
    assert.equal(r.status, 200);
    assert.deepEqual(decodeTraceResponseProto(r.body), {});
    const records = await readRecords(c.dir);
    assert.equal(records.length, 2);
    for (const { record } of records) {
      assert.equal(record.agent.id, 'agent-payments');
      assert.deepEqual(record.agent.authenticated, { id: 'travel-bot', method: 'bearer' });
      assert.equal(record.agent.verified, false);
      assert.ok(record.flags.includes('identity_mismatch'));
    }
  } finally {
    await c.close();
  }
});

test('strict identity: mismatching spans are refused in partial_success, the rest recorded', async () => {
  const c = await startCollector({
    identity: 'reject',
    auth: { credentials: [{ id: 'travel-bot', sha256: hashToken('t1'), agentIds: ['agent-travel'] }] },
  });
  try {
    const good = await makeAgentSpans(2, { agentId: 'agent-travel' });
    const bad = await makeAgentSpans(3, { agentId: 'agent-payments' });
    const r = await post(`${c.url}/v1/traces`, toProtobuf([...good, ...bad]), { ...PB, authorization: 'Bearer t1' });
    assert.equal(r.status, 200);
    const { partialSuccess } = decodeTraceResponseProto(r.body);
    assert.equal(partialSuccess?.rejectedSpans, 3);
    assert.match(partialSuccess?.errorMessage ?? '', /3 of 5 spans rejected; first: ERR_IDENTITY_MISMATCH/);
    const rj = await post(`${c.url}/v1/traces`, toJson(bad), { ...JSON_CT, authorization: 'Bearer t1' });
    assert.equal(rj.status, 200);
    const pj = JSON.parse(rj.body.toString());
    assert.equal(pj.partialSuccess.rejectedSpans, '3');
    assert.equal(c.collector.ledgerSize, 2);
    assert.equal(c.collector.metrics.spansRejected.get(), 6);
  } finally {
    await c.close();
  }
});

test('429 with Retry-After when the request limit is reached, and the retry then succeeds; a slow body holds no slot', { timeout: 60_000 }, async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(join(dir, 'log'), { signerKey: generateKey('test').signerKey });
  const gated = gatedLedger(ledger);
  const c = await startCollector({ limits: { maxInFlightRequests: 1, retryAfterSeconds: 2 } }, { pipeline: createAuditPipeline({ ledger: gated }) }, dir);
  try {
    const body = toProtobuf(await makeAgentSpans(2));
    // A slow client (headers sent, body still open) takes no slot: admission is after the body.
    const slow = httpRequest(`${c.url}/v1/traces`, { method: 'POST', headers: { ...PB, 'content-length': String(body.length) } });
    const slowReply = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on('error', reject);
    });
    slow.write(body.subarray(0, 10));
    // A request whose append waits at the gate holds the only slot.
    const first = post(`${c.url}/v1/traces`, body, PB);
    await gated.waiting();
    const r = await post(`${c.url}/v1/traces`, body, PB);
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '2');
    assert.equal(decodeStatusProto(r.body).code, 8);
    gated.open();
    assert.equal((await first).status, 200);
    slow.end(body.subarray(10));
    assert.equal(await slowReply, 200);
    assert.equal((await post(`${c.url}/v1/traces`, body, PB)).status, 200);
    assert.equal(ledger.size, 6);
  } finally {
    await c.close();
    await ledger.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});

test('503 with Retry-After when the ledger cannot make records durable', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(join(dir, 'log'), { signerKey: generateKey('test').signerKey });
  const pipeline = createAuditPipeline({ ledger });
  const c = await startCollector({}, { pipeline }, dir);
  try {
    const body = toProtobuf(await makeAgentSpans(2));
    assert.equal((await post(`${c.url}/v1/traces`, body, PB)).status, 200);
    await ledger.close(); // the ledger goes away underneath the collector
    const r = await post(`${c.url}/v1/traces`, body, PB);
    assert.equal(r.status, 503);
    assert.equal(r.headers['retry-after'], '1');
    assert.equal(decodeStatusProto(r.body).code, 14);
  } finally {
    await c.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('/healthz, /readyz and /metrics', async () => {
  const c = await startCollector();
  try {
    assert.equal((await get(`${c.url}/healthz`)).status, 200);
    assert.equal((await get(`${c.url}/readyz`)).status, 200);
    assert.equal((await post(`${c.url}/metrics`, '', {}, 'POST')).status, 405);
    await post(`${c.url}/v1/traces`, toProtobuf(await makeAgentSpans(5)), PB);
    await post(`${c.url}/v1/traces`, 'nope', PB);
    const m = await get(`${c.url}/metrics`);
    assert.equal(m.status, 200);
    assert.match(String(m.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = m.body.toString();
    const value = (name: string): number => Number(new RegExp(`^${name.replace(/[{}"]/g, (x) => '\\' + x)} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.equal(value('agentrail_spans_received_total'), 5);
    assert.equal(value('agentrail_spans_recorded_total'), 5);
    assert.equal(value('agentrail_ledger_size'), 5);
    assert.equal(value('agentrail_requests_total{code="200"}'), 1);
    assert.equal(value('agentrail_requests_total{code="400"}'), 1);
    assert.equal(value('agentrail_request_duration_seconds_count'), 2);
    assert.equal(value('agentrail_append_duration_seconds_count'), 1);
    assert.equal(value('agentrail_forward_queue_depth'), 0);
    assert.equal(value('agentrail_forward_dropped_spans_total'), 0);
    assert.match(text, /# TYPE agentrail_request_duration_seconds histogram/);
  } finally {
    await c.close();
  }
});
