// OpenLLMetry (Traceloop): span kinds, entity names and association properties. Its LLM spans
// also carry gen_ai.* names, read by the GenAI adapter first.
import * as T from '../attributes/openllmetry.js';
import type { ActionDraft } from '../draft.js';
import type { ConventionAdapter } from './adapter.js';

const P = T.ATTR_TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX;

export const openLlmetryAdapter: ConventionAdapter = {
  convention: 'openllmetry',
  read(d: ActionDraft): boolean {
    const kind = d.str(T.ATTR_TRACELOOP_SPAN_KIND);
    const requestType = d.str(T.ATTR_LLM_REQUEST_TYPE);
    let seen = kind !== null || requestType !== null;
    if (d.take('principal.id', P + 'user_id') || d.take('principal.id', P + 'userId')) {
      d.put('principal.type', 'user');
      seen = true;
    }
    seen = d.take('session.sessionId', P + 'session_id') || d.take('session.sessionId', P + 'sessionId') || seen;
    seen = d.take('principal.tenant', P + 'tenant_id') || seen;
    if (d.take('agent.id', P + 'agent_id')) { d.spanHasIdentity = true; seen = true; }
    if (!seen) return false;
    if (kind === 'agent') {
      if (d.take('agent.name', T.ATTR_TRACELOOP_ENTITY_NAME)) d.spanHasIdentity = true;
      d.take('agent.version', T.ATTR_TRACELOOP_ENTITY_VERSION);
      d.classify('invoke_agent', 'openllmetry');
    } else if (kind === 'tool') {
      d.take('tool.name', T.ATTR_TRACELOOP_ENTITY_NAME);
      d.put('tool.type', 'function');
      if (d.has(T.ATTR_TRACELOOP_ENTITY_INPUT)) d.toolArgumentsKey ??= T.ATTR_TRACELOOP_ENTITY_INPUT;
      d.classify('execute_tool', 'openllmetry');
    } else if (requestType === 'chat' || requestType === 'completion') {
      d.classify('chat', 'openllmetry');
    } else if (requestType === 'embedding') {
      d.classify('embeddings', 'openllmetry');
    } else if (requestType === 'rerank') {
      d.classify('retrieval', 'openllmetry');
    }
    return true;
  },
};
