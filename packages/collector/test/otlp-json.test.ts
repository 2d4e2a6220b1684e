import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTraceRequestJson, decodeTraceRequestProto, OtlpDecodeError, toNeutralSpans } from '@agentrail/collector';
import { makeAgentSpans, toJson, toProtobuf } from './fixtures/spans.js';

const TRACE = '5B8EFFF798038103D269B633813FC60C';
const SPAN = 'EEE19B7EC3C1B174';

function request(span: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: [span] }] }], ...extra });
}

const decode = (body: string) => toNeutralSpans(decodeTraceRequestJson(body)).spans;

test('the official JSON serializer and the protobuf serializer decode to the same spans', async () => {
  const sdk = await makeAgentSpans(6);
  assert.deepEqual(toNeutralSpans(decodeTraceRequestJson(toJson(sdk))).spans, toNeutralSpans(decodeTraceRequestProto(toProtobuf(sdk))).spans);
});

test('hex ids in any case become lowercase', () => {
  const [s] = decode(request({ traceId: TRACE, spanId: SPAN, parentSpanId: 'aAbBcCdDeEfF0011', name: 'x' }));
  assert.equal(s?.traceId, TRACE.toLowerCase());
  assert.equal(s?.spanId, SPAN.toLowerCase());
  assert.equal(s?.parentSpanId, 'aabbccddeeff0011');
});

test('64-bit integers are accepted as decimal strings or numbers', () => {
  const [a] = decode(request({ traceId: TRACE, spanId: SPAN, startTimeUnixNano: '1700000000123456789', endTimeUnixNano: 1700000000000, attributes: [
    { key: 'n', value: { intValue: 42 } },
    { key: 's', value: { intValue: '-7' } },
    { key: 'big', value: { intValue: '9007199254740993' } },
  ] }));
  assert.equal(a?.startTimeUnixNano, 1700000000123456789n);
  assert.equal(a?.endTimeUnixNano, 1700000000000n);
  assert.deepEqual(a?.attributes, { n: 42, s: -7, big: '9007199254740993' });
});

test('enums are accepted as integers or as their names', () => {
  const [byName] = decode(request({ traceId: TRACE, spanId: SPAN, kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR', message: 'boom' } }));
  assert.equal(byName?.kind, 3);
  assert.deepEqual(byName?.status, { code: 2, message: 'boom' });
  const [byNumber] = decode(request({ traceId: TRACE, spanId: SPAN, kind: 2, status: { code: 1 } }));
  assert.equal(byNumber?.kind, 2);
  assert.deepEqual(byNumber?.status, { code: 1 });
  assert.throws(() => decode(request({ traceId: TRACE, spanId: SPAN, kind: 'CLIENTISH' })), /kind: unknown enum value "CLIENTISH"/);
});

test('snake_case keys are read like lowerCamelCase, and unknown fields are ignored', () => {
  const body = JSON.stringify({
    resource_spans: [{
      resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }], future_field: 1 },
      scope_spans: [{ scope: { name: 'lib', version: '2' }, spans: [{
        trace_id: TRACE, span_id: SPAN, parent_span_id: '', name: 'op', kind: 1,
        start_time_unix_nano: '1', end_time_unix_nano: '2', something_new: { deep: [1, 2] },
        attributes: [{ key: 'flag', value: { bool_value: true } }, { key: 'list', value: { array_value: { values: [{ double_value: 1.5 }] } } }],
        events: [{ time_unix_nano: '3', name: 'e', attributes: [{ key: 'kv', value: { kvlist_value: { values: [{ key: 'a', value: { bytes_value: 'AQID' } }] } } }] }],
      }] }],
    }],
    unknownTopLevel: true,
  });
  const [s] = decode(body);
  assert.deepEqual(s?.resource, { 'service.name': 'svc' });
  assert.deepEqual(s?.scope, { name: 'lib', version: '2' });
  assert.equal(s?.parentSpanId, null);
  assert.equal(s?.startTimeUnixNano, 1n);
  assert.deepEqual(s?.attributes, { flag: true, list: [1.5] });
  assert.deepEqual(s?.events, [{ name: 'e', timeUnixNano: 3n, attributes: { kv: { a: 'AQID' } } }]);
});

test('special doubles are accepted as the protobuf JSON strings', () => {
  const [s] = decode(request({ traceId: TRACE, spanId: SPAN, attributes: [{ key: 'inf', value: { doubleValue: 'Infinity' } }, { key: 'nan', value: { doubleValue: 'NaN' } }] }));
  assert.deepEqual(s?.attributes, { inf: 'Infinity', nan: 'NaN' });
});

test('an empty object is a valid request with no spans', () => {
  assert.deepEqual(decode('{}'), []);
});

test('malformed JSON requests are decode errors naming the field', () => {
  const cases: [string, RegExp][] = [
    ['{"resourceSpans": [', /invalid JSON/],
    ['[]', /\(root\): expected an object/],
    ['{"resourceSpans": {}}', /resourceSpans: expected an array/],
    [request({ traceId: 'zz' + TRACE.slice(2), spanId: SPAN }), /spans\[0\]\.traceId: not an even-length hex string/],
    [request({ traceId: TRACE.slice(1), spanId: SPAN }), /traceId: not an even-length hex string/],
    [request({ traceId: TRACE + 'AB', spanId: SPAN }), /traceId: expected 16 bytes \(32 hex characters\), got 17/],
    [request({ traceId: TRACE, spanId: 42 }), /spanId: expected a hex string/],
    [request({ traceId: TRACE, spanId: SPAN, startTimeUnixNano: '12abc' }), /startTimeUnixNano: expected an integer/],
    [request({ traceId: TRACE, spanId: SPAN, startTimeUnixNano: '-5' }), /integer out of uint64 range/],
    [request({ traceId: TRACE, spanId: SPAN, startTimeUnixNano: 1.5 }), /expected an integer, got 1.5/],
    [request({ traceId: TRACE, spanId: SPAN, attributes: [{ key: 'i', value: { intValue: '99999999999999999999' } }] }), /out of int64 range/],
    [request({ traceId: TRACE, spanId: SPAN, name: ['x'] }), /name: expected a string/],
    [request({ traceId: TRACE, spanId: SPAN, attributes: [{ key: 'b', value: { boolValue: 'yes' } }] }), /boolValue: expected a boolean/],
    [request({ traceId: TRACE, spanId: SPAN, attributes: [{ key: 'b', value: { bytesValue: '***' } }] }), /bytesValue: expected base64/],
  ];
  for (const [body, msg] of cases) {
    assert.throws(() => decode(body), (e: unknown) => e instanceof OtlpDecodeError && msg.test(e.message), `expected ${msg} for ${body.slice(0, 120)}`);
  }
});

test('deeply nested attribute values are refused, not recursed into', () => {
  // JSON.stringify itself recurses, so build the text directly.
  const deep = '{"arrayValue":{"values":['.repeat(100_000) + '{"stringValue":"x"}' + ']}}'.repeat(100_000);
  const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE}","spanId":"${SPAN}","attributes":[{"key":"k","value":${deep}}]}]}]}]}`;
  assert.throws(() => decode(body), (e: unknown) => e instanceof OtlpDecodeError && /nested deeper than 32 levels/.test(e.message));
});
