// fromReadableSpan: the SDK's span as the neutral span the pipeline reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromReadableSpan, type ReadableSpanLike } from '@agentrail/core';

function sdkSpan(attributes: ReadableSpanLike['attributes']): ReadableSpanLike {
  return {
    name: 'execute_tool t', kind: 0, spanContext: () => ({ traceId: 'AB'.repeat(16), spanId: 'cd'.repeat(8) }),
    parentSpanContext: undefined, startTime: [1_700_000_000, 5], endTime: [1_700_000_001, 0], status: { code: 2, message: 'boom' },
    attributes, events: [], resource: { attributes: { 'service.name': 'svc', gone: undefined } }, instrumentationScope: { name: 's' },
  };
}

test('attributes are copied; undefined values are dropped and undefined array items become null', () => {
  const attrs = { a: 'x', n: 1, list: ['p', 'q'], holes: ['p', undefined, 'q'], skip: undefined };
  const n = fromReadableSpan(sdkSpan(attrs));
  assert.deepEqual(n.attributes, { a: 'x', n: 1, list: ['p', 'q'], holes: ['p', null, 'q'] });
  assert.deepEqual(n.resource, { 'service.name': 'svc' });
  (n.attributes as Record<string, unknown>).extra = 1;
  assert.equal('extra' in attrs, false, 'the SDK span is not changed');
  assert.equal(n.traceId, 'ab'.repeat(16));
  assert.equal(n.kind, 1);
  assert.equal(n.startTimeUnixNano, 1_700_000_000_000_000_005n);
  assert.deepEqual(n.status, { code: 2, message: 'boom' });
  assert.deepEqual(n.scope, { name: 's' });
  const plain = fromReadableSpan(sdkSpan({ a: 'x' }));
  assert.deepEqual(plain.attributes, { a: 'x' });
});
