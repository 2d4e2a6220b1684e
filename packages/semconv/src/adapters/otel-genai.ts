// OpenTelemetry GenAI semantic conventions, current names and the older `gen_ai.system`.
import * as G from '../attributes/genai.js';
import { F, scalarString, type ActionDraft } from '../draft.js';
import type { ActionOperation } from '../types.js';
import type { ConventionAdapter } from './adapter.js';

// Null prototype: a span saying "constructor" or "__proto__" must not find Object.prototype members.
const OPERATIONS: Readonly<Record<string, ActionOperation>> = Object.assign(Object.create(null) as Record<string, ActionOperation>, {
  invoke_agent: 'invoke_agent',
  create_agent: 'invoke_agent',
  invoke_workflow: 'invoke_agent',
  execute_tool: 'execute_tool',
  chat: 'chat',
  text_completion: 'chat',
  generate_content: 'chat',
  embeddings: 'embeddings',
  retrieval: 'retrieval',
});

export const otelGenAiAdapter: ConventionAdapter = {
  convention: 'otel_genai',
  read(d: ActionDraft): boolean {
    const a = d.attributes;
    const op = scalarString(a[G.ATTR_GEN_AI_OPERATION_NAME]);
    let seen = op !== null;
    if (d.take(F.AGENT_ID, a[G.ATTR_GEN_AI_AGENT_ID], G.ATTR_GEN_AI_AGENT_ID)) { seen = true; d.spanHasIdentity = true; }
    if (d.take(F.AGENT_NAME, a[G.ATTR_GEN_AI_AGENT_NAME], G.ATTR_GEN_AI_AGENT_NAME)) { seen = true; d.spanHasIdentity = true; }
    seen = d.take(F.AGENT_VERSION, a[G.ATTR_GEN_AI_AGENT_VERSION], G.ATTR_GEN_AI_AGENT_VERSION) || seen;
    seen = d.take(F.AGENT_MODEL, a[G.ATTR_GEN_AI_REQUEST_MODEL], G.ATTR_GEN_AI_REQUEST_MODEL) || seen;
    seen = d.take(F.AGENT_MODEL, a[G.ATTR_GEN_AI_RESPONSE_MODEL], G.ATTR_GEN_AI_RESPONSE_MODEL) || seen;
    seen = d.take(F.AGENT_PROVIDER, a[G.ATTR_GEN_AI_PROVIDER_NAME], G.ATTR_GEN_AI_PROVIDER_NAME) || seen;
    seen = d.take(F.AGENT_PROVIDER, a[G.ATTR_GEN_AI_SYSTEM], G.ATTR_GEN_AI_SYSTEM) || seen;
    seen = d.take(F.SESSION_CONVERSATION_ID, a[G.ATTR_GEN_AI_CONVERSATION_ID], G.ATTR_GEN_AI_CONVERSATION_ID) || seen;
    const hasTool = a[G.ATTR_GEN_AI_TOOL_NAME] !== undefined || a[G.ATTR_GEN_AI_TOOL_CALL_ID] !== undefined;
    if (hasTool) {
      seen = true;
      d.take(F.TOOL_NAME, a[G.ATTR_GEN_AI_TOOL_NAME], G.ATTR_GEN_AI_TOOL_NAME);
      d.take(F.TOOL_CALL_ID, a[G.ATTR_GEN_AI_TOOL_CALL_ID], G.ATTR_GEN_AI_TOOL_CALL_ID);
      d.take(F.TOOL_TYPE, a[G.ATTR_GEN_AI_TOOL_TYPE], G.ATTR_GEN_AI_TOOL_TYPE);
    }
    if (a[G.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] !== undefined) d.toolArgumentsKey ??= G.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS;
    if (d.take(F.RESOURCE_ID, a[G.ATTR_GEN_AI_DATA_SOURCE_ID], G.ATTR_GEN_AI_DATA_SOURCE_ID)) d.put(F.RESOURCE_TYPE, 'gen_ai.data_source');

    if (op !== null) {
      d.classify(OPERATIONS[op] ?? 'other', 'otel_genai');
      d.consumed.push(G.ATTR_GEN_AI_OPERATION_NAME);
    } else if (hasTool) {
      d.classify('execute_tool', 'otel_genai');
    } else if (a[G.ATTR_GEN_AI_SYSTEM] !== undefined || a[G.ATTR_GEN_AI_PROVIDER_NAME] !== undefined) {
      // older instrumentations set only gen_ai.system + model on model calls
      d.classify('chat', 'otel_genai');
    }
    return seen;
  },
};
