// Golden records: representative spans must keep producing exactly the leaf bytes pinned in
// fixtures/golden-records.json (random record ids and salted commitments masked, after checking
// that each commitment opens with its evidence). Guards every optimisation of the hot path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalize, encodeRecord, encodeRecordWithHash, toAuditRecord } from '@agentrail/core';
import { GOLDEN_CASES, maskRandomParts } from './fixtures/golden-spans.js';

const expected = JSON.parse(readFileSync(new URL('./fixtures/golden-records.json', import.meta.url), 'utf8')) as Record<string, string | null>;

test('representative spans produce the pinned canonical bytes', () => {
  assert.deepEqual(Object.keys(expected).sort(), GOLDEN_CASES.map((c) => c.name).sort(), 'one pinned record per case');
  for (const c of GOLDEN_CASES) {
    const out = toAuditRecord(c.span, c.ctx, c.options);
    if (out === null) {
      assert.equal(expected[c.name], null, c.name);
      continue;
    }
    const { record, evidence } = out;
    const text = Buffer.from(encodeRecord(record)).toString('utf8');
    assert.equal(text, canonicalize(record), c.name);
    assert.equal(Buffer.from(encodeRecordWithHash(record).bytes).toString('utf8'), text, c.name);
    if (c.options?.keepEvidence !== false) {
      for (const field of ['input', 'output'] as const) {
        const commitment = record[field];
        const item = evidence?.items.find((i) => i.field === field);
        if (commitment === null) {
          assert.equal(item, undefined, `${c.name}: no ${field} evidence without a commitment`);
          continue;
        }
        assert.ok(item, `${c.name}: ${field} evidence`);
        const opened = 'sha256:' + createHash('sha256').update(Buffer.from(item.salt, 'hex')).update(item.payload, 'utf8').digest('hex');
        assert.equal(commitment.commitment, opened, `${c.name}: ${field} commitment opens`);
        assert.equal(commitment.bytes, Buffer.byteLength(item.payload, 'utf8'), `${c.name}: ${field} size`);
      }
    }
    assert.equal(maskRandomParts(text, record), expected[c.name], c.name);
  }
});

test('records share frozen parts, yet each states its own sender, outcome and flags', () => {
  const c = GOLDEN_CASES[0]!;
  const authenticated = { id: 'billing-agent', method: 'in-process' };
  const ctx = { via: 'exporter' as const, authenticated, receivedAt: '2026-01-01T00:00:00.000000000Z' };
  const a = toAuditRecord(c.span, ctx)!.record;
  // the caller reuses and changes its identity object between calls: the next record must say so
  authenticated.id = 'someone-else';
  const b = toAuditRecord(c.span, ctx)!.record;
  assert.deepEqual(a.agent.authenticated, { id: 'billing-agent', method: 'in-process' });
  assert.deepEqual(b.agent.authenticated, { id: 'someone-else', method: 'in-process' });
  assert.equal(a.agent.verified, true);
  assert.equal(b.agent.verified, false);
  assert.deepEqual(a.flags, ['payload_committed']);
  assert.deepEqual(b.flags, ['identity_mismatch', 'payload_committed']);
  const failed = toAuditRecord({ ...c.span, status: { code: 2 } }, ctx)!.record;
  assert.deepEqual(failed.outcome, { errorType: '_OTHER', status: 'error' });
  assert.deepEqual(toAuditRecord({ ...c.span, status: { code: 1 } }, ctx)!.record.outcome, { errorType: null, status: 'ok' });
  for (const r of [a, b, failed]) {
    assert.ok(Object.isFrozen(r.flags) && Object.isFrozen(r.outcome) && Object.isFrozen(r.source) && Object.isFrozen(r.source.conventions));
    assert.ok(Object.isFrozen(r.agent.authenticated));
    assert.throws(() => { (r.flags as string[]).push('x'); }, TypeError);
    assert.equal(Buffer.from(encodeRecord(r)).toString('utf8'), canonicalize(r));
  }
});
