// The audit pipeline against the real file ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leafHash } from '@agentrail/ledger';
import { createAuditPipeline, decodeRecord, PipelineClosedError, InvalidOptionError, type NeutralSpan } from '@agentrail/core';
import { neutralSpan, tempLedger } from './support.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

async function toolSpan(agent: string, i = 0): Promise<NeutralSpan> {
  return neutralSpan(`execute_tool t${i}`, {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': `t${i}`, 'agentrail.agent.id': agent,
    'gen_ai.tool.call.arguments': JSON.stringify({ i }),
  });
}

test('consume: recorded, skipped and rejected spans, in order, durable on return', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger });
    const agentSpan = await toolSpan('agent-1');
    const plain = await neutralSpan('GET /health', { 'http.request.method': 'GET' });
    const bad = { ...(await toolSpan('agent-1')), spanId: 'nothex' };
    const second = await toolSpan('agent-1', 2);
    const results = await pipeline.consume([agentSpan, plain, bad, second], { via: 'collector', authenticated: { id: 'agent-1', method: 'bearer' } });
    assert.equal(results.length, 4);
    assert.equal(results[1]!.status, 'skipped');
    assert.equal(results[2]!.status, 'rejected');
    assert.equal(results[2]!.status === 'rejected' && results[2]!.code, 'ERR_INVALID_SPAN');
    const r0 = results[0]!;
    const r3 = results[3]!;
    assert.ok(r0.status === 'recorded' && r3.status === 'recorded');
    assert.equal(r3.index, r0.index + 1, 'one append call: contiguous indexes');
    for (const r of [r0, r3]) {
      const entry = await t.ledger.readEntry(r.index);
      assert.equal(r.recordHash, hex(leafHash(entry)));
      assert.deepEqual(r.flags, ['payload_committed']);
    }
    assert.equal(decodeRecord(await t.ledger.readEntry(r0.index)).trace.spanId, agentSpan.spanId);
    assert.deepEqual(pipeline.stats, { received: 4, recorded: 2, skipped: 1, rejected: 1, flagged: 2 });
    await pipeline.shutdown();
  } finally {
    await t.cleanup();
  }
});

test('concurrent consume calls get distinct, contiguous indexes', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger });
    const batches = await Promise.all(Array.from({ length: 20 }, async (_, b) => Promise.all(Array.from({ length: 5 }, (_, i) => toolSpan('a', b * 5 + i)))));
    const all = await Promise.all(batches.map((spans) => pipeline.consume(spans, { via: 'exporter' })));
    const indexes = all.flat().map((r) => (r.status === 'recorded' ? r.index : -1)).sort((a, b) => a - b);
    assert.deepEqual(indexes, Array.from({ length: 100 }, (_, i) => i));
    for (const batch of all) {
      // within one call, records are contiguous and in span order
      const idx = batch.map((r) => (r.status === 'recorded' ? r.index : -1));
      for (let i = 1; i < idx.length; i++) assert.equal(idx[i], idx[i - 1]! + 1);
    }
    assert.equal(t.ledger.size >= 0, true);
    await pipeline.shutdown();
  } finally {
    await t.cleanup();
  }
});

test("identity 'reject' refuses a span claiming an agent the sender may not act as", async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger, identity: 'reject' });
    const own = await toolSpan('agent-1');
    const other = await toolSpan('agent-2');
    const anon = await neutralSpan('chat', { 'gen_ai.operation.name': 'chat' });
    const [a, b, c] = await pipeline.consume([own, other, anon], { via: 'collector', authenticated: { id: 'agent-1', method: 'bearer' } });
    assert.equal(a!.status, 'recorded');
    assert.deepEqual(b, { status: 'rejected', code: 'ERR_IDENTITY_MISMATCH', reason: 'The span claims agent "agent-2", which the sender\'s credential may not act as.' });
    assert.equal(c!.status, 'recorded', 'missing identity is flagged, never dropped');
    assert.ok(c!.status === 'recorded' && c!.flags.includes('identity_missing'));
    await pipeline.shutdown();
  } finally {
    await t.cleanup();
  }
});

test('shutdown is idempotent, waits for in-flight calls, and consume afterwards throws', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger });
    let settled = false;
    const inflight = pipeline.consume([await toolSpan('a')], { via: 'exporter' });
    void inflight.then(() => { settled = true; });
    await Promise.all([pipeline.shutdown(), pipeline.shutdown()]);
    assert.equal(settled, true, 'in-flight work settled before shutdown resolved');
    assert.equal((await inflight)[0]!.status, 'recorded');
    await assert.rejects(pipeline.consume([await toolSpan('a')], { via: 'exporter' }), (e: unknown) => e instanceof PipelineClosedError && e.code === 'ERR_PIPELINE_CLOSED');
    await pipeline.forceFlush();
    await pipeline.shutdown();
  } finally {
    await t.cleanup();
  }
});

test('a ledger failure rejects consume (nothing is acknowledged)', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger });
    await t.ledger.close();
    await assert.rejects(pipeline.consume([await toolSpan('a')], { via: 'exporter' }));
    assert.equal(pipeline.stats.recorded, 0);
  } finally {
    await t.cleanup();
  }
});

test('a lazy source: spans are mapped as produced; a source that fails part way appends nothing', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger });
    const spans = [await toolSpan('agent-1', 1), await toolSpan('agent-1', 2), await toolSpan('agent-1', 3)];
    let produced = 0;
    function* lazy(failAt: number): Generator<NeutralSpan> {
      for (let i = 0; i < spans.length; i++) {
        if (i === failAt) throw Object.assign(new Error('truncated body'), { code: 'ERR_TEST_DECODE' });
        produced++;
        yield spans[i]!;
      }
    }
    const failure = await pipeline.consume(lazy(2), { via: 'collector' }).then(() => null, (e: unknown) => e);
    assert.ok(failure instanceof Error && (failure as Error & { code?: string }).code === 'ERR_TEST_DECODE', 'the source\'s own error');
    assert.equal(produced, 2, 'the spans before the failure were produced');
    assert.equal(t.ledger.size, 0, 'nothing of the failed batch was appended');
    assert.deepEqual(pipeline.stats, { received: 0, recorded: 0, skipped: 0, rejected: 0, flagged: 0 });

    const results = await pipeline.consume(lazy(-1), { via: 'collector' });
    assert.deepEqual(results.map((r) => r.status === 'recorded' && r.index), [0, 1, 2]);
    for (const [i, r] of results.entries()) {
      assert.ok(r.status === 'recorded');
      assert.equal(decodeRecord(await t.ledger.readEntry(r.index)).trace.spanId, spans[i]!.spanId);
    }
    assert.equal(pipeline.stats.received, 3);
  } finally {
    await t.cleanup();
  }
});

test('an empty batch or a batch of non-actions never touches the ledger', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger });
    assert.deepEqual(await pipeline.consume([], { via: 'exporter' }), []);
    const r = await pipeline.consume([await neutralSpan('db', { 'db.system.name': 'redis' })], { via: 'exporter' });
    assert.deepEqual(r, [{ status: 'skipped' }]);
    assert.equal(t.ledger.size, 0);
  } finally {
    await t.cleanup();
  }
});

test('options are validated', () => {
  assert.throws(() => createAuditPipeline({} as never), InvalidOptionError);
  const ledger = { append: async () => ({ firstIndex: 0 }) };
  assert.throws(() => createAuditPipeline({ ledger, identity: 'drop' as never }), InvalidOptionError);
  assert.throws(() => createAuditPipeline({ ledger, maxAttributeLength: 3 }), InvalidOptionError);
  assert.throws(() => createAuditPipeline({ ledger, redaction: { patterns: [{ name: 'x', pattern: /x/ }] } }), InvalidOptionError);
});

test('odd values from a decoder (bigint, NaN in payloads) are recorded, a bad span does not sink its batch', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({ ledger: t.ledger });
    const odd = await toolSpan('a', 1);
    const attrs = odd.attributes as Record<string, unknown>;
    attrs['big.count'] = 2n ** 70n;
    attrs['ai.embedding'] = [0.5, NaN, Infinity];
    const bad = { ...(await toolSpan('a', 2)), traceId: 'XYZ' };
    const [r1, r2] = await pipeline.consume([odd, bad], { via: 'collector' });
    assert.ok(r1!.status === 'recorded');
    assert.equal(r2!.status, 'rejected');
    const record = decodeRecord(await t.ledger.readEntry(r1.index));
    assert.equal(record.attributes['big.count'], '1180591620717411303424');
    assert.ok(record.output, 'the embedding is committed');
  } finally {
    await t.cleanup();
  }
});
