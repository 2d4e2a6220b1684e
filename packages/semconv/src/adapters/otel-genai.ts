// OpenTelemetry GenAI semantic conventions, current names and the older `gen_ai.system`.
import * as G from '../attributes/genai.js';
import type { ActionDraft } from '../draft.js';
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
    const op = d.str(G.ATTR_GEN_AI_OPERATION_NAME);
    let seen = op !== null;
    if (d.take('agent.id', G.ATTR_GEN_AI_AGENT_ID)) { seen = true; d.spanHasIdentity = true; }
    if (d.take('agent.name', G.ATTR_GEN_AI_AGENT_NAME)) { seen = true; d.spanHasIdentity = true; }
    seen = d.take('agent.version', G.ATTR_GEN_AI_AGENT_VERSION) || seen;
    seen = d.take('agent.model', G.ATTR_GEN_AI_REQUEST_MODEL) || seen;
    seen = d.take('agent.model', G.ATTR_GEN_AI_RESPONSE_MODEL) || seen;
    seen = d.take('agent.provider', G.ATTR_GEN_AI_PROVIDER_NAME) || seen;
    seen = d.take('agent.provider', G.ATTR_GEN_AI_SYSTEM) || seen;
    seen = d.take('session.conversationId', G.ATTR_GEN_AI_CONVERSATION_ID) || seen;
    const hasTool = d.has(G.ATTR_GEN_AI_TOOL_NAME) || d.has(G.ATTR_GEN_AI_TOOL_CALL_ID);
    if (hasTool) {
      seen = true;
      d.take('tool.name', G.ATTR_GEN_AI_TOOL_NAME);
      d.take('tool.callId', G.ATTR_GEN_AI_TOOL_CALL_ID);
      d.take('tool.type', G.ATTR_GEN_AI_TOOL_TYPE);
    }
    if (d.has(G.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS)) d.toolArgumentsKey ??= G.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS;
    if (d.take('resource.id', G.ATTR_GEN_AI_DATA_SOURCE_ID)) d.put('resource.type', 'gen_ai.data_source');

    if (op !== null) {
      d.classify(OPERATIONS[op] ?? 'other', 'otel_genai');
      d.consumed.push(G.ATTR_GEN_AI_OPERATION_NAME);
    } else if (hasTool) {
      d.classify('execute_tool', 'otel_genai');
    } else if (d.has(G.ATTR_GEN_AI_SYSTEM) || d.has(G.ATTR_GEN_AI_PROVIDER_NAME)) {
      // older instrumentations set only gen_ai.system + model on model calls
      d.classify('chat', 'otel_genai');
    }
    return seen;
  },
};
