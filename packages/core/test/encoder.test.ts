// The fast record encoder must produce exactly the RFC 8785 bytes of the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { leafHash } from '@agentrail/ledger';
import { canonicalize, encodeRecord, encodeRecordWithHash, toAuditRecord, type NeutralSpan } from '@agentrail/core';
import type { AttributeValue } from '@agentrail/semconv';

const require = createRequire(import.meta.url);
const reference = require('canonicalize') as (v: unknown) => string;

const POOL = ['a', 'Z', '"', '\\', '\n', '\u0000', '\u001f', 'é', '\u2028', '😀', '\ud800', '\udc00', '日', ' ', '/', '\u00ff', 'sk-', ':'];
function rnd(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

function spanFor(r: () => number, i: number): NeutralSpan {
  const str = (max: number): string => {
    let s = '';
    const n = Math.floor(r() * max);
    for (let k = 0; k < n; k++) s += POOL[Math.floor(r() * POOL.length)];
    return s;
  };
  const attrs: Record<string, AttributeValue> = {
    'gen_ai.operation.name': ['execute_tool', 'chat', 'invoke_agent', 'retrieval', 'weird'][i % 5]!,
    'gen_ai.tool.name': str(12),
    'gen_ai.agent.id': str(10),
    'agentrail.principal.id': str(8),
    'agentrail.principal.tenant': str(6),
    'agentrail.delegation.chain': [`user:${str(4)}`, `agent:${str(4)}`],
    'agentrail.authz.decision': i % 2 ? 'allow' : 'deny',
    'agentrail.authz.scopes': [str(5), str(5)],
    'agentrail.approval.status': 'approved',
    'agentrail.approval.approver.id': str(6),
    'gen_ai.tool.call.arguments': `{"x":${JSON.stringify(str(30))}}`,
    [str(6) || 'k']: str(50),
    'num': (r() - 0.5) * 10 ** Math.floor(r() * 30 - 10),
    'list': [r() * 1e21, -0, str(3), true],
  };
  return {
    traceId: (i + 1).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: i % 3 ? null : 'f'.repeat(16), name: str(20), kind: 1,
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i), endTimeUnixNano: 1_700_000_000_500_000_000n + BigInt(i),
    attributes: attrs, resource: { 'service.name': str(8) }, scope: null, status: { code: (i % 3) as 0 | 1 | 2 }, events: [],
  };
}

test('encodeRecord equals canonicalize and the reference JCS on 3,000 generated records', () => {
  const r = rnd(7);
  for (let i = 0; i < 3000; i++) {
    const out = toAuditRecord(spanFor(r, i), { via: 'collector', authenticated: i % 2 ? { id: 'x"y', method: 'm' } : null });
    assert.ok(out);
    const fast = Buffer.from(encodeRecord(out.record)).toString('utf8');
    assert.equal(fast, canonicalize(out.record));
    assert.equal(fast, reference(out.record));
    const both = encodeRecordWithHash(out.record);
    assert.equal(Buffer.from(both.bytes).toString('utf8'), fast);
    assert.equal(both.recordHash, Buffer.from(leafHash(both.bytes)).toString('hex'));
  }
});

test('a record changed after it was built is still encoded canonically', () => {
  const out = toAuditRecord(spanFor(rnd(1), 0), { via: 'exporter' })!;
  const extended = out.record as unknown as Record<string, unknown>;
  extended.extra = { b: 1, a: 2 };
  assert.equal(Buffer.from(encodeRecord(out.record)).toString('utf8'), reference(out.record));
});
