// Forwarding to an OTLP/HTTP backend: annotated spans, retries through an outage, the spool
// surviving a restart, and counted drops beyond its size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeTraceRequestProto, type OtlpSpan } from '@agentrail/collector';
import { leafHashHex } from '@agentrail/core';
import { readLedgerEntries } from '@agentrail/ledger';
import { makeAgentSpans, toJson, toProtobuf } from './fixtures/spans.js';
import { get, post, startCollector, tempDir } from './fixtures/harness.js';

const PB = { 'content-type': 'application/x-protobuf' };

/** An OTLP/HTTP backend in this process; `answer` decides each reply's status. */
class Backend {
  readonly batches: Uint8Array[] = [];
  readonly paths: string[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  private server: Server;
  url = '';
  constructor(public answer: (n: number) => number = () => 200) {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.answer(this.paths.length);
        this.paths.push(req.url ?? '');
        if (status === 200) this.batches.push(Buffer.concat(chunks));
        res.writeHead(status, status === 503 ? { 'retry-after': '0' } : {});
        res.end();
        this.waiters = this.waiters.filter((w) => (this.batches.length >= w.n ? (w.resolve(), false) : true));
      });
    });
  }
  async listen(port = 0): Promise<this> {
    await new Promise<void>((ok) => this.server.listen(port, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  /** Resolves once `n` batches were accepted. */
  received(n: number): Promise<void> {
    if (this.batches.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  spans(): OtlpSpan[] {
    return this.batches.flatMap((b) => decodeTraceRequestProto(b).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

function attr(span: OtlpSpan, key: string): unknown {
  const kv = span.attributes.find((a) => a.key === key);
  if (!kv?.value) return undefined;
  if (kv.value.stringValue != null && Object.hasOwn(kv.value, 'stringValue')) return kv.value.stringValue;
  if (Object.hasOwn(kv.value, 'intValue')) return Number(kv.value.intValue as never);
  return undefined;
}

test('forwarded spans carry agentrail.record.index and .hash of their ledger records', { timeout: 60_000 }, async () => {
  const backend = await new Backend().listen();
  const c = await startCollector({ workers: 1, forward: { url: backend.url } });
  try {
    const spans = await makeAgentSpans(5);
    assert.equal((await post(`${c.url}/v1/traces`, toProtobuf(spans), PB)).status, 200);
    assert.equal((await post(`${c.url}/v1/traces`, toJson(spans.slice(0, 2)), { 'content-type': 'application/json' })).status, 200);
    await backend.received(2);
    assert.deepEqual(backend.paths, ['/v1/traces', '/v1/traces']);
    const hashes = new Map<number, string>();
    for await (const e of readLedgerEntries(join(c.dir, 'log'))) hashes.set(e.index, leafHashHex(e.data));
    const forwarded = backend.spans();
    assert.equal(forwarded.length, 7);
    for (const s of forwarded) {
      const index = attr(s, 'agentrail.record.index') as number;
      assert.equal(typeof index, 'number');
      assert.equal(attr(s, 'agentrail.record.hash'), hashes.get(index), 'the hash is the leaf hash of the record at that index');
      assert.equal(attr(s, 'gen_ai.agent.id'), 'agent-travel', 'original attributes are kept');
    }
    assert.deepEqual(new Set(forwarded.map((s) => attr(s, 'agentrail.record.index'))), new Set([0, 1, 2, 3, 4, 5, 6]));
  } finally {
    await c.close();
    await backend.close();
  }
});

test('a backend outage never blocks the collector; batches are retried until delivered', { timeout: 60_000 }, async () => {
  // The backend fails the first 6 attempts with 503, then recovers.
  const backend = await new Backend((n) => (n < 6 ? 503 : 200)).listen();
  const c = await startCollector({ forward: { url: `${backend.url}/v1/traces` } });
  try {
    for (let i = 0; i < 3; i++) {
      assert.equal((await post(`${c.url}/v1/traces`, toProtobuf(await makeAgentSpans(2)), PB)).status, 200);
    }
    assert.equal(c.collector.ledgerSize, 6);
    await backend.received(3);
    assert.equal(backend.spans().length, 6);
    assert.ok(backend.paths.length >= 9, 'failed attempts were retried');
  } finally {
    await c.close();
    await backend.close();
  }
});

test('spooled batches survive a collector restart and are delivered after it', { timeout: 60_000 }, async () => {
  const dir = await tempDir();
  // Reserve a port for the backend, then leave it closed while the first collector runs.
  const probe = await new Backend().listen();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  try {
    const first = await startCollector({ forward: { url: `http://127.0.0.1:${port}` } }, {}, dir);
    for (let i = 0; i < 3; i++) assert.equal((await post(`${first.url}/v1/traces`, toProtobuf(await makeAgentSpans(4)), PB)).status, 200);
    const m = (await get(`${first.url}/metrics`)).body.toString();
    assert.match(m, /^agentrail_forward_queue_depth 3$/m);
    await first.close();

    const backend = await new Backend().listen(port);
    const second = await startCollector({ forward: { url: backend.url } }, {}, dir);
    try {
      await backend.received(3);
      assert.equal(backend.spans().length, 12);
    } finally {
      await second.close();
      await backend.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('beyond the spool size batches are dropped, counted and reported; the ledger still has everything', { timeout: 60_000 }, async () => {
  const probe = await new Backend().listen();
  const deadUrl = probe.url;
  await probe.close();
  const c = await startCollector({ forward: { url: deadUrl, spoolMaxBytes: 6000 } });
  try {
    const body = toProtobuf(await makeAgentSpans(4));
    assert.ok(body.length < 2000, `batch of ${body.length} bytes: about three fit in the spool`);
    for (let i = 0; i < 5; i++) assert.equal((await post(`${c.url}/v1/traces`, body, PB)).status, 200);
    assert.equal(c.collector.ledgerSize, 20);
    const m = (await get(`${c.url}/metrics`)).body.toString();
    const depth = Number(/^agentrail_forward_queue_depth (\d+)$/m.exec(m)?.[1]);
    const dropped = Number(/^agentrail_forward_dropped_spans_total (\d+)$/m.exec(m)?.[1]);
    assert.ok(depth >= 1 && depth < 5, `depth ${depth}`);
    assert.equal(dropped, (5 - depth) * 4);
  } finally {
    await c.close();
  }
});

test('a batch the backend refuses permanently (4xx) is dropped and counted, not retried forever', { timeout: 60_000 }, async () => {
  const backend = await new Backend((n) => (n === 0 ? 400 : 200)).listen();
  const c = await startCollector({ forward: { url: backend.url } });
  try {
    assert.equal((await post(`${c.url}/v1/traces`, toProtobuf(await makeAgentSpans(3)), PB)).status, 200);
    assert.equal((await post(`${c.url}/v1/traces`, toProtobuf(await makeAgentSpans(2)), PB)).status, 200);
    await backend.received(1);
    assert.equal(backend.spans().length, 2);
    // The backend has the batch; the forwarder counts it once it has read the answer.
    let m = '';
    do m = (await get(`${c.url}/metrics`)).body.toString();
    while (!/^agentrail_forward_sent_batches_total 1$/m.test(m));
    assert.match(m, /^agentrail_forward_dropped_spans_total 3$/m);
    assert.match(m, /^# TYPE agentrail_forward_dropped_spans_total counter$/m);
  } finally {
    await c.close();
    await backend.close();
  }
});

test('in strict identity mode a rejected (spoofed) span is not forwarded; the accepted ones are', { timeout: 60_000 }, async () => {
  const backend = await new Backend().listen();
  const c = await startCollector({
    identity: 'reject',
    forward: { url: backend.url },
    auth: { credentials: [{ id: 'travel-bot', sha256: createHash('sha256').update('t1').digest('hex'), agentIds: ['agent-travel'] }] },
  });
  try {
    const good = await makeAgentSpans(2, { agentId: 'agent-travel' });
    const bad = await makeAgentSpans(3, { agentId: 'agent-payments' });
    const r = await post(`${c.url}/v1/traces`, toProtobuf([...good, ...bad]), { ...PB, authorization: 'Bearer t1' });
    assert.equal(r.status, 200);
    await backend.received(1);
    const ids = new Set(backend.spans().map((s) => Buffer.from(s.spanId as Uint8Array).toString('hex')));
    assert.deepEqual(ids, new Set(good.map((s) => s.spanContext().spanId)));
  } finally {
    await c.close();
    await backend.close();
  }
});
