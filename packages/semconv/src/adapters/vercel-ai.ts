// Vercel AI SDK telemetry (`ai.*`, v5/v6). v7 writes `gen_ai.*`, read by the GenAI adapter.
import * as A from '../attributes/agentrail.js';
import * as V from '../attributes/vercel-ai.js';
import { F, scalarString, type ActionDraft } from '../draft.js';
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
    const a = d.attributes;
    const opId = scalarString(a[V.ATTR_AI_OPERATION_ID]);
    const hasTool = a[V.ATTR_AI_TOOL_CALL_NAME] !== undefined;
    if (opId === null && !hasTool && a[V.ATTR_AI_MODEL_ID] === undefined && a[V.ATTR_AI_TELEMETRY_FUNCTION_ID] === undefined) return false;
    // functionId names the calling function; the agent's own name when nothing better exists
    d.take(F.AGENT_MODEL, a[V.ATTR_AI_MODEL_ID], V.ATTR_AI_MODEL_ID);
    d.take(F.AGENT_PROVIDER, a[V.ATTR_AI_MODEL_PROVIDER], V.ATTR_AI_MODEL_PROVIDER);
    if (hasTool) {
      d.take(F.TOOL_NAME, a[V.ATTR_AI_TOOL_CALL_NAME], V.ATTR_AI_TOOL_CALL_NAME);
      d.take(F.TOOL_CALL_ID, a[V.ATTR_AI_TOOL_CALL_ID], V.ATTR_AI_TOOL_CALL_ID);
      d.put(F.TOOL_TYPE, 'function');
      if (a[V.ATTR_AI_TOOL_CALL_ARGS] !== undefined) d.toolArgumentsKey ??= V.ATTR_AI_TOOL_CALL_ARGS;
      else if (a[V.ATTR_AI_TOOL_CALL_INPUT] !== undefined) d.toolArgumentsKey ??= V.ATTR_AI_TOOL_CALL_INPUT;
    }
    if (d.take(F.AGENT_ID, a[KEY_AR_AGENT_ID], KEY_AR_AGENT_ID)) d.spanHasIdentity = true;
    d.take(F.AGENT_NAME, a[KEY_AR_AGENT_NAME], KEY_AR_AGENT_NAME);
    d.take(F.AGENT_VERSION, a[KEY_AR_AGENT_VERSION], KEY_AR_AGENT_VERSION);
    d.take(F.AGENT_OWNER, a[KEY_AR_AGENT_OWNER], KEY_AR_AGENT_OWNER);
    if (d.take(F.PRINCIPAL_ID, a[KEY_AR_PRINCIPAL_ID], KEY_AR_PRINCIPAL_ID)) {
      const t = scalarString(a[KEY_AR_PRINCIPAL_TYPE]);
      if (t !== null && PRINCIPAL_TYPES.has(t)) d.put(F.PRINCIPAL_TYPE, t, KEY_AR_PRINCIPAL_TYPE);
    }
    d.take(F.PRINCIPAL_TENANT, a[KEY_AR_PRINCIPAL_TENANT], KEY_AR_PRINCIPAL_TENANT);
    // Metadata conventions users commonly pass in experimental_telemetry.metadata
    if (d.take(F.AGENT_ID, a[KEY_agentId], KEY_agentId) || d.take(F.AGENT_ID, a[KEY_agent_id], KEY_agent_id)) d.spanHasIdentity = true;
    d.take(F.AGENT_NAME, a[KEY_agentName], KEY_agentName);
    d.take(F.AGENT_NAME, a[V.ATTR_AI_TELEMETRY_FUNCTION_ID], V.ATTR_AI_TELEMETRY_FUNCTION_ID);
    if (d.take(F.PRINCIPAL_ID, a[KEY_userId], KEY_userId) || d.take(F.PRINCIPAL_ID, a[KEY_user_id], KEY_user_id)) d.put(F.PRINCIPAL_TYPE, 'user');
    d.take(F.PRINCIPAL_TENANT, a[KEY_tenantId], KEY_tenantId);
    d.take(F.SESSION_SESSION_ID, a[KEY_sessionId], KEY_sessionId);
    d.take(F.SESSION_SESSION_ID, a[KEY_session_id], KEY_session_id);
    d.take(F.SESSION_CONVERSATION_ID, a[KEY_conversationId], KEY_conversationId);
    d.take(F.SESSION_CONVERSATION_ID, a[KEY_threadId], KEY_threadId);
    if (opId !== null) {
      const op = OPERATIONS[opId];
      if (op !== undefined) d.classify(op, 'vercel_ai');
    } else if (hasTool) {
      d.classify('execute_tool', 'vercel_ai');
    }
    return true;
  },
};
