// protoToNeutralSpans (the audit path's hand-written decoder) against the reference path,
// protobufjs reflection + toNeutralSpans: the same spans for every request the reference accepts
// that OTLP encoders produce, and for mutated bytes either a refusal (OtlpDecodeError) or again
// the same spans. Seeded; a failure names its seed and case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeTraceRequestProto,
  encodeTraceRequestProto,
  OtlpDecodeError,
  protoSpans,
  protoToNeutralSpans,
  toNeutralSpans,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpResourceSpans,
  type OtlpSpan,
  type OtlpTraceRequest,
  type SpanLimits,
} from '@agentrail/collector';
import { makeAgentSpans, toProtobuf } from './fixtures/spans.js';
import { prng } from './fixtures/harness.js';
import { int, mutateBytes, type Rand } from './fixtures/mutate.js';
import { cat, ld, nestedAnyValue, requestWithSpan, spanBytes, utf8 } from './fixtures/wire.js';

const SEED = Number(process.env.AGENTRAIL_FUZZ_SEED ?? 20261123);

const reference = (b: Uint8Array, limits?: SpanLimits) => toNeutralSpans(decodeTraceRequestProto(Buffer.from(b)), limits).spans;

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;
const STRINGS = ['', 'a', 'gen_ai.tool.name', 'execute_tool', 'héllo wörld', '日本語', '🙂 emoji', '__proto__', 'constructor', 'x'.repeat(200)];
const INTS = ['0', '1', '-1', '42', '-42', '2147483648', '4294967296', '9007199254740991', '9007199254740993', '-9007199254740993', '9223372036854775807', '-9223372036854775808'];
const DOUBLES = [0, 1.5, -2.25, 1e300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324];

function bytes(r: Rand, n: number, nonZero = true): Uint8Array {
  const b = Buffer.from(Array.from({ length: n }, () => int(r, 256)));
  if (nonZero) b[0] = 1 + int(r, 255);
  return b;
}

function anyValue(r: Rand, depth: number): OtlpAnyValue {
  switch (int(r, depth >= 3 ? 5 : 7)) {
    case 0:
      return { stringValue: pick(r, STRINGS) + (int(r, 2) ? String(int(r, 1000)) : '') };
    case 1:
      return { boolValue: int(r, 2) === 1 };
    case 2:
      return { intValue: pick(r, INTS) };
    case 3:
      return { doubleValue: pick(r, DOUBLES) };
    case 4:
      return { bytesValue: bytes(r, int(r, 20), false) };
    case 5:
      return { arrayValue: { values: Array.from({ length: int(r, 4) }, () => anyValue(r, depth + 1)) } };
    default:
      return { kvlistValue: { values: keyValues(r, depth + 1, 3) } };
  }
}

function keyValues(r: Rand, depth: number, max: number): OtlpKeyValue[] {
  return Array.from({ length: int(r, max + 1) }, () => (int(r, 12) === 0 ? { key: pick(r, STRINGS) } : { key: pick(r, STRINGS) + int(r, 4), value: anyValue(r, depth) }));
}

interface Shape {
  /** Attributes on scopes and links (which the reference does not check against the limits). */
  scopeAndLinkAttributes: boolean;
}

function randomSpan(r: Rand, shape: Shape): OtlpSpan {
  const span: OtlpSpan = {
    traceId: bytes(r, 16),
    spanId: bytes(r, 8),
    parentSpanId: pick(r, [new Uint8Array(0), bytes(r, 8), new Uint8Array(8)]),
    name: pick(r, STRINGS),
    kind: int(r, 8), // 6 and 7 are unknown kinds
    startTimeUnixNano: BigInt.asUintN(64, BigInt(int(r, 2 ** 31)) * 4_294_967_311n).toString(),
    endTimeUnixNano: int(r, 4) === 0 ? '0' : '18446744073709551615',
    attributes: keyValues(r, 0, 6),
    events: Array.from({ length: int(r, 3) }, () => ({ timeUnixNano: String(int(r, 2 ** 40)), name: pick(r, STRINGS), attributes: keyValues(r, 0, 2), droppedAttributesCount: int(r, 3) })),
    links: Array.from({ length: int(r, 2) }, () => ({ traceId: bytes(r, 16), spanId: bytes(r, 8), traceState: 'k=v', attributes: shape.scopeAndLinkAttributes ? keyValues(r, 0, 2) : [], flags: int(r, 512) })),
    droppedAttributesCount: int(r, 2),
    flags: int(r, 1024),
    traceState: pick(r, ['', 'vendor=1']),
  };
  const st = int(r, 4);
  if (st > 0) span.status = { code: int(r, 4), ...(int(r, 2) ? { message: pick(r, STRINGS) } : {}) };
  return span;
}

function randomRequest(r: Rand, shape: Shape = { scopeAndLinkAttributes: true }): OtlpTraceRequest {
  const resourceSpans: OtlpResourceSpans[] = Array.from({ length: 1 + int(r, 3) }, () => ({
    ...(int(r, 4) ? { resource: { attributes: keyValues(r, 0, 4) } } : {}),
    scopeSpans: Array.from({ length: int(r, 3) }, () => ({
      ...(int(r, 3) ? { scope: { name: pick(r, STRINGS), ...(int(r, 2) ? { version: '1.2.3' } : {}), attributes: shape.scopeAndLinkAttributes ? keyValues(r, 0, 2) : [] } } : {}),
      spans: Array.from({ length: int(r, 5) }, () => randomSpan(r, shape)),
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
    })),
  }));
  return { resourceSpans };
}

test('random requests decode to exactly the spans of the protobufjs + toNeutralSpans path', () => {
  const r = prng(SEED);
  let spans = 0;
  for (let i = 0; i < 1500; i++) {
    const body = encodeTraceRequestProto(randomRequest(r));
    const expected = reference(body);
    assert.deepEqual(protoToNeutralSpans(body), expected, `seed ${SEED}, case ${i}`);
    spans += expected.length;
  }
  assert.ok(spans > 3000, `the generator produced spans (${spans})`);
});

test('what the OTel SDK exporters write decodes the same on both paths', async () => {
  const body = toProtobuf(await makeAgentSpans(40, { extra: { 'app.list': ['a', 'b'], 'app.count': 3, 'app.ratio': 0.5, 'app.ok': true } }));
  const spans = protoToNeutralSpans(body);
  assert.equal(spans.length, 40);
  assert.deepEqual(spans, reference(body));
});

test('with tight limits both paths accept and refuse the same requests', () => {
  const r = prng(SEED + 7);
  const limits: SpanLimits = { maxAttributes: 3, maxValueLength: 12, maxDepth: 2 };
  let refused = 0;
  for (let i = 0; i < 1500; i++) {
    const body = encodeTraceRequestProto(randomRequest(r, { scopeAndLinkAttributes: false }));
    let expected;
    try {
      expected = reference(body, limits);
    } catch (err) {
      assert.ok(err instanceof OtlpDecodeError);
      assert.throws(() => protoToNeutralSpans(body, limits), OtlpDecodeError, `seed ${SEED + 7}, case ${i}: the reference refused, this decoder accepted`);
      refused++;
      continue;
    }
    assert.deepEqual(protoToNeutralSpans(body, limits), expected, `seed ${SEED + 7}, case ${i}`);
  }
  assert.ok(refused > 300 && refused < 1450, `a mix of accepted and refused requests (${refused} refused)`);
});

test('mutated bytes are refused with OtlpDecodeError or decode to the reference spans', async () => {
  const r = prng(SEED + 1);
  const seeds = [toProtobuf(await makeAgentSpans(6)), ...Array.from({ length: 6 }, () => encodeTraceRequestProto(randomRequest(r)))];
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < 8000; i++) {
    const body = mutateBytes(r, seeds[i % seeds.length]!);
    let spans;
    try {
      spans = protoToNeutralSpans(body);
    } catch (err) {
      if (!(err instanceof OtlpDecodeError)) assert.fail(`seed ${SEED + 1}, case ${i}: threw ${String(err)} instead of OtlpDecodeError`);
      refused++;
      continue;
    }
    // Accepted: the reference must accept it too, with the same result.
    assert.deepEqual(spans, reference(body), `seed ${SEED + 1}, case ${i}`);
    decoded++;
  }
  assert.ok(refused > 1000, `most mutations are refused (${refused})`);
  assert.ok(decoded > 200, `some mutations still decode (${decoded})`);
});

test('fields in any order: a resource or scope after its spans still applies to them', () => {
  const span = spanBytes({ name: 'late' });
  const resource = ld(1, cat(ld(1, utf8('service.name')), ld(2, ld(1, utf8('svc'))))); // Resource.attributes
  const scope = cat(ld(1, utf8('lib')), ld(2, utf8('2.0'))); // InstrumentationScope name, version
  const body = ld(1, cat(ld(2, cat(ld(2, span), ld(1, scope))), ld(1, resource)));
  const [n] = protoToNeutralSpans(body);
  assert.ok(n);
  assert.deepEqual(n.resource, { 'service.name': 'svc' });
  assert.deepEqual(n.scope, { name: 'lib', version: '2.0' });
  assert.deepEqual(protoToNeutralSpans(body), reference(body));
});

test('unknown fields and known fields with another wire type are skipped, as protobufjs does', () => {
  const unknown = cat(Buffer.from([0xf8, 0x01, 0x05]), ld(30, utf8('future')), Buffer.from([0xfd, 0x01, 1, 2, 3, 4])); // fields 31 (varint), 30 (bytes), 31 (fixed32)
  const wrongWire = Buffer.from([0x30 | 1, 1, 2, 3, 4, 5, 6, 7, 8]); // kind (6) sent as fixed64
  const body = requestWithSpan(cat(spanBytes({}), unknown, wrongWire));
  const [n] = protoToNeutralSpans(body);
  assert.ok(n);
  assert.equal(n.kind, 0);
  assert.deepEqual(protoToNeutralSpans(body), reference(body));
});

test('errors name the field: ids, truncation, limits and nesting', () => {
  const cases: [Uint8Array, RegExp, SpanLimits?][] = [
    [requestWithSpan(spanBytes({ traceId: Buffer.alloc(15, 1) })), /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: expected 16 bytes/],
    [requestWithSpan(spanBytes({ spanId: Buffer.alloc(8) })), /spans\[0\]\.spanId: an all-zero id is invalid/],
    [requestWithSpan(cat(spanBytes({}), ld(4, Buffer.alloc(3, 1)))), /spans\[0\]\.parentSpanId: expected 8 bytes/],
    [Buffer.from(requestWithSpan(spanBytes({}))).subarray(0, 20), /malformed protobuf/],
    [cat(ld(1, new Uint8Array(0)), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x7f])), /malformed protobuf.*runs past the end/],
    [Buffer.from([0x0b, 0x0c]), /malformed protobuf.*wire type 3/],
    [requestWithSpan(spanBytes({ attr: nestedAnyValue(40) })), /spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\])+: attribute value nested deeper than 32 levels/],
    [requestWithSpan(spanBytes({ name: 'n', attr: ld(1, utf8('x'.repeat(20))) })), /attributes\[0\]\.value: string value longer than 10 characters/, { maxAttributes: 4, maxValueLength: 10, maxDepth: 4 }],
    [requestWithSpan(cat(spanBytes({ name: 'n' }), ...Array.from({ length: 5 }, (_, i) => ld(9, cat(ld(1, utf8(`k${i}`)), ld(2, ld(1, utf8('v')))))))), /spans\[0\]\.attributes: more than 4 attributes/, { maxAttributes: 4, maxValueLength: 10, maxDepth: 4 }],
  ];
  for (const [body, msg, limits] of cases) {
    assert.throws(() => protoToNeutralSpans(body, limits), (e: unknown) => e instanceof OtlpDecodeError && e.code === 'ERR_OTLP_DECODE' && msg.test(e.message), `expected ${msg}`);
  }
});

test('keys at one position that change from span to span: equal length, non-ASCII, long, __proto__', () => {
  const kv = (k: string): OtlpKeyValue => ({ key: k, value: { stringValue: 'v' } });
  const lists = [
    ['gen_ai.tool.name', 'user.id', 'x'.repeat(70)],
    ['gen_ai.tool.type', 'user.ix', 'x'.repeat(70)], // same lengths, other bytes
    ['gen_ai.tool.név', 'usér.id', 'y'.repeat(70)], // non-ASCII where ASCII keys were
    ['gen_ai.tool.name', '__proto__', 'x'.repeat(69) + 'é'],
    ['gen_ai.tool.name', 'user.id', 'x'.repeat(70)],
  ];
  const spans: OtlpSpan[] = lists.map((keys, i) => ({
    traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, i + 1), name: `s${i}`, kind: 1,
    parentSpanId: new Uint8Array(0), startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: keys.map(kv), events: [], links: [],
  }));
  const body = encodeTraceRequestProto({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
  const got = protoToNeutralSpans(body);
  assert.deepEqual(got.map((n) => Object.keys(n.attributes)), lists);
  assert.deepEqual(got, reference(body));
});

test('string values at one position that change from span to span decode as sent', () => {
  const values = [['openai', 'call_1', ''], ['openai', 'call_2', 'x'], ['opénai', 'call_2', 'é'], ['anthropic', 'call_2', ''], ['openai', 'call_1', 'y'.repeat(70)]];
  const spans: OtlpSpan[] = values.map((vs, i) => ({
    traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, i + 1), name: `s${i}`, kind: 1,
    parentSpanId: new Uint8Array(0), startTimeUnixNano: '1', endTimeUnixNano: '2', events: [], links: [],
    attributes: vs.map((v, k) => ({ key: `k${k}`, value: { stringValue: v } })),
  }));
  const body = encodeTraceRequestProto({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
  const got = protoToNeutralSpans(body);
  assert.deepEqual(got.map((n) => Object.values(n.attributes)), values);
  assert.deepEqual(got, reference(body));
});

test('protoSpans decodes as it is iterated: the spans before a bad one come out, then the error', () => {
  const good = (i: number): Uint8Array => spanBytes({ spanId: Buffer.alloc(8, i + 1), name: `s${i}` });
  const bad = spanBytes({ spanId: Buffer.alloc(8) }); // an all-zero span id
  const body = ld(1, ld(2, cat(ld(2, good(0)), ld(2, good(1)), ld(2, bad), ld(2, good(3)))));
  const it = protoSpans(body)[Symbol.iterator]();
  assert.equal(it.next().value?.name, 's0');
  assert.equal(it.next().value?.name, 's1');
  assert.throws(() => it.next(), (e: unknown) => e instanceof OtlpDecodeError && /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[2\]\.spanId: an all-zero id/.test(e.message));
  assert.equal(it.next().done, true, 'a failed iteration stays ended');
  assert.throws(() => protoToNeutralSpans(body), OtlpDecodeError);
});

test('an empty body is a request with no spans', () => {
  assert.deepEqual(protoToNeutralSpans(new Uint8Array(0)), []);
});
