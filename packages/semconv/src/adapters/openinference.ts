// OpenInference (Arize Phoenix and its instrumentations).
import * as O from '../attributes/openinference.js';
import { F, scalarString, type ActionDraft } from '../draft.js';
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
    const a = d.attributes;
    const kind = scalarString(a[O.ATTR_OPENINFERENCE_SPAN_KIND]);
    if (kind === null) return false;
    if (d.take(F.AGENT_NAME, a[O.ATTR_OPENINFERENCE_AGENT_NAME], O.ATTR_OPENINFERENCE_AGENT_NAME)) d.spanHasIdentity = true;
    d.take(F.AGENT_MODEL, a[O.ATTR_OPENINFERENCE_LLM_MODEL_NAME], O.ATTR_OPENINFERENCE_LLM_MODEL_NAME);
    d.take(F.AGENT_PROVIDER, a[O.ATTR_OPENINFERENCE_LLM_PROVIDER], O.ATTR_OPENINFERENCE_LLM_PROVIDER);
    d.take(F.AGENT_PROVIDER, a[O.ATTR_OPENINFERENCE_LLM_SYSTEM], O.ATTR_OPENINFERENCE_LLM_SYSTEM);
    if (d.take(F.PRINCIPAL_ID, a[O.ATTR_OPENINFERENCE_USER_ID], O.ATTR_OPENINFERENCE_USER_ID)) d.put(F.PRINCIPAL_TYPE, 'user');
    d.take(F.SESSION_SESSION_ID, a[O.ATTR_OPENINFERENCE_SESSION_ID], O.ATTR_OPENINFERENCE_SESSION_ID);
    const upper = kind.toUpperCase();
    if (upper === 'TOOL') {
      d.take(F.TOOL_NAME, a[O.ATTR_OPENINFERENCE_TOOL_NAME], O.ATTR_OPENINFERENCE_TOOL_NAME);
      d.take(F.TOOL_NAME, a[O.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_NAME], O.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_NAME);
      d.take(F.TOOL_CALL_ID, a[O.ATTR_OPENINFERENCE_TOOL_CALL_ID], O.ATTR_OPENINFERENCE_TOOL_CALL_ID);
      d.put(F.TOOL_TYPE, 'function');
      // a TOOL span's input.value is the tool's arguments
      if (a[O.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS] !== undefined) d.toolArgumentsKey ??= O.ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS;
      else if (a[O.ATTR_OPENINFERENCE_INPUT_VALUE] !== undefined) d.toolArgumentsKey ??= O.ATTR_OPENINFERENCE_INPUT_VALUE;
    }
    const op = OPERATIONS[upper];
    if (op !== undefined) {
      d.classify(op, 'openinference');
      d.consumed.push(O.ATTR_OPENINFERENCE_SPAN_KIND);
    }
    return true;
  },
};
