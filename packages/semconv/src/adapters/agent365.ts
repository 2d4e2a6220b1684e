// Microsoft Agent 365: tenant, agentic user, caller (the principal) and caller agent.
import * as M from '../attributes/agent365.js';
import { ATTR_GEN_AI_SYSTEM } from '../attributes/genai.js';
import { F, scalarString, type ActionDraft } from '../draft.js';
import type { Attributes } from '../types.js';
import type { ConventionAdapter } from './adapter.js';

// Whether a span is Agent 365's: `gen_ai.system` says so, or a key only Agent 365 writes is
// present. One literal lookup per key (a loop over a key list would share one megamorphic site).
function detected(a: Attributes): boolean {
  return scalarString(a[ATTR_GEN_AI_SYSTEM]) === M.GEN_AI_SYSTEM_VALUE_AGENT365
    || a[M.ATTR_MICROSOFT_TENANT_ID] !== undefined || a[M.ATTR_MICROSOFT_AGENT_USER_ID] !== undefined
    || a[M.ATTR_MICROSOFT_CALLER_ID] !== undefined || a[M.ATTR_MICROSOFT_A365_CALLER_AGENT_ID] !== undefined
    || a[M.ATTR_MICROSOFT_SESSION_ID] !== undefined || a[M.ATTR_MICROSOFT_AGENT_USER_UPN] !== undefined
    || a[M.ATTR_MICROSOFT_AGENT_BLUEPRINT_ID] !== undefined || a[M.ATTR_GEN_AI_CALLER_ID] !== undefined
    || a[M.ATTR_GEN_AI_CALLER_AGENT_ID] !== undefined || a[M.ATTR_GEN_AI_CALLER_TENANT_ID] !== undefined
    || a[M.ATTR_GEN_AI_AGENT_USER_ID] !== undefined;
}

export const agent365Adapter: ConventionAdapter = {
  convention: 'agent365',
  read(d: ActionDraft): boolean {
    const a = d.attributes;
    if (!detected(a)) return false;
    d.take(F.AGENT_INSTANCE_ID, a[M.ATTR_MICROSOFT_AGENT_USER_ID], M.ATTR_MICROSOFT_AGENT_USER_ID);
    d.take(F.AGENT_INSTANCE_ID, a[M.ATTR_GEN_AI_AGENT_USER_ID], M.ATTR_GEN_AI_AGENT_USER_ID);
    d.take(F.PRINCIPAL_TENANT, a[M.ATTR_MICROSOFT_TENANT_ID], M.ATTR_MICROSOFT_TENANT_ID);
    d.take(F.PRINCIPAL_TENANT, a[M.ATTR_GEN_AI_CALLER_TENANT_ID], M.ATTR_GEN_AI_CALLER_TENANT_ID);
    d.take(F.PRINCIPAL_TENANT, a[M.ATTR_A365_TENANT_ID_LEGACY], M.ATTR_A365_TENANT_ID_LEGACY);
    d.take(F.SESSION_SESSION_ID, a[M.ATTR_MICROSOFT_SESSION_ID], M.ATTR_MICROSOFT_SESSION_ID);
    // Agent-to-agent calls name the calling agent; otherwise the caller is a user.
    if (d.take(F.PRINCIPAL_ID, a[M.ATTR_MICROSOFT_A365_CALLER_AGENT_ID], M.ATTR_MICROSOFT_A365_CALLER_AGENT_ID) || d.take(F.PRINCIPAL_ID, a[M.ATTR_GEN_AI_CALLER_AGENT_ID], M.ATTR_GEN_AI_CALLER_AGENT_ID)) {
      d.put(F.PRINCIPAL_TYPE, 'agent');
    } else if (d.take(F.PRINCIPAL_ID, a[M.ATTR_MICROSOFT_CALLER_ID], M.ATTR_MICROSOFT_CALLER_ID) || d.take(F.PRINCIPAL_ID, a[M.ATTR_GEN_AI_CALLER_ID], M.ATTR_GEN_AI_CALLER_ID)) {
      d.put(F.PRINCIPAL_TYPE, 'user');
    }
    return true;
  },
};
