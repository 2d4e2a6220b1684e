// Payload commitments: sha256(salt ‖ UTF-8 payload), whatever the payload's size or characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { commitmentOf, freshSalt, toAuditRecord, type NeutralSpan } from '@agentrail/core';

const payloads = ['', 'a', '{"x":1}', 'é日😀'.repeat(300), 'x'.repeat(1024), 'z'.repeat(10_000), 'ü'.repeat(30_000), 'y'.repeat(200_000), '\ud800 lone'];

test('commitmentOf is sha256(salt ‖ UTF-8 bytes) for small, large and multi-byte payloads', () => {
  for (const p of payloads) {
    const salt = freshSalt();
    const expected = 'sha256:' + createHash('sha256').update(salt).update(Buffer.from(p, 'utf8')).digest('hex');
    assert.equal(commitmentOf(salt, p), expected, `string of ${p.length}`);
    assert.equal(commitmentOf(salt, Buffer.from(p, 'utf8')), expected, `bytes of ${p.length}`);
  }
});

test('a record states the payload size in UTF-8 bytes', () => {
  for (const p of payloads) {
    const span: NeutralSpan = {
      traceId: '1'.repeat(32), spanId: '2'.repeat(16), parentSpanId: null, name: 'execute_tool t', kind: 1,
      startTimeUnixNano: 1n, endTimeUnixNano: 2n, resource: {}, scope: null, status: { code: 0 }, events: [],
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 't', 'gen_ai.tool.call.arguments': p },
    };
    const { record, evidence } = toAuditRecord(span, { via: 'exporter' })!;
    assert.equal(record.input?.bytes, Buffer.byteLength(p, 'utf8'));
    const item = evidence!.items[0]!;
    // the evidence holds the span's own payload, and the commitment is sha256(salt ‖ its UTF-8 bytes)
    assert.equal(item.payload, p);
    const expected = 'sha256:' + createHash('sha256').update(Buffer.from(item.salt, 'hex')).update(Buffer.from(p, 'utf8')).digest('hex');
    assert.equal(record.input?.commitment, expected);
  }
});
