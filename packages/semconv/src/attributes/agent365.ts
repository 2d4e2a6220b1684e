// Microsoft Agent 365 observability attributes. Agent 365 writes either the `microsoft.*` names
// (new schema) or the `gen_ai.caller.*` / `gen_ai.agent.*` extensions (older schema); both are read.

export const ATTR_MICROSOFT_TENANT_ID = 'microsoft.tenant.id' as const;
/** Older Agent 365 schema name of the tenant; read only on spans detected as Agent 365. */
export const ATTR_A365_TENANT_ID_LEGACY = 'tenant.id' as const;
export const ATTR_MICROSOFT_SESSION_ID = 'microsoft.session.id' as const;
export const ATTR_MICROSOFT_AGENT_USER_ID = 'microsoft.a365.agent.user.id' as const;
export const ATTR_MICROSOFT_AGENT_USER_UPN = 'microsoft.agent.user.upn' as const;
export const ATTR_MICROSOFT_AGENT_BLUEPRINT_ID = 'microsoft.agent.blueprint.id' as const;
export const ATTR_MICROSOFT_CALLER_ID = 'microsoft.caller.id' as const;
export const ATTR_MICROSOFT_CALLER_NAME = 'microsoft.caller.name' as const;
export const ATTR_MICROSOFT_CALLER_UPN = 'microsoft.caller.upn' as const;
export const ATTR_MICROSOFT_A365_CALLER_AGENT_ID = 'microsoft.a365.caller.agent.id' as const;
export const ATTR_MICROSOFT_A365_CALLER_AGENT_NAME = 'microsoft.a365.caller.agent.name' as const;
export const ATTR_MICROSOFT_A365_CALLER_AGENT_USER_ID = 'microsoft.a365.caller.agent.user.id' as const;
export const ATTR_GEN_AI_AGENT_USER_ID = 'gen_ai.agent.user.id' as const;
export const ATTR_GEN_AI_AGENT_UPN = 'gen_ai.agent.upn' as const;
export const ATTR_GEN_AI_CALLER_ID = 'gen_ai.caller.id' as const;
export const ATTR_GEN_AI_CALLER_NAME = 'gen_ai.caller.name' as const;
export const ATTR_GEN_AI_CALLER_UPN = 'gen_ai.caller.upn' as const;
export const ATTR_GEN_AI_CALLER_TENANT_ID = 'gen_ai.caller.tenantid' as const;
export const ATTR_GEN_AI_CALLER_AGENT_ID = 'gen_ai.caller.agent.id' as const;
export const ATTR_GEN_AI_CALLER_AGENT_NAME = 'gen_ai.caller.agent.name' as const;
export const ATTR_GEN_AI_CALLER_AGENT_TENANT_ID = 'gen_ai.caller.agent.tenantid' as const;
export const ATTR_GEN_AI_EXECUTION_PAYLOAD = 'gen_ai.execution.payload' as const;
/** Agent 365 puts tool results here instead of `gen_ai.tool.call.result`. */
export const ATTR_GEN_AI_EVENT_CONTENT = 'gen_ai.event.content' as const;
/** `gen_ai.system` value Agent 365 writes. */
export const GEN_AI_SYSTEM_VALUE_AGENT365 = 'az.ai.agent365' as const;
