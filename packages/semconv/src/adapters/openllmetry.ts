// OpenLLMetry (Traceloop): span kinds, entity names and association properties. Its LLM spans
// also carry gen_ai.* names, read by the GenAI adapter first.
import * as T from '../attributes/openllmetry.js';
import { F, scalarString, type ActionDraft } from '../draft.js';
import type { ConventionAdapter } from './adapter.js';

const P = T.ATTR_TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX;
// Full keys, built once: a key concatenated in each call is a new string every lookup must hash.
const KEY_user_id = P + 'user_id';
const KEY_userId = P + 'userId';
const KEY_session_id = P + 'session_id';
const KEY_sessionId = P + 'sessionId';
const KEY_tenant_id = P + 'tenant_id';
const KEY_agent_id = P + 'agent_id';

export const openLlmetryAdapter: ConventionAdapter = {
  convention: 'openllmetry',
  read(d: ActionDraft): boolean {
    const a = d.attributes;
    const kind = scalarString(a[T.ATTR_TRACELOOP_SPAN_KIND]);
    const requestType = scalarString(a[T.ATTR_LLM_REQUEST_TYPE]);
    let seen = kind !== null || requestType !== null;
    if (d.take(F.PRINCIPAL_ID, a[KEY_user_id], KEY_user_id) || d.take(F.PRINCIPAL_ID, a[KEY_userId], KEY_userId)) {
      d.put(F.PRINCIPAL_TYPE, 'user');
      seen = true;
    }
    seen = d.take(F.SESSION_SESSION_ID, a[KEY_session_id], KEY_session_id) || d.take(F.SESSION_SESSION_ID, a[KEY_sessionId], KEY_sessionId) || seen;
    seen = d.take(F.PRINCIPAL_TENANT, a[KEY_tenant_id], KEY_tenant_id) || seen;
    if (d.take(F.AGENT_ID, a[KEY_agent_id], KEY_agent_id)) { d.spanHasIdentity = true; seen = true; }
    if (!seen) return false;
    if (kind === 'agent') {
      if (d.take(F.AGENT_NAME, a[T.ATTR_TRACELOOP_ENTITY_NAME], T.ATTR_TRACELOOP_ENTITY_NAME)) d.spanHasIdentity = true;
      d.take(F.AGENT_VERSION, a[T.ATTR_TRACELOOP_ENTITY_VERSION], T.ATTR_TRACELOOP_ENTITY_VERSION);
      d.classify('invoke_agent', 'openllmetry');
    } else if (kind === 'tool') {
      d.take(F.TOOL_NAME, a[T.ATTR_TRACELOOP_ENTITY_NAME], T.ATTR_TRACELOOP_ENTITY_NAME);
      d.put(F.TOOL_TYPE, 'function');
      if (a[T.ATTR_TRACELOOP_ENTITY_INPUT] !== undefined) d.toolArgumentsKey ??= T.ATTR_TRACELOOP_ENTITY_INPUT;
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
