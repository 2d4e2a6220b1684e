// The fast record encoder must produce exactly the RFC 8785 bytes of the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { leafHash } from '@agentrail/ledger';
import { canonicalize, decodeRecord, encodeRecord, encodeRecordWithHash, toAuditRecord, type AuditRecord, type NeutralSpan } from '@agentrail/core';
import { assertValidRecord } from './support.js';
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

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** Either the change throws, or the record's bytes are still exactly its canonical JSON. */
function assertChangeIsSafe(what: string, change: (r: Record<string, any>) => void): void {
  const record = toAuditRecord(spanFor(rnd(3), 0), { via: 'collector', authenticated: { id: 'a', method: 'm' } })!.record;
  const before = utf8(encodeRecord(record));
  let threw = false;
  try {
    change(record as unknown as Record<string, any>);
  } catch (err) {
    assert.ok(err instanceof TypeError, `${what}: ${String(err)}`);
    threw = true;
  }
  const after = utf8(encodeRecord(record));
  assert.equal(after, reference(record), what);
  assert.equal(utf8(encodeRecordWithHash(record).bytes), after, what);
  if (threw) assert.equal(after, before, `${what}: a refused change leaves the record as it was`);
}

test('a built record cannot be changed into one whose bytes differ from canonicalize(record)', () => {
  const changes: Array<[string, (r: Record<string, any>) => void]> = [
    ['add a top-level key', (r) => { r.extra = { b: 1, a: 2 }; }],
    ['delete a top-level key', (r) => { delete r.session; }],
    ['replace a top-level object', (r) => { r.outcome = { status: 'ok', errorType: null, extra: 1 }; }],
    ['add a key to agent', (r) => { r.agent.team = 'payments'; }],
    ['change agent.id to a number', (r) => { r.agent.id = 42; }],
    ['push to flags', (r) => { r.flags.push('zzz'); }],
    ['sort flags in place', (r) => { r.flags.reverse(); }],
    ['replace action.tool with extra keys', (r) => { r.action.tool = { name: 't', callId: null, type: null, extra: true }; }],
    ['add a key to action.tool', (r) => { r.action.tool.extra = true; }],
    ['change trace.spanId', (r) => { r.trace.spanId = 'x'; }],
    ['add a delegation entry', (r) => { r.principal.delegation.push({ id: 'u', type: 'user' }); }],
    ['change a delegation entry', (r) => { r.principal.delegation[0].id = 'someone-else'; }],
    ['add an authorization scope', (r) => { r.authorization.scopes.push('admin'); }],
    ['change the input commitment', (r) => { r.input.bytes = 1; }],
    ['add a convention', (r) => { r.source.conventions.push('x'); }],
    ['change time.start', (r) => { r.time.start = 'yesterday'; }],
    ['add an attribute', (r) => { r.attributes['new.key'] = 'v'; }],
    ['delete an attribute', (r) => { delete r.attributes.num; }],
    ['define a property on agent', (r) => { Object.defineProperty(r.agent, 'hidden', { value: 1, enumerable: true }); }],
    ['swap the prototype of agent', (r) => { Object.setPrototypeOf(r.agent, { inherited: 1 }); }],
    // attribute values are the span's own values; they always go through the generic encoder
    ['change inside an attribute value', (r) => { r.attributes.list.push({ b: 1, a: [2] }); }],
    // sloppy-mode code does not throw on a frozen object; the change is ignored instead
    ['sloppy-mode assignments', (r) => { new Function('r', 'r.agent.id = 7; r.flags[5] = "x"; r.extra = 1;')(r); }],
  ];
  for (const [what, change] of changes) assertChangeIsSafe(what, change);
});

test('copies of a built record take the generic encoder and stay canonical', () => {
  const record = toAuditRecord(spanFor(rnd(5), 1), { via: 'exporter' })!.record;
  const spread = { ...record, extra: { b: 1, a: 2 } } as unknown as AuditRecord;
  assert.equal(utf8(encodeRecord(spread)), reference(spread));
  const clone = structuredClone(record) as unknown as Record<string, any>;
  clone.agent.team = 'payments';
  clone.flags.push('a_flag');
  assert.equal(utf8(encodeRecord(clone as unknown as AuditRecord)), reference(clone));
  // an object that only inherits from a built record is not mistaken for one
  const own = { ...(JSON.parse(JSON.stringify(record)) as Record<string, unknown>), extra: 1 };
  const heir = Object.create(record, Object.getOwnPropertyDescriptors(own)) as Record<string, any>;
  heir.agent.team = 'x';
  assert.equal(utf8(encodeRecord(heir as unknown as AuditRecord)), reference({ ...heir }));
});

test('decodeRecord returns what was encoded, and it matches the JSON Schema', () => {
  const r = rnd(11);
  for (let i = 0; i < 200; i++) {
    const record = toAuditRecord(spanFor(r, i), { via: 'collector', authenticated: i % 2 ? { id: 'x', method: 'm' } : null })!.record;
    const bytes = encodeRecord(record);
    const decoded = decodeRecord(bytes);
    assert.deepEqual(decoded, JSON.parse(reference(record)));
    assertValidRecord(record);
    assertValidRecord(decoded);
    // a decoded record is a plain, changeable object, and re-encodes to the same leaf
    assert.equal(Object.isFrozen(decoded), false);
    assert.deepEqual(encodeRecord(decoded), bytes);
  }
});

test('span values that name Object.prototype members are plain data in the record', () => {
  const cases: Array<[string, string]> = [
    ['gen_ai.operation.name', 'constructor'], ['gen_ai.operation.name', '__proto__'], ['gen_ai.operation.name', 'toString'],
    ['openinference.span.kind', 'constructor'], ['ai.operationId', 'hasOwnProperty'],
  ];
  for (const [key, value] of cases) {
    const span = spanFor(rnd(9), 0);
    // a decoder (JSON.parse) can hand over an own attribute called __proto__
    const attributes = JSON.parse(`{"__proto__": ["x"], "gen_ai.agent.id": "agent-1", ${JSON.stringify(key)}: ${JSON.stringify(value)}}`) as Record<string, AttributeValue>;
    const record = toAuditRecord({ ...span, attributes }, { via: 'collector' })!.record;
    assert.equal(typeof record.action.operation, 'string', `${key}=${value}`);
    assert.deepEqual(Object.getOwnPropertyDescriptor(record.attributes, '__proto__')?.value, ['x']);
    assert.equal(utf8(encodeRecord(record)), reference(record));
    assertValidRecord(decodeRecord(encodeRecord(record)));
  }
});

test('consecutive records that differ in one field each encode exactly (repeating parts are reused)', () => {
  const base: Record<string, AttributeValue> = {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'create_invoice', 'gen_ai.tool.call.id': 'call_1',
    'gen_ai.conversation.id': 'conv-1', 'session.id': 's-1', 'agentrail.agent.id': 'billing-agent', 'agentrail.agent.version': '1',
    'agentrail.principal.id': 'alice', 'agentrail.principal.tenant': 'acme', 'agentrail.delegation.chain': ['user:bob'],
    'agentrail.action.kind': 'write', 'agentrail.action.risk': 'medium', 'agentrail.resource.type': 'invoice', 'agentrail.resource.id': 'inv-1',
    'server.address': 'erp.internal', 'http.response.status_code': 200, 'list': ['a', 'b'],
  };
  const variants: Array<Record<string, AttributeValue>> = [
    {}, { 'agentrail.agent.version': '2' }, { 'agentrail.principal.id': 'carol' }, { 'agentrail.principal.tenant': 'globex' },
    { 'agentrail.delegation.chain': ['user:bob', 'agent:x'] }, { 'agentrail.delegation.chain': [] }, { 'gen_ai.conversation.id': 'conv-2' },
    { 'session.id': 's-2' }, { 'agentrail.action.risk': 'low' }, { 'agentrail.resource.id': 'inv-2' }, { 'gen_ai.tool.name': 'void_invoice' },
    { 'server.address': 'erp2.internal' }, { 'http.response.status_code': -0 }, { 'http.response.status_code': 201 },
    { 'extra': 'x' }, { 'list': ['a', 'c'] }, { 'list': 'now a string' }, { 'agentrail.agent.id': 'other-agent' },
  ];
  const span = spanFor(rnd(21), 0);
  const auths = [{ id: 'billing-agent', method: 'bearer' }, { id: 'billing-agent', method: 'mtls' }, null];
  let n = 0;
  for (let round = 0; round < 3; round++) {
    for (const v of variants) {
      for (const same of [false, true]) {
        const ctx = { via: 'collector' as const, authenticated: auths[n % 3]!, receivedAt: `2026-01-01T00:00:0${n % 2}.000000000Z` };
        const record = toAuditRecord({ ...span, name: n % 4 === 0 ? 'other name' : span.name, attributes: { ...base, ...v }, status: { code: (n % 3) as 0 | 1 | 2 } }, ctx)!.record;
        n++;
        const text = utf8(encodeRecord(record));
        assert.equal(text, reference(record), `variant ${JSON.stringify(v)}, repeated ${same}`);
        assert.equal(utf8(encodeRecordWithHash(record).bytes), text);
      }
    }
  }
  // a value inside an attribute changed between two encodings of the same record
  const record = toAuditRecord({ ...span, attributes: { ...base, 'list': ['a'] } }, { via: 'collector' })!.record;
  const first = utf8(encodeRecord(record));
  (record.attributes.list as string[]).push('b');
  assert.notEqual(utf8(encodeRecord(record)), first);
  assert.equal(utf8(encodeRecord(record)), reference(record));
});

test('large records and many records in a row get exact bytes and leaf hashes', () => {
  const span = spanFor(rnd(31), 0);
  const records: AuditRecord[] = [];
  for (let i = 0; i < 400; i++) {
    const big = i % 50 === 0; // some records far larger than the rest (several 4,000-character attributes)
    const attributes = { ...span.attributes, 'gen_ai.tool.call.id': `call_${i}`, ...(big ? { a: 'é'.repeat(4000), b: 'x'.repeat(4000), c: '日'.repeat(4000) } : {}) };
    records.push(toAuditRecord({ ...span, attributes }, { via: 'collector' })!.record);
  }
  const encoded = records.map((r) => encodeRecordWithHash(r));
  // checked after all were encoded: a later record must not overwrite an earlier one's bytes
  records.forEach((r, i) => {
    assert.equal(utf8(encoded[i]!.bytes), reference(r));
    assert.equal(encoded[i]!.recordHash, Buffer.from(leafHash(encoded[i]!.bytes)).toString('hex'));
    assert.deepEqual(encoded[i]!.leafHash, leafHash(encoded[i]!.bytes));
  });
});
