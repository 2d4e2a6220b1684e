// Microsoft Agent 365: tenant, agentic user, caller (the principal) and caller agent.
import * as M from '../attributes/agent365.js';
import { ATTR_GEN_AI_SYSTEM } from '../attributes/genai.js';
import type { ActionDraft } from '../draft.js';
import type { ConventionAdapter } from './adapter.js';

// Keys whose presence marks an Agent 365 span (checked by lookup: no scan over all keys).
const MARKERS: readonly string[] = [
  M.ATTR_MICROSOFT_TENANT_ID, M.ATTR_MICROSOFT_AGENT_USER_ID, M.ATTR_MICROSOFT_CALLER_ID,
  M.ATTR_MICROSOFT_A365_CALLER_AGENT_ID, M.ATTR_MICROSOFT_SESSION_ID, M.ATTR_MICROSOFT_AGENT_USER_UPN,
  M.ATTR_MICROSOFT_AGENT_BLUEPRINT_ID, M.ATTR_GEN_AI_CALLER_ID, M.ATTR_GEN_AI_CALLER_AGENT_ID,
  M.ATTR_GEN_AI_CALLER_TENANT_ID, M.ATTR_GEN_AI_AGENT_USER_ID,
];

function detected(d: ActionDraft): boolean {
  if (d.str(ATTR_GEN_AI_SYSTEM) === M.GEN_AI_SYSTEM_VALUE_AGENT365) return true;
  for (const key of MARKERS) if (d.attributes[key] !== undefined) return true;
  return false;
}

export const agent365Adapter: ConventionAdapter = {
  convention: 'agent365',
  read(d: ActionDraft): boolean {
    if (!detected(d)) return false;
    d.take('agent.instanceId', M.ATTR_MICROSOFT_AGENT_USER_ID);
    d.take('agent.instanceId', M.ATTR_GEN_AI_AGENT_USER_ID);
    d.take('principal.tenant', M.ATTR_MICROSOFT_TENANT_ID);
    d.take('principal.tenant', M.ATTR_GEN_AI_CALLER_TENANT_ID);
    d.take('principal.tenant', M.ATTR_A365_TENANT_ID_LEGACY);
    d.take('session.sessionId', M.ATTR_MICROSOFT_SESSION_ID);
    // Agent-to-agent calls name the calling agent; otherwise the caller is a user.
    if (d.take('principal.id', M.ATTR_MICROSOFT_A365_CALLER_AGENT_ID) || d.take('principal.id', M.ATTR_GEN_AI_CALLER_AGENT_ID)) {
      d.put('principal.type', 'agent');
    } else if (d.take('principal.id', M.ATTR_MICROSOFT_CALLER_ID) || d.take('principal.id', M.ATTR_GEN_AI_CALLER_ID)) {
      d.put('principal.type', 'user');
    }
    return true;
  },
};
