// OpenInference (Arize Phoenix and its instrumentations).
import * as O from '../attributes/openinference.js';
import type { ActionDraft } from '../draft.js';
import type { ActionOperation } from '../types.js';
import type { ConventionAdapter } from './adapter.js';

// Null prototype: a span saying "constructor" or "__proto__" must not find Object.prototype members.
const OPERATIONS: Readonly<Record<string, ActionOperation>> = Object.assign(Object.create(null) as Record<string, ActionOperation>, {
  AGENT: 'invoke_agent',
  TOOL: 'execute_tool',
  LLM: 'chat',
  EMBEDDING: 'embeddings',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
});

export const openInferenceAdapter: ConventionAdapter = {
  convention: 'openinference',
  read(d: ActionDraft): boolean {
    const kind = d.str(O.ATTR_OPENINFERENCE_SPAN_KIND);
    if (kind === null) return false;
    if (d.take('agent.name', O.ATTR_OPENINFERENCE_AGENT_NAME)) d.spanHasIdentity = true;
    d.take('agent.model', O.ATTR_OPENINFERENCE_LLM_MODEL_NAME);
    d.take('agent.provider', O.ATTR_OPENINFERENCE_LLM_PROVIDER);
    d.take('agent.provider', O.ATTR_OPENINFERENCE_LLM_SYSTEM);
    if (d.take('principal.id', O.ATTR_OPENINFERENCE_USER_ID)) d.put('principal.type', 'user');
    d.take('session.sessionId', O.ATTR_OPENINFERENCE_SESSION_ID);
    const upper = kind.toUpperCase();
    if (upper === 'TOOL') {
      d.take('tool.name', O.ATTR_OPENINFERENCE_TOOL_NAME);
      d.take('tool.name', O.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_NAME);
      d.take('tool.callId', O.ATTR_OPENINFERENCE_TOOL_CALL_ID);
      d.put('tool.type', 'function');
      // a TOOL span's input.value is the tool's arguments
      if (d.has(O.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS)) d.toolArgumentsKey ??= O.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS;
      else if (d.has(O.ATTR_OPENINFERENCE_INPUT_VALUE)) d.toolArgumentsKey ??= O.ATTR_OPENINFERENCE_INPUT_VALUE;
    }
    const op = OPERATIONS[upper];
    if (op !== undefined) {
      d.classify(op, 'openinference');
      d.consumed.push(O.ATTR_OPENINFERENCE_SPAN_KIND);
    }
    return true;
  },
};
