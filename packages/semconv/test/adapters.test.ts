// Each adapter on spans shaped by the real conventions: upstream constants packages where they
// exist, recorded fixtures otherwise. (The Vercel AI SDK runs for real in @agentrail/core's tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SemanticConventions as OI, OpenInferenceSpanKind } from '@arizeai/openinference-semantic-conventions';
import { SpanAttributes as TL, TraceloopSpanKindValues } from '@traceloop/ai-semantic-conventions';
import { normalizeSpan, payloadRole, type AttributeValue, type SpanView } from '@agentrail/semconv';

function span(attributes: Record<string, AttributeValue>, extra: Partial<SpanView> = {}): SpanView {
  return { name: 'op', kind: 1, attributes, resource: {}, status: { code: 0 }, ...extra };
}

function fixture(name: string): SpanView[] {
  const url = new URL(`./fixtures/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { spans: SpanView[] }).spans;
}

test('OpenInference TOOL, LLM, AGENT and RETRIEVER spans', () => {
  const tool = normalizeSpan(span({
    [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.TOOL,
    [OI.TOOL_NAME]: 'search_orders',
    [OI.TOOL_CALL_ID]: 'call_9',
    [OI.INPUT_VALUE]: '{"q":"late"}',
    [OI.OUTPUT_VALUE]: '[]',
    [OI.USER_ID]: 'u-5',
    [OI.SESSION_ID]: 's-5',
    [OI.AGENT_NAME]: 'support-bot',
  }));
  assert.ok(tool);
  assert.equal(tool.operation, 'execute_tool');
  assert.equal(tool.convention, 'openinference');
  assert.deepEqual(tool.tool, { name: 'search_orders', callId: 'call_9', type: 'function' });
  assert.equal(tool.agent.name, 'support-bot');
  assert.deepEqual([tool.principal.id, tool.principal.type], ['u-5', 'user']);
  assert.equal(tool.session.sessionId, 's-5');
  assert.equal(tool.toolArgumentsKey, OI.INPUT_VALUE);

  const llm = normalizeSpan(span({
    [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.LLM,
    [OI.LLM_MODEL_NAME]: 'claude-sonnet-4',
    [OI.LLM_PROVIDER]: 'anthropic',
    [`${OI.LLM_INPUT_MESSAGES}.0.message.content`]: 'hello',
  }));
  assert.equal(llm?.operation, 'chat');
  assert.equal(llm?.agent.model, 'claude-sonnet-4');
  assert.equal(llm?.agent.provider, 'anthropic');
  assert.equal(payloadRole(`${OI.LLM_INPUT_MESSAGES}.0.message.content`), 'input');

  assert.equal(normalizeSpan(span({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.AGENT, [OI.AGENT_NAME]: 'a' }))?.operation, 'invoke_agent');
  assert.equal(normalizeSpan(span({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.RETRIEVER }))?.operation, 'retrieval');
  assert.equal(normalizeSpan(span({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.EMBEDDING }))?.operation, 'embeddings');
  // a CHAIN span without identity is plumbing, not an agent action
  assert.equal(normalizeSpan(span({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.CHAIN })), null);
});

test('OpenLLMetry agent, tool and LLM spans with association properties', () => {
  const tool = normalizeSpan(span({
    [TL.TRACELOOP_SPAN_KIND]: TraceloopSpanKindValues.TOOL,
    [TL.TRACELOOP_ENTITY_NAME]: 'send_invoice',
    [TL.TRACELOOP_ENTITY_INPUT]: '{"args":[],"kwargs":{"to":"x"}}',
    [TL.TRACELOOP_ENTITY_OUTPUT]: '"ok"',
    [`${TL.TRACELOOP_ASSOCIATION_PROPERTIES}.user_id`]: 'u-77',
    [`${TL.TRACELOOP_ASSOCIATION_PROPERTIES}.session_id`]: 'chat-3',
  }));
  assert.ok(tool);
  assert.equal(tool.operation, 'execute_tool');
  assert.equal(tool.convention, 'openllmetry');
  assert.equal(tool.tool?.name, 'send_invoice');
  assert.equal(tool.principal.id, 'u-77');
  assert.equal(tool.session.sessionId, 'chat-3');
  assert.equal(payloadRole(TL.TRACELOOP_ENTITY_INPUT), 'input');
  assert.equal(payloadRole(TL.TRACELOOP_ENTITY_OUTPUT), 'output');

  const agent = normalizeSpan(span({ [TL.TRACELOOP_SPAN_KIND]: TraceloopSpanKindValues.AGENT, [TL.TRACELOOP_ENTITY_NAME]: 'planner' }));
  assert.equal(agent?.operation, 'invoke_agent');
  assert.equal(agent?.agent.name, 'planner');

  const llm = normalizeSpan(span({ [TL.LLM_REQUEST_TYPE]: 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.prompt.0.content': 'hi' }));
  assert.equal(llm?.operation, 'chat');
  assert.equal(llm?.agent.provider, 'openai');
  assert.equal(payloadRole('gen_ai.prompt.0.content'), 'input');
  assert.equal(payloadRole('gen_ai.completion.0.content'), 'output');

  // a workflow span is plumbing
  assert.equal(normalizeSpan(span({ [TL.TRACELOOP_SPAN_KIND]: TraceloopSpanKindValues.WORKFLOW, [TL.TRACELOOP_ENTITY_NAME]: 'w' })), null);
});

test('OpenTelemetry GenAI: current names and the older gen_ai.system / prompt_tokens', () => {
  const current = normalizeSpan(span({
    'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-opus-4',
    'gen_ai.usage.input_tokens': 10, 'gen_ai.conversation.id': 'c-1',
  }));
  assert.equal(current?.operation, 'chat');
  assert.equal(current?.agent.provider, 'anthropic');
  assert.equal(current?.session.conversationId, 'c-1');

  const older = normalizeSpan(span({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4', 'gen_ai.usage.prompt_tokens': 3 }));
  assert.equal(older?.operation, 'chat');
  assert.equal(older?.agent.provider, 'openai');
  assert.equal(older?.agent.model, 'gpt-4');

  const both = normalizeSpan(span({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'aws.bedrock', 'gen_ai.system': 'bedrock' }));
  assert.equal(both?.agent.provider, 'aws.bedrock', 'the current name wins over the deprecated one');

  assert.equal(normalizeSpan(span({ 'gen_ai.operation.name': 'invoke_workflow' }))?.operation, 'invoke_agent');
  assert.equal(normalizeSpan(span({ 'gen_ai.operation.name': 'something_new' }))?.operation, 'other');
});

test('Microsoft Agent 365 fixture: tenant, agentic user, caller agent and caller user', () => {
  const [invoke, tool] = fixture('agent365.json');
  const a = normalizeSpan(invoke!);
  assert.ok(a);
  assert.equal(a.operation, 'invoke_agent');
  assert.ok(a.conventions.includes('agent365'));
  assert.equal(a.agent.id, '7c1e9a52-3d1f-4b0e-9a6e-2f4b8c1d0e11');
  assert.equal(a.agent.instanceId, 'au-5512');
  assert.equal(a.principal.tenant, '72f988bf-86f1-41af-91ab-2d7cd011db47');
  assert.deepEqual([a.principal.id, a.principal.type], ['c0ffee00-1111-2222-3333-444455556666', 'agent']);
  assert.equal(a.session.sessionId, 'sess-42');
  assert.equal(a.session.conversationId, 'conv-19:meeting_abc');
  assert.equal(a.agent.service, 'procurement-agent');

  const t = normalizeSpan(tool!);
  assert.ok(t);
  assert.equal(t.operation, 'execute_tool');
  assert.deepEqual([t.principal.id, t.principal.type], ['u-8842', 'user']);
  assert.equal(t.principal.tenant, '72f988bf-86f1-41af-91ab-2d7cd011db47');
  assert.equal(t.agent.instanceId, 'au-5512');
  assert.equal(payloadRole('gen_ai.event.content'), 'output', 'Agent 365 tool results are payloads');
});

test('AI SDK v7 fixture (gen_ai.* output)', () => {
  const [agent, chat, tool] = fixture('ai-sdk-v7.json').map((s) => normalizeSpan(s));
  assert.equal(agent?.operation, 'invoke_agent');
  assert.equal(agent?.agent.name, 'weather-agent');
  assert.equal(agent?.principal.id, 'u-1', 'telemetry metadata still read under v7');
  assert.equal(chat?.operation, 'chat');
  assert.equal(chat?.agent.model, 'gpt-5-mini');
  assert.equal(tool?.operation, 'execute_tool');
  assert.deepEqual(tool?.tool, { name: 'getWeather', callId: 'call_Xy12', type: 'function' });
  assert.equal(tool?.toolArgumentsKey, 'gen_ai.tool.call.arguments');
});

test('MCP fixture: tools/call, resources/read, errors', () => {
  const [call, read, failed] = fixture('mcp.json').map((s) => normalizeSpan(s));
  assert.equal(call?.operation, 'execute_tool');
  assert.deepEqual(call?.conventions, ['otel_genai', 'mcp']);
  assert.equal(call?.tool?.name, 'get_issue');
  assert.equal(call?.tool?.callId, '42', 'jsonrpc.request.id fills the call id');
  assert.equal(call?.session.sessionId, 'mcp-sess-7f3a');

  assert.equal(read?.operation, 'mcp');
  assert.equal(read?.convention, 'mcp');
  assert.deepEqual(read?.resource, { type: 'mcp.resource', id: 'file:///srv/docs/handbook.md' });

  assert.equal(failed?.operation, 'execute_tool');
  assert.equal(failed?.convention, 'otel_genai', 'gen_ai.tool.name alone already means execute_tool');
  assert.ok(failed?.conventions.includes('mcp'));
  assert.equal(failed?.tool?.type, 'extension');
  assert.equal(failed?.errorType, 'tool_error');
});

test('agentrail.* identity, principal, delegation, authorization and approval', () => {
  const a = normalizeSpan(span({
    'agentrail.agent.id': 'billing-agent',
    'agentrail.agent.name': 'Billing',
    'agentrail.agent.version': '2.1.0',
    'agentrail.agent.owner': 'team-payments',
    'agentrail.agent.credential_id': 'cred-17',
    'agentrail.principal.id': 'alice',
    'agentrail.principal.type': 'user',
    'agentrail.principal.tenant': 'acme',
    'agentrail.delegation.chain': ['user:alice', 'agent:planner', 'weird'],
    'agentrail.authz.decision': 'allow',
    'agentrail.authz.policy.id': 'refunds',
    'agentrail.authz.policy.version': '7',
    'agentrail.authz.scopes': ['refund:write'],
    'agentrail.authz.reason': 'under limit',
    'agentrail.approval.status': 'approved',
    'agentrail.approval.approver.id': 'bob',
    'agentrail.approval.id': 'appr-1',
    'agentrail.approval.time': '2026-01-01T00:00:00Z',
    'agentrail.approval.args_digest': 'sha256:' + '0'.repeat(64),
    'agentrail.resource.type': 'invoice',
    'agentrail.resource.id': 'inv-9',
    'agentrail.action.kind': 'write',
    'agentrail.action.risk': 'high',
    'http.request.method': 'POST',
  }));
  assert.ok(a);
  assert.equal(a.operation, 'http', 'an identity-carrying HTTP span is an agent action');
  assert.equal(a.convention, 'generic');
  assert.deepEqual(a.agent, {
    id: 'billing-agent', name: 'Billing', version: '2.1.0', instanceId: null, owner: 'team-payments',
    credentialId: 'cred-17', model: null, provider: null, service: null,
  });
  assert.deepEqual(a.principal, {
    id: 'alice', type: 'user', tenant: 'acme',
    delegation: [{ type: 'user', id: 'alice' }, { type: 'agent', id: 'planner' }, { type: 'unknown', id: 'weird' }],
  });
  assert.deepEqual(a.authorization, { decision: 'allow', policyId: 'refunds', policyVersion: '7', scopes: ['refund:write'], reason: 'under limit' });
  assert.deepEqual(a.approval, { status: 'approved', approverId: 'bob', approvalId: 'appr-1', time: '2026-01-01T00:00:00Z', argsDigest: 'sha256:' + '0'.repeat(64) });
  assert.deepEqual(a.resource, { type: 'invoice', id: 'inv-9' });
  assert.equal(a.kind, 'write');
  assert.equal(a.risk, 'high');
  assert.ok(a.consumed.includes('agentrail.authz.scopes'));

  assert.equal(normalizeSpan(span({ 'agentrail.agent.id': 'x', 'db.system.name': 'postgresql' }))?.operation, 'db');
  assert.equal(normalizeSpan(span({ 'agentrail.agent.id': 'x' }))?.operation, 'other');
  // invalid enumerations are not taken
  const bad = normalizeSpan(span({ 'agentrail.agent.id': 'x', 'agentrail.action.risk': 'extreme', 'agentrail.authz.decision': 'maybe' }));
  assert.equal(bad?.risk, null);
  assert.equal(bad?.authorization, null);
});

test('precedence: per field, the first convention in the documented order wins', () => {
  const a = normalizeSpan(span({
    'agentrail.agent.id': 'from-agentrail',
    'gen_ai.agent.id': 'from-genai',
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'genai-tool',
    'ai.toolCall.name': 'vercel-tool',
    'ai.toolCall.id': 'vercel-call',
    'ai.model.id': 'vercel-model',
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'oi-model',
    'user.id': 'generic-user',
    'ai.telemetry.metadata.userId': 'vercel-user',
  }));
  assert.ok(a);
  assert.equal(a.agent.id, 'from-agentrail');
  assert.equal(a.operation, 'execute_tool', 'GenAI decides the operation before OpenInference');
  assert.equal(a.convention, 'otel_genai');
  assert.equal(a.tool?.name, 'genai-tool');
  assert.equal(a.tool?.callId, 'vercel-call', 'a field GenAI lacks falls to the next convention');
  assert.equal(a.agent.model, 'vercel-model');
  assert.equal(a.principal.id, 'vercel-user');
  assert.deepEqual(a.conventions, ['agentrail', 'otel_genai', 'vercel_ai', 'openinference']);
});

test('spans that are not agent actions pass through', () => {
  assert.equal(normalizeSpan(span({ 'http.request.method': 'GET', 'url.full': 'https://example.com' })), null);
  assert.equal(normalizeSpan(span({})), null);
  // resource identity alone does not make every span of the process an agent action
  assert.equal(normalizeSpan(span({ 'db.system.name': 'redis' }, { resource: { 'agentrail.agent.id': 'a' } })), null);
  // but it fills identity on a span that is one
  const a = normalizeSpan(span({ 'gen_ai.operation.name': 'chat' }, { resource: { 'gen_ai.agent.id': 'res-agent', 'service.name': 'svc' } }));
  assert.equal(a?.agent.id, 'res-agent');
  assert.equal(a?.agent.service, 'svc');
});

test('error status without error.type still yields an error type', () => {
  const a = normalizeSpan(span({ 'gen_ai.operation.name': 'chat' }, { status: { code: 2, message: 'boom' } }));
  assert.equal(a?.errorType, '_OTHER');
});

test('Vercel AI SDK metadata with full agentrail.* names (aiSdkTelemetry) carries identity', () => {
  const a = normalizeSpan(span({
    'ai.operationId': 'ai.toolCall',
    'ai.toolCall.name': 'refund',
    'ai.telemetry.metadata.agentrail.agent.id': 'support-agent',
    'ai.telemetry.metadata.agentrail.agent.version': '1.2.0',
    'ai.telemetry.metadata.agentrail.agent.owner': 'team-support',
    'ai.telemetry.metadata.agentrail.principal.id': 'svc-billing',
    'ai.telemetry.metadata.agentrail.principal.type': 'service',
    'ai.telemetry.metadata.agentrail.principal.tenant': 'acme',
    'ai.telemetry.metadata.userId': 'short-name-user',
  }));
  assert.ok(a);
  assert.equal(a.agent.id, 'support-agent');
  assert.equal(a.agent.version, '1.2.0');
  assert.equal(a.agent.owner, 'team-support');
  assert.equal(a.principal.id, 'svc-billing', 'the full agentrail name wins over the short metadata name');
  assert.equal(a.principal.type, 'service');
  assert.equal(a.principal.tenant, 'acme');
  assert.equal(a.operation, 'execute_tool');
});
