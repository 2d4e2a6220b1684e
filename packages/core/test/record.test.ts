// Span → AuditRecord on spans produced by the real OpenTelemetry SDK and the real Vercel AI SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateText, tool, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  argumentsDigest, decodeRecord, encodeRecord, fromReadableSpan, toAuditRecord, InvalidSpanError,
  RecordDecodeError, type NeutralSpan,
} from '@agentrail/core';
import { assertValidRecord, kibArguments, neutralSpan, withTracer } from './support.js';

const AGENT = { id: 'agent-7', method: 'bearer' } as const;

test('a GenAI tool span becomes a complete, schema-valid record', async () => {
  const args = kibArguments();
  const span = await neutralSpan('execute_tool send_email', {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'send_email',
    'gen_ai.tool.call.id': 'call_1',
    'gen_ai.tool.type': 'function',
    'gen_ai.tool.call.arguments': args,
    'gen_ai.tool.call.result': '{"sent":true}',
    'agentrail.agent.id': 'agent-7',
    'agentrail.principal.id': 'alice',
    'agentrail.principal.tenant': 'acme',
    'gen_ai.conversation.id': 'conv-1',
    'agentrail.action.kind': 'send',
    'agentrail.action.risk': 'medium',
    'server.address': 'smtp.example.com',
  });
  const out = toAuditRecord(span, { via: 'exporter', authenticated: AGENT });
  assert.ok(out);
  const { record, evidence } = out;
  assertValidRecord(record);
  assert.equal(record.v, 1);
  assert.equal(record.kind, 'agent.action');
  assert.match(record.id, /^[0-9a-f]{32}$/);
  assert.deepEqual(record.trace, { traceId: span.traceId, spanId: span.spanId, parentSpanId: null });
  assert.match(record.time.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  assert.equal(record.action.operation, 'execute_tool');
  assert.deepEqual(record.action.tool, { callId: 'call_1', name: 'send_email', type: 'function' });
  assert.equal(record.action.kind, 'send');
  assert.equal(record.agent.id, 'agent-7');
  assert.equal(record.agent.service, 'test-agent');
  assert.deepEqual(record.agent.authenticated, { id: 'agent-7', method: 'bearer' });
  assert.equal(record.agent.verified, true);
  assert.deepEqual(record.principal, { delegation: [], id: 'alice', tenant: 'acme', type: 'user' });
  assert.deepEqual(record.session, { conversationId: 'conv-1', sessionId: null });
  assert.deepEqual(record.flags, ['payload_committed']);
  assert.deepEqual(record.attributes, { 'server.address': 'smtp.example.com' }, 'mapped and payload attributes leave `attributes`');
  assert.equal(record.source.via, 'exporter');
  assert.equal(record.source.convention, 'otel_genai');

  // the payload never appears; the commitment opens with the evidence
  const bytes = encodeRecord(record);
  const text = Buffer.from(bytes).toString('utf8');
  assert.ok(!text.includes('Quarterly report'));
  assert.ok(!text.includes('"sent"'));
  assert.equal(record.input?.bytes, Buffer.byteLength(args));
  assert.ok(evidence);
  const inItem = evidence.items.find((i) => i.field === 'input')!;
  assert.equal(inItem.payload, args);
  const recomputed = 'sha256:' + createHash('sha256').update(Buffer.from(inItem.salt, 'hex')).update(args).digest('hex');
  assert.equal(record.input?.commitment, recomputed);

  // leaf bytes round-trip
  assert.deepEqual(decodeRecord(bytes), record);
});

test('two records of the same payload have unlinkable commitments (fresh salts)', async () => {
  const span = await neutralSpan('t', { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.arguments': '{"a":1}', 'agentrail.agent.id': 'a' });
  const a = toAuditRecord(span, { via: 'exporter' })!;
  const b = toAuditRecord(span, { via: 'exporter' })!;
  assert.notEqual(a.record.input?.commitment, b.record.input?.commitment);
  assert.notEqual(a.record.id, b.record.id);
});

test('identity: missing, unauthenticated, mismatch, wildcard and tenant checks', async () => {
  const anon = await neutralSpan('chat', { 'gen_ai.operation.name': 'chat' });
  const r1 = toAuditRecord(anon, { via: 'collector', authenticated: AGENT })!.record;
  assert.deepEqual(r1.flags, ['identity_missing'], 'no span is dropped for missing identity');
  assert.equal(r1.agent.verified, false);
  assertValidRecord(r1);

  const claimed = await neutralSpan('chat', { 'gen_ai.operation.name': 'chat', 'gen_ai.agent.id': 'agent-9', 'agentrail.principal.tenant': 't2' });
  const r2 = toAuditRecord(claimed, { via: 'collector', authenticated: { ...AGENT, tenant: 't1' } })!.record;
  assert.deepEqual(r2.flags, ['identity_mismatch', 'tenant_mismatch']);
  assert.equal(r2.agent.id, 'agent-9', 'the claim is kept as claimed');
  assert.equal(r2.agent.authenticated?.id, 'agent-7');

  const r3 = toAuditRecord(claimed, { via: 'collector', authenticated: { id: 'gateway', method: 'mtls', agentIds: ['agent-9'] } })!.record;
  assert.equal(r3.agent.verified, true);
  const r4 = toAuditRecord(claimed, { via: 'collector', authenticated: { id: 'gateway', method: 'mtls', agentIds: ['*'] } })!.record;
  assert.equal(r4.agent.verified, true);

  const r5 = toAuditRecord(claimed, { via: 'exporter' })!.record;
  assert.deepEqual(r5.flags, ['identity_unauthenticated']);
  assert.equal(r5.agent.authenticated, null);
});

test('approval: matching digest, mismatching digest, missing approval on high risk', async () => {
  const args = { amount: 120, currency: 'EUR', to: 'DE89370400440532013000' };
  const base = {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'pay', 'agentrail.agent.id': 'agent-7',
    'agentrail.action.risk': 'high', 'gen_ai.tool.call.arguments': JSON.stringify(args),
  };
  const approved = await neutralSpan('pay', {
    ...base, 'agentrail.approval.status': 'approved', 'agentrail.approval.approver.id': 'bob',
    // key order differs from the call's JSON: the digest is over canonical JSON
    'agentrail.approval.args_digest': argumentsDigest({ to: args.to, currency: 'EUR', amount: 120 }),
  });
  const ok = toAuditRecord(approved, { via: 'exporter', authenticated: AGENT })!.record;
  assert.deepEqual(ok.flags, ['payload_committed']);
  assert.equal(ok.approval?.argsCommitment, argumentsDigest(args));
  assertValidRecord(ok);

  const tampered = await neutralSpan('pay', {
    ...base, 'agentrail.approval.status': 'approved', 'agentrail.approval.args_digest': argumentsDigest({ ...args, amount: 12 }),
  });
  assert.ok(toAuditRecord(tampered, { via: 'exporter', authenticated: AGENT })!.record.flags.includes('approval_mismatch'));

  const unapproved = await neutralSpan('pay', base);
  assert.ok(toAuditRecord(unapproved, { via: 'exporter', authenticated: AGENT })!.record.flags.includes('approval_missing'));
  assert.ok(!toAuditRecord(unapproved, { via: 'exporter', authenticated: AGENT }, { flagUnapprovedHighRisk: false })!.record.flags.includes('approval_missing'));

  // A call the policy denied never ran: nothing was missing an approval.
  const denied = await neutralSpan('pay', { ...base, 'agentrail.authz.decision': 'deny', 'agentrail.authz.policy.id': 'payments' });
  const deniedRecord = toAuditRecord(denied, { via: 'exporter', authenticated: AGENT })!.record;
  assert.equal(deniedRecord.authorization?.decision, 'deny');
  assert.ok(!deniedRecord.flags.includes('approval_missing'));
});

test('authorization and delegation land in the record', async () => {
  const span = await neutralSpan('refund', {
    'agentrail.agent.id': 'agent-7', 'http.request.method': 'POST',
    'agentrail.authz.decision': 'deny', 'agentrail.authz.policy.id': 'refunds', 'agentrail.authz.policy.version': '3',
    'agentrail.authz.scopes': ['refund:write', 'orders:read'], 'agentrail.authz.reason': 'over limit',
    'agentrail.delegation.chain': ['user:alice', 'agent:planner'], 'agentrail.principal.id': 'planner', 'agentrail.principal.type': 'agent',
    'agentrail.resource.type': 'order', 'agentrail.resource.id': 'o-1',
  }, { error: true });
  const r = toAuditRecord(span, { via: 'exporter', authenticated: AGENT })!.record;
  assertValidRecord(r);
  assert.equal(r.action.operation, 'http');
  assert.deepEqual(r.authorization, { decision: 'deny', policyId: 'refunds', policyVersion: '3', reason: 'over limit', scopes: ['refund:write', 'orders:read'] });
  assert.deepEqual(r.principal?.delegation, [{ id: 'alice', type: 'user' }, { id: 'planner', type: 'agent' }]);
  assert.equal(r.principal?.type, 'agent');
  assert.deepEqual(r.action.resource, { id: 'o-1', type: 'order' });
  assert.deepEqual(r.outcome, { errorType: '_OTHER', status: 'error' });
  assert.deepEqual(r.attributes, { 'http.request.method': 'POST' });
});

test('not an agent action: null (passes through)', async () => {
  const span = await neutralSpan('GET /health', { 'http.request.method': 'GET' });
  assert.equal(toAuditRecord(span, { via: 'exporter' }), null);
});

test('long attributes are truncated and flagged; non-finite numbers become strings', async () => {
  const span = await neutralSpan('x', { 'agentrail.agent.id': 'a', 'note': 'é'.repeat(10_000), 'ratio': NaN, 'inf': Infinity });
  const r = toAuditRecord(span, { via: 'exporter' }, { maxAttributeLength: 100 })!.record;
  assert.equal((r.attributes.note as string).length, 100);
  assert.deepEqual(r.truncated, ['note']);
  assert.ok(r.flags.includes('attributes_truncated'));
  assert.equal(r.attributes.ratio, 'NaN');
  assert.equal(r.attributes.inf, 'Infinity');
  assertValidRecord(r);
});

test('invalid ids are refused with a typed error', async () => {
  const good = await neutralSpan('x', { 'agentrail.agent.id': 'a' });
  const cases: Partial<NeutralSpan>[] = [
    { traceId: 'ABC' }, { traceId: '0'.repeat(32) }, { spanId: 'zz'.repeat(8) }, { parentSpanId: '123' },
    // uppercase, and characters whose low seven bits are a hex digit ('š' is U+0161, 'á' U+00E1)
    { traceId: 'A'.repeat(32) }, { spanId: '\u0161'.repeat(16) }, { traceId: 'a'.repeat(31) + '\u00e1' }, { parentSpanId: '0'.repeat(15) + 'g' },
  ];
  for (const c of cases) {
    assert.throws(() => toAuditRecord({ ...good, ...c }, { via: 'collector' }), (e: unknown) => e instanceof InvalidSpanError && e.code === 'ERR_INVALID_SPAN');
  }
});

test('decodeRecord refuses what is not a v1 record', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  for (const bad of ['not json', '[]', '{"v":2,"kind":"agent.action","id":"x"}', '{"v":1,"kind":"other","id":"x"}', '{"v":1,"kind":"agent.action"}']) {
    assert.throws(() => decodeRecord(enc(bad)), (e: unknown) => e instanceof RecordDecodeError && e.code === 'ERR_RECORD_DECODE');
  }
  assert.throws(() => decodeRecord(new Uint8Array([0xff, 0xfe])), RecordDecodeError);
});

test('parent span id, events-free spans and times from the SDK', async () => {
  const spans = await withTracer(async (t) => {
    const parent = t.startSpan('invoke_agent planner', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner' } });
    const child = t.startSpan('execute_tool search', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } }, trace.setSpan(ROOT_CONTEXT, parent));
    child.end();
    parent.end();
  });
  const [child, parent] = spans.map(fromReadableSpan);
  const r = toAuditRecord(child!, { via: 'exporter' })!.record;
  assert.equal(r.trace.parentSpanId, parent!.spanId);
  assert.equal(r.agent.name, null, 'a child span does not inherit the parent span\'s attributes');
  const p = toAuditRecord(parent!, { via: 'exporter' })!.record;
  assert.equal(p.action.operation, 'invoke_agent');
  assert.equal(p.agent.name, 'planner');
  assert.ok(p.time.start <= p.time.end);
});

test('Vercel AI SDK: real generateText with a mock model, a tool and telemetry on', async () => {
  let calls = 0;
  const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 5, text: 5, reasoning: undefined } };
  const model = new MockLanguageModelV3({
    doGenerate: async () => {
      calls++;
      if (calls === 1) {
        return { content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'getWeather', input: JSON.stringify({ city: 'Paris' }) }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] };
      }
      return { content: [{ type: 'text', text: 'Sunny in Paris' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
    },
  });
  const spans = await withTracer(async (tracer) => {
    const result = await generateText({
      model,
      prompt: 'Weather in Paris?',
      stopWhen: stepCountIs(3),
      tools: { getWeather: tool({ description: 'weather', inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, sky: 'sunny' }) }) },
      experimental_telemetry: { isEnabled: true, functionId: 'weather-agent', metadata: { userId: 'u-1', sessionId: 's-1', agentId: 'agent-w' }, tracer },
    });
    assert.equal(result.text, 'Sunny in Paris');
  });
  const records = spans.map((s) => toAuditRecord(fromReadableSpan(s), { via: 'exporter', authenticated: { id: 'agent-w', method: 'in-process' } }));
  assert.equal(records.length, 4);
  for (const r of records) {
    assert.ok(r, 'every AI SDK span is an agent action');
    assertValidRecord(r.record);
    assert.equal(r.record.agent.id, 'agent-w');
    assert.equal(r.record.agent.verified, true);
    assert.equal(r.record.principal?.id, 'u-1');
    assert.equal(r.record.session?.sessionId, 's-1');
    const text = Buffer.from(encodeRecord(r.record)).toString('utf8');
    assert.ok(!text.includes('Weather in Paris?'), 'the prompt is committed, not stored');
    assert.ok(!text.includes('Sunny in Paris'), 'the response is committed, not stored');
  }
  const toolRecord = records.find((r) => r!.record.action.operation === 'execute_tool')!.record;
  assert.deepEqual(toolRecord.action.tool, { callId: 'call-1', name: 'getWeather', type: 'function' });
  assert.equal(toolRecord.source.convention, 'vercel_ai');
  assert.ok(toolRecord.input && toolRecord.output);
  const ops = records.map((r) => r!.record.action.operation).sort();
  assert.deepEqual(ops, ['chat', 'chat', 'execute_tool', 'invoke_agent']);
  const chat = records.find((r) => r!.record.action.operation === 'chat')!.record;
  assert.equal(chat.agent.model, 'mock-model-id');
  assert.equal(chat.agent.provider, 'mock-provider');
});
