// Fuzzing the decoders and the endpoint with mutated payloads. Seeded, so a failure reproduces
// from the seed printed in its message. Bad input must give a clear 400 and change nothing;
// the collector must never crash or answer 500, and the next good request must succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTraceRequestJson, decodeTraceRequestProto, OtlpDecodeError, toNeutralSpans } from '@agentrail/collector';
import { makeAgentSpans, toJson, toProtobuf } from './fixtures/spans.js';
import { prng, startCollector } from './fixtures/harness.js';
import { int, mutateBytes, type Rand } from './fixtures/mutate.js';

const SEED = Number(process.env.AGENTRAIL_FUZZ_SEED ?? 20261123);

/** Structural JSON mutations: a random node replaced by a value of another type or a deep nest. */
function mutateJson(r: Rand, seed: unknown): string {
  const doc = structuredClone(seed) as Record<string, unknown>;
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (nodes.push([v, i]), walk(x)));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) nodes.push([v as Record<string, unknown>, k]), walk((v as Record<string, unknown>)[k]);
  };
  walk(doc);
  const replacements: (() => unknown)[] = [
    () => null,
    () => int(r, 2) ? -1 : 1.5,
    () => '',
    () => 'zz'.repeat(int(r, 20)),
    () => [],
    () => ({}),
    () => true,
    () => '9'.repeat(1 + int(r, 30)),
    () => 'x'.repeat(int(r, 5000)),
    () => ({ arrayValue: { values: [{ kvlistValue: { values: [{ key: 'a', value: { intValue: 'NaN' } }] } }] } }),
  ];
  for (let i = 0, n = 1 + int(r, 3); i < n && nodes.length; i++) {
    const [parent, key] = nodes[int(r, nodes.length)]!;
    (parent as Record<string | number, unknown>)[key] = replacements[int(r, replacements.length)]!();
  }
  let text = JSON.stringify(doc);
  if (int(r, 8) === 0) text = text.slice(0, int(r, text.length)); // truncated JSON
  if (int(r, 16) === 0) {
    const depth = 50 + int(r, 5000);
    text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","attributes":[{"key":"d","value":${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth)}{"stringValue":"x"}${'}]}}'.repeat(depth)}}]}]}]}]}`;
  }
  return text;
}

function decodeProto(b: Uint8Array): number {
  return toNeutralSpans(decodeTraceRequestProto(b)).spans.length;
}
function decodeJson(s: string): number {
  return toNeutralSpans(decodeTraceRequestJson(s)).spans.length;
}

test('decoders: thousands of mutated protobuf and JSON payloads decode or fail with OtlpDecodeError only', { timeout: 60_000 }, async () => {
  const r = prng(SEED);
  const spans = await makeAgentSpans(12, { extra: { 'app.list': ['a', 'b'], 'app.count': 3, 'app.ratio': 0.5, 'app.ok': true } });
  const pb = toProtobuf(spans);
  const json = JSON.parse(Buffer.from(toJson(spans)).toString()) as unknown;
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < 6000; i++) {
    const isProto = i % 2 === 0;
    let payload: Uint8Array | string = '';
    try {
      if (isProto) {
        payload = mutateBytes(r, pb);
        decodeProto(payload);
      } else {
        payload = i % 4 === 1 ? mutateJson(r, json) : Buffer.from(mutateBytes(r, Buffer.from(JSON.stringify(json)))).toString('latin1');
        decodeJson(payload);
      }
      decoded++;
    } catch (err) {
      if (!(err instanceof OtlpDecodeError)) {
        assert.fail(`seed ${SEED}, case ${i}: ${isProto ? 'protobuf' : 'JSON'} payload threw ${String(err)} instead of OtlpDecodeError`);
      }
      assert.ok(err.message.length > 0);
      refused++;
    }
  }
  assert.ok(refused > 1000, `most mutations are refused (${refused})`);
  assert.ok(decoded > 100, `some mutations still decode (${decoded})`);
});

test('endpoint: mutated payloads get 200 or 400, never 500; 400s append nothing; good requests keep working', { timeout: 60_000 }, async () => {
  const c = await startCollector({ workers: 2 });
  try {
    const r = prng(SEED + 1);
    const spans = await makeAgentSpans(6);
    const pb = toProtobuf(spans);
    const json = JSON.parse(Buffer.from(toJson(spans)).toString()) as unknown;
    const url = `${c.url}/v1/traces`;
    const send = async (body: Uint8Array | string, type: string): Promise<number> => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
      await res.arrayBuffer();
      return res.status;
    };
    const counts: Record<number, number> = {};
    for (let i = 0; i < 1500; i++) {
      const isProto = i % 2 === 0;
      const body = isProto ? mutateBytes(r, pb) : mutateJson(r, json);
      const before = c.collector.ledgerSize;
      const status = await send(body, isProto ? 'application/x-protobuf' : 'application/json');
      counts[status] = (counts[status] ?? 0) + 1;
      assert.ok(status === 200 || status === 400, `seed ${SEED + 1}, case ${i}: status ${status}`);
      if (status === 400) assert.equal(c.collector.ledgerSize, before, `seed ${SEED + 1}, case ${i}: a refused request appended records`);
      if (i % 100 === 99) {
        const size = c.collector.ledgerSize;
        assert.equal(await send(pb, 'application/x-protobuf'), 200, 'a good request after bad ones succeeds');
        assert.equal(c.collector.ledgerSize, size + 6);
      }
    }
    assert.ok((counts[400] ?? 0) > 500, JSON.stringify(counts));
    assert.equal(c.collector.metrics.requests.get('500'), 0);
  } finally {
    await c.close();
  }
});
