// Our locally copied names must equal the upstream packages' constants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SemanticConventions, OpenInferenceSpanKind } from '@arizeai/openinference-semantic-conventions';
import { SpanAttributes, TraceloopSpanKindValues, LLMRequestTypeValues } from '@traceloop/ai-semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import * as S from '@agentrail/semconv';

test('OpenInference names equal @arizeai/openinference-semantic-conventions', () => {
  assert.equal(S.ATTR_OPENINFERENCE_SPAN_KIND, SemanticConventions.OPENINFERENCE_SPAN_KIND);
  assert.equal(S.ATTR_OPENINFERENCE_TOOL_NAME, SemanticConventions.TOOL_NAME);
  assert.equal(S.ATTR_OPENINFERENCE_TOOL_CALL_ID, SemanticConventions.TOOL_CALL_ID);
  assert.equal(S.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_NAME, SemanticConventions.TOOL_CALL_FUNCTION_NAME);
  assert.equal(S.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS, SemanticConventions.TOOL_CALL_FUNCTION_ARGUMENTS_JSON);
  assert.equal(S.ATTR_OPENINFERENCE_INPUT_VALUE, SemanticConventions.INPUT_VALUE);
  assert.equal(S.ATTR_OPENINFERENCE_OUTPUT_VALUE, SemanticConventions.OUTPUT_VALUE);
  assert.equal(S.ATTR_OPENINFERENCE_LLM_MODEL_NAME, SemanticConventions.LLM_MODEL_NAME);
  assert.equal(S.ATTR_OPENINFERENCE_LLM_PROVIDER, SemanticConventions.LLM_PROVIDER);
  assert.equal(S.ATTR_OPENINFERENCE_LLM_SYSTEM, SemanticConventions.LLM_SYSTEM);
  assert.equal(S.ATTR_OPENINFERENCE_LLM_INPUT_MESSAGES, SemanticConventions.LLM_INPUT_MESSAGES);
  assert.equal(S.ATTR_OPENINFERENCE_LLM_OUTPUT_MESSAGES, SemanticConventions.LLM_OUTPUT_MESSAGES);
  assert.equal(S.ATTR_OPENINFERENCE_RETRIEVAL_DOCUMENTS, SemanticConventions.RETRIEVAL_DOCUMENTS);
  assert.equal(S.ATTR_OPENINFERENCE_EMBEDDING_EMBEDDINGS, SemanticConventions.EMBEDDING_EMBEDDINGS);
  assert.equal(S.ATTR_OPENINFERENCE_USER_ID, SemanticConventions.USER_ID);
  assert.equal(S.ATTR_OPENINFERENCE_SESSION_ID, SemanticConventions.SESSION_ID);
  assert.equal(S.ATTR_OPENINFERENCE_AGENT_NAME, SemanticConventions.AGENT_NAME);
  assert.equal(S.OPENINFERENCE_SPAN_KIND_VALUE_AGENT, OpenInferenceSpanKind.AGENT);
  assert.equal(S.OPENINFERENCE_SPAN_KIND_VALUE_TOOL, OpenInferenceSpanKind.TOOL);
  assert.equal(S.OPENINFERENCE_SPAN_KIND_VALUE_LLM, OpenInferenceSpanKind.LLM);
  assert.equal(S.OPENINFERENCE_SPAN_KIND_VALUE_EMBEDDING, OpenInferenceSpanKind.EMBEDDING);
  assert.equal(S.OPENINFERENCE_SPAN_KIND_VALUE_RETRIEVER, OpenInferenceSpanKind.RETRIEVER);
  assert.equal(S.OPENINFERENCE_SPAN_KIND_VALUE_RERANKER, OpenInferenceSpanKind.RERANKER);
  assert.equal(S.OPENINFERENCE_SPAN_KIND_VALUE_CHAIN, OpenInferenceSpanKind.CHAIN);
});

test('OpenLLMetry names equal @traceloop/ai-semantic-conventions', () => {
  assert.equal(S.ATTR_TRACELOOP_SPAN_KIND, SpanAttributes.TRACELOOP_SPAN_KIND);
  assert.equal(S.ATTR_TRACELOOP_ENTITY_NAME, SpanAttributes.TRACELOOP_ENTITY_NAME);
  assert.equal(S.ATTR_TRACELOOP_ENTITY_VERSION, SpanAttributes.TRACELOOP_ENTITY_VERSION);
  assert.equal(S.ATTR_TRACELOOP_ENTITY_PATH, SpanAttributes.TRACELOOP_ENTITY_PATH);
  assert.equal(S.ATTR_TRACELOOP_ENTITY_INPUT, SpanAttributes.TRACELOOP_ENTITY_INPUT);
  assert.equal(S.ATTR_TRACELOOP_ENTITY_OUTPUT, SpanAttributes.TRACELOOP_ENTITY_OUTPUT);
  assert.equal(S.ATTR_TRACELOOP_WORKFLOW_NAME, SpanAttributes.TRACELOOP_WORKFLOW_NAME);
  assert.equal(S.ATTR_TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX, SpanAttributes.TRACELOOP_ASSOCIATION_PROPERTIES + '.');
  assert.equal(S.ATTR_LLM_REQUEST_TYPE, SpanAttributes.LLM_REQUEST_TYPE);
  assert.equal(S.TRACELOOP_SPAN_KIND_VALUE_AGENT, TraceloopSpanKindValues.AGENT);
  assert.equal(S.TRACELOOP_SPAN_KIND_VALUE_TOOL, TraceloopSpanKindValues.TOOL);
  assert.equal(S.TRACELOOP_SPAN_KIND_VALUE_WORKFLOW, TraceloopSpanKindValues.WORKFLOW);
  assert.equal(S.TRACELOOP_SPAN_KIND_VALUE_TASK, TraceloopSpanKindValues.TASK);
  assert.equal(LLMRequestTypeValues.CHAT, 'chat');
});

test('gen_ai, MCP and general names equal @opentelemetry/semantic-conventions', () => {
  // Every local ATTR_GEN_AI_* / ATTR_MCP_* / ATTR_JSONRPC_* / GEN_AI_* value that upstream also
  // defines under the same constant name must be equal.
  const upstream = incubating as unknown as Record<string, unknown>;
  let compared = 0;
  for (const [name, value] of Object.entries(S)) {
    if (!/^(ATTR_GEN_AI_|ATTR_MCP_|ATTR_JSONRPC_|GEN_AI_|ATTR_USER_|ATTR_SESSION_|ATTR_ERROR_TYPE|ATTR_SERVICE_|ATTR_HTTP_|ATTR_DB_|ATTR_URL_)/.test(name)) continue;
    if (!(name in upstream)) continue;
    assert.equal(value, upstream[name], name);
    compared++;
  }
  assert.ok(compared >= 40, `compared only ${compared} names`);
});

test('agentrail names are unique and all under agentrail.*', () => {
  const names = Object.entries(S).filter(([k]) => k.startsWith('ATTR_AGENTRAIL_')).map(([, v]) => v as string);
  assert.ok(names.length >= 26, `only ${names.length} agentrail names`);
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^agentrail\.[a-z_.]+$/);
  assert.equal(S.ATTR_AGENTRAIL_RECORD_INDEX, 'agentrail.record.index');
  assert.equal(S.ATTR_AGENTRAIL_RECORD_HASH, 'agentrail.record.hash');
});
