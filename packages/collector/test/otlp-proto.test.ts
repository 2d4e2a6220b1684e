import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeStatusProto,
  decodeTraceRequestProto,
  decodeTraceResponseProto,
  encodeStatusProto,
  encodeTraceRequestProto,
  encodeTraceResponseProto,
  OtlpDecodeError,
  toNeutralSpans,
} from '@agentrail/collector';
import { makeAgentSpans, toProtobuf } from './fixtures/spans.js';
import { cat, ld, nestedAnyValue, requestWithSpan, spanBytes, utf8 } from './fixtures/wire.js';

test('decodes what the official OTLP protobuf serializer writes', async () => {
  const sdkSpans = await makeAgentSpans(5);
  const { spans } = toNeutralSpans(decodeTraceRequestProto(toProtobuf(sdkSpans)));
  assert.equal(spans.length, 5);
  const bySpanId = new Map(spans.map((s) => [s.spanId, s]));
  for (const sdk of sdkSpans) {
    const n = bySpanId.get(sdk.spanContext().spanId);
    assert.ok(n, 'every SDK span arrives');
    assert.equal(n.traceId, sdk.spanContext().traceId);
    assert.equal(n.name, sdk.name);
    assert.equal(n.kind, sdk.kind + 1, 'SDK SpanKind + 1 = OTLP SpanKind');
    assert.equal(n.parentSpanId, sdk.parentSpanContext?.spanId ?? null);
    assert.equal(n.startTimeUnixNano, BigInt(sdk.startTime[0]) * 1_000_000_000n + BigInt(sdk.startTime[1]));
    assert.equal(n.endTimeUnixNano, BigInt(sdk.endTime[0]) * 1_000_000_000n + BigInt(sdk.endTime[1]));
    assert.deepEqual(n.attributes, { ...sdk.attributes });
    assert.deepEqual(n.resource, { 'service.name': 'travel-agent', 'service.version': '1.2.3' });
    assert.deepEqual(n.scope, { name: 'agent-tests', version: '0.1.0' });
    assert.equal(n.status.code, sdk.status.code);
    assert.equal(n.events.length, sdk.events.length);
  }
  const failed = spans.filter((s) => s.status.code === 2);
  for (const f of failed) assert.equal(f.status.message, 'seat unavailable');
});

test('re-encoding a decoded request loses nothing', async () => {
  const bytes = toProtobuf(await makeAgentSpans(8));
  const first = decodeTraceRequestProto(bytes);
  const again = decodeTraceRequestProto(encodeTraceRequestProto(first));
  assert.deepEqual(toNeutralSpans(again).spans, toNeutralSpans(first).spans);
});

test('every AnyValue kind becomes a JSON-safe attribute value', () => {
  const anyOf = (field: number, payload: Uint8Array): Uint8Array => ld(field, payload);
  const kv = (k: string, v: Uint8Array): Uint8Array => cat(ld(1, utf8(k)), ld(2, v));
  const big = Buffer.from([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]); // int_value = 2^63-1
  const neg = Buffer.from([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // int_value = -1
  const dbl = Buffer.alloc(9);
  dbl[0] = 0x21; // double_value
  dbl.writeDoubleLE(2.5, 1);
  const nan = Buffer.alloc(9);
  nan[0] = 0x21;
  nan.writeDoubleLE(NaN, 1);
  const attrs = [
    kv('s', anyOf(1, utf8('hi'))),
    kv('b', Buffer.from([0x10, 0x01])),
    kv('i', Buffer.from([0x18, 0x2a])),
    kv('big', big),
    kv('neg', neg),
    kv('d', dbl),
    kv('nan', nan),
    kv('arr', ld(5, cat(ld(1, ld(1, utf8('a'))), ld(1, Buffer.from([0x18, 0x07]))))),
    kv('kv', ld(6, ld(1, kv('inner', ld(1, utf8('v')))))),
    kv('bytes', ld(7, Buffer.from([1, 2, 3]))),
    kv('empty', new Uint8Array(0)),
    kv('__proto__', ld(1, utf8('not a prototype'))),
  ];
  const span = cat(spanBytes({}), ...attrs.map((a) => ld(9, a)));
  const [n] = toNeutralSpans(decodeTraceRequestProto(requestWithSpan(span))).spans;
  assert.ok(n);
  assert.equal(n.attributes.s, 'hi');
  assert.equal(n.attributes.b, true);
  assert.equal(n.attributes.i, 42);
  assert.equal(n.attributes.big, '9223372036854775807', 'beyond 2^53 kept exact as a decimal string');
  assert.equal(n.attributes.neg, -1);
  assert.equal(n.attributes.d, 2.5);
  assert.equal(n.attributes.nan, 'NaN');
  assert.deepEqual(n.attributes.arr, ['a', 7]);
  assert.deepEqual(n.attributes.kv, { inner: 'v' });
  assert.equal(n.attributes.bytes, 'AQID');
  assert.equal(n.attributes.empty, null);
  assert.equal(Object.getPrototypeOf(n.attributes), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(n.attributes, '__proto__')?.value, 'not a prototype');
});

test('an empty request decodes to no spans', () => {
  assert.deepEqual(toNeutralSpans(decodeTraceRequestProto(new Uint8Array(0))).spans, []);
});

test('truncated, garbage and bad-wire-type bodies are decode errors', async () => {
  const good = toProtobuf(await makeAgentSpans(3));
  for (const bad of [good.subarray(0, good.length - 3), good.subarray(0, 7), Buffer.from('hello, not protobuf'), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])]) {
    assert.throws(() => toNeutralSpans(decodeTraceRequestProto(bad)), OtlpDecodeError);
  }
});

test('a declared length far beyond the body is refused without allocating it', () => {
  const huge = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x01, 0x02]); // field 1, length 2^31-1
  assert.throws(() => decodeTraceRequestProto(huge), (e: unknown) => e instanceof OtlpDecodeError && e.code === 'ERR_OTLP_DECODE');
});

test('ids of the wrong length or all zero are refused with the field path', () => {
  const cases: [Uint8Array, RegExp][] = [
    [requestWithSpan(spanBytes({ traceId: Buffer.alloc(15, 1) })), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: expected 16 bytes/],
    [requestWithSpan(spanBytes({ spanId: Buffer.alloc(9, 1) })), /spanId: expected 8 bytes/],
    [requestWithSpan(spanBytes({ traceId: Buffer.alloc(16, 0) })), /traceId: an all-zero id is invalid/],
    [requestWithSpan(cat(spanBytes({}), ld(4, Buffer.alloc(3, 1)))), /parentSpanId: expected 8 bytes/],
  ];
  for (const [bytes, msg] of cases) {
    assert.throws(() => toNeutralSpans(decodeTraceRequestProto(bytes)), (e: unknown) => e instanceof OtlpDecodeError && msg.test(e.message));
  }
  const zeroParent = toNeutralSpans(decodeTraceRequestProto(requestWithSpan(cat(spanBytes({}), ld(4, Buffer.alloc(8, 0)))))).spans[0];
  assert.equal(zeroParent?.parentSpanId, null, 'an all-zero parent means a root span');
});

test('deep nesting is refused, by the limit or by the protobuf recursion guard', () => {
  const ok = toNeutralSpans(decodeTraceRequestProto(requestWithSpan(spanBytes({ attr: nestedAnyValue(5) })))).spans[0];
  assert.deepEqual(ok?.attributes.k, [[[[['x']]]]]);
  assert.throws(
    () => toNeutralSpans(decodeTraceRequestProto(requestWithSpan(spanBytes({ attr: nestedAnyValue(40) })))),
    /nested deeper than 32 levels/,
  );
  assert.throws(() => toNeutralSpans(decodeTraceRequestProto(requestWithSpan(spanBytes({ attr: nestedAnyValue(5000) })))), OtlpDecodeError);
});

test('absurd attribute sizes and counts are refused', () => {
  const limits = { maxAttributes: 4, maxValueLength: 100, maxDepth: 8 };
  const long = requestWithSpan(spanBytes({ attr: ld(1, utf8('y'.repeat(101))) }));
  assert.throws(() => toNeutralSpans(decodeTraceRequestProto(long), limits), /string value longer than 100 characters/);
  const many = requestWithSpan(cat(spanBytes({}), ...Array.from({ length: 5 }, (_, i) => ld(9, cat(ld(1, utf8(`k${i}`)), ld(2, ld(1, utf8('v'))))))));
  assert.throws(() => toNeutralSpans(decodeTraceRequestProto(many), limits), /5 attributes; at most 4/);
});

test('responses and statuses round-trip through their protobuf encodings', () => {
  assert.deepEqual(decodeTraceResponseProto(encodeTraceResponseProto(null)), {});
  assert.deepEqual(decodeTraceResponseProto(encodeTraceResponseProto({ rejectedSpans: 3, errorMessage: 'no' })), {
    partialSuccess: { rejectedSpans: 3, errorMessage: 'no' },
  });
  assert.deepEqual(decodeStatusProto(encodeStatusProto(3, 'bad')), { code: 3, message: 'bad' });
});
