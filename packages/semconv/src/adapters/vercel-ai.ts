// Vercel AI SDK telemetry (`ai.*`, v5/v6). v7 writes `gen_ai.*`, read by the GenAI adapter.
import * as A from '../attributes/agentrail.js';
import * as V from '../attributes/vercel-ai.js';
import type { ActionDraft } from '../draft.js';
import type { ActionOperation } from '../types.js';
import type { ConventionAdapter } from './adapter.js';

// Top-level calls run the model/tool loop on the agent's behalf: invoke_agent. The inner
// `.do*` spans are single provider calls.
// Null prototype: a span saying "constructor" or "__proto__" must not find Object.prototype members.
const OPERATIONS: Readonly<Record<string, ActionOperation>> = Object.assign(Object.create(null) as Record<string, ActionOperation>, {
  'ai.generateText': 'invoke_agent',
  'ai.streamText': 'invoke_agent',
  'ai.generateObject': 'invoke_agent',
  'ai.streamObject': 'invoke_agent',
  'ai.generateText.doGenerate': 'chat',
  'ai.streamText.doStream': 'chat',
  'ai.generateObject.doGenerate': 'chat',
  'ai.streamObject.doStream': 'chat',
  'ai.embed': 'embeddings',
  'ai.embedMany': 'embeddings',
  'ai.embed.doEmbed': 'embeddings',
  'ai.embedMany.doEmbed': 'embeddings',
  'ai.toolCall': 'execute_tool',
});

const M = V.ATTR_AI_TELEMETRY_METADATA_PREFIX;
// Full keys, built once: a key concatenated in each call is a new string every lookup must hash.
const KEY_agentId = M + 'agentId';
const KEY_agent_id = M + 'agent_id';
const KEY_agentName = M + 'agentName';
const KEY_userId = M + 'userId';
const KEY_user_id = M + 'user_id';
const KEY_tenantId = M + 'tenantId';
const KEY_sessionId = M + 'sessionId';
const KEY_session_id = M + 'session_id';
const KEY_conversationId = M + 'conversationId';
const KEY_threadId = M + 'threadId';
// `aiSdkTelemetry()` (the instrumentation bridge) also passes full agentrail.* names as metadata, so
// identity survives even without the context span processor; they win over the short names.
const KEY_AR_AGENT_ID = M + A.ATTR_AGENTRAIL_AGENT_ID;
const KEY_AR_AGENT_NAME = M + A.ATTR_AGENTRAIL_AGENT_NAME;
const KEY_AR_AGENT_VERSION = M + A.ATTR_AGENTRAIL_AGENT_VERSION;
const KEY_AR_AGENT_OWNER = M + A.ATTR_AGENTRAIL_AGENT_OWNER;
const KEY_AR_PRINCIPAL_ID = M + A.ATTR_AGENTRAIL_PRINCIPAL_ID;
const KEY_AR_PRINCIPAL_TYPE = M + A.ATTR_AGENTRAIL_PRINCIPAL_TYPE;
const KEY_AR_PRINCIPAL_TENANT = M + A.ATTR_AGENTRAIL_PRINCIPAL_TENANT;
const PRINCIPAL_TYPES = new Set(['user', 'agent', 'service']);

export const vercelAiAdapter: ConventionAdapter = {
  convention: 'vercel_ai',
  read(d: ActionDraft): boolean {
    const opId = d.str(V.ATTR_AI_OPERATION_ID);
    const hasTool = d.has(V.ATTR_AI_TOOL_CALL_NAME);
    if (opId === null && !hasTool && !d.has(V.ATTR_AI_MODEL_ID) && !d.has(V.ATTR_AI_TELEMETRY_FUNCTION_ID)) return false;
    // functionId names the calling function; the agent's own name when nothing better exists
    d.take('agent.model', V.ATTR_AI_MODEL_ID);
    d.take('agent.provider', V.ATTR_AI_MODEL_PROVIDER);
    if (hasTool) {
      d.take('tool.name', V.ATTR_AI_TOOL_CALL_NAME);
      d.take('tool.callId', V.ATTR_AI_TOOL_CALL_ID);
      d.put('tool.type', 'function');
      if (d.has(V.ATTR_AI_TOOL_CALL_ARGS)) d.toolArgumentsKey ??= V.ATTR_AI_TOOL_CALL_ARGS;
      else if (d.has('ai.toolCall.input')) d.toolArgumentsKey ??= 'ai.toolCall.input';
    }
    if (d.take('agent.id', KEY_AR_AGENT_ID)) d.spanHasIdentity = true;
    d.take('agent.name', KEY_AR_AGENT_NAME);
    d.take('agent.version', KEY_AR_AGENT_VERSION);
    d.take('agent.owner', KEY_AR_AGENT_OWNER);
    if (d.take('principal.id', KEY_AR_PRINCIPAL_ID)) {
      const t = d.str(KEY_AR_PRINCIPAL_TYPE);
      if (t !== null && PRINCIPAL_TYPES.has(t)) d.put('principal.type', t, KEY_AR_PRINCIPAL_TYPE);
    }
    d.take('principal.tenant', KEY_AR_PRINCIPAL_TENANT);
    // Metadata conventions users commonly pass in experimental_telemetry.metadata
    if (d.take('agent.id', KEY_agentId) || d.take('agent.id', KEY_agent_id)) d.spanHasIdentity = true;
    d.take('agent.name', KEY_agentName);
    d.take('agent.name', V.ATTR_AI_TELEMETRY_FUNCTION_ID);
    if (d.take('principal.id', KEY_userId) || d.take('principal.id', KEY_user_id)) d.put('principal.type', 'user');
    d.take('principal.tenant', KEY_tenantId);
    d.take('session.sessionId', KEY_sessionId);
    d.take('session.sessionId', KEY_session_id);
    d.take('session.conversationId', KEY_conversationId);
    d.take('session.conversationId', KEY_threadId);
    if (opId !== null) {
      const op = OPERATIONS[opId];
      if (op !== undefined) d.classify(op, 'vercel_ai');
    } else if (hasTool) {
      d.classify('execute_tool', 'vercel_ai');
    }
    return true;
  },
};
