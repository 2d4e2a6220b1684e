// Vercel AI SDK telemetry (`ai.*`, v5/v6). v7 writes `gen_ai.*`, read by the GenAI adapter.
import * as V from '../attributes/vercel-ai.js';
import type { ActionDraft } from '../draft.js';
import type { ActionOperation } from '../types.js';
import type { ConventionAdapter } from './adapter.js';

// Top-level calls run the model/tool loop on the agent's behalf: invoke_agent. The inner
// `.do*` spans are single provider calls.
const OPERATIONS: Readonly<Record<string, ActionOperation>> = {
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
};

const M = V.ATTR_AI_TELEMETRY_METADATA_PREFIX;

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
    // Metadata conventions users commonly pass in experimental_telemetry.metadata
    if (d.take('agent.id', M + 'agentId') || d.take('agent.id', M + 'agent_id')) d.spanHasIdentity = true;
    d.take('agent.name', M + 'agentName');
    d.take('agent.name', V.ATTR_AI_TELEMETRY_FUNCTION_ID);
    if (d.take('principal.id', M + 'userId') || d.take('principal.id', M + 'user_id')) d.put('principal.type', 'user');
    d.take('principal.tenant', M + 'tenantId');
    d.take('session.sessionId', M + 'sessionId');
    d.take('session.sessionId', M + 'session_id');
    d.take('session.conversationId', M + 'conversationId');
    d.take('session.conversationId', M + 'threadId');
    if (opId !== null) {
      const op = OPERATIONS[opId];
      if (op !== undefined) d.classify(op, 'vercel_ai');
    } else if (hasTool) {
      d.classify('execute_tool', 'vercel_ai');
    }
    return true;
  },
};
