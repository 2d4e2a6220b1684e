// normalizeSpan: one documented rule for what counts as an agent action, one precedence for
// which convention wins a field. See README "Precedence" and "Which spans are agent actions".
import { ATTR_AGENTRAIL_AGENT_ID, ATTR_AGENTRAIL_AGENT_NAME, ATTR_AGENTRAIL_AGENT_VERSION } from './attributes/agentrail.js';
import { ATTR_GEN_AI_AGENT_ID, ATTR_GEN_AI_AGENT_NAME, ATTR_GEN_AI_AGENT_VERSION } from './attributes/genai.js';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from './attributes/general.js';
import { ActionDraft, F, scalarString } from './draft.js';
import type { ConventionAdapter } from './adapters/adapter.js';
import { agentrailAdapter } from './adapters/agentrail.js';
import { otelGenAiAdapter } from './adapters/otel-genai.js';
import { agent365Adapter } from './adapters/agent365.js';
import { vercelAiAdapter } from './adapters/vercel-ai.js';
import { openInferenceAdapter } from './adapters/openinference.js';
import { openLlmetryAdapter } from './adapters/openllmetry.js';
import { mcpAdapter } from './adapters/mcp.js';
import { genericAdapter } from './adapters/generic.js';
import type { ActionKind, ActionRisk, AgentAction, Attributes, Convention, PrincipalType, SpanView } from './types.js';

/** Adapters in precedence order: per field, the first convention that has a value wins. */
export const CONVENTION_PRECEDENCE: readonly Convention[] = [
  'agentrail', 'otel_genai', 'agent365', 'vercel_ai', 'openinference', 'openllmetry', 'mcp', 'generic',
];

const ADAPTERS: readonly ConventionAdapter[] = [
  agentrailAdapter, otelGenAiAdapter, agent365Adapter, vercelAiAdapter, openInferenceAdapter,
  openLlmetryAdapter, mcpAdapter, genericAdapter,
];

// Resource attributes fill identity fields the span left empty (an agent process often puts its
// identity on the resource). They do not make a span an agent action by themselves.
// One literal lookup per name (see ActionDraft.take on why not a loop over a name list).
function fromResource(d: ActionDraft, r: Attributes): void {
  d.put(F.AGENT_ID, scalarString(r[ATTR_AGENTRAIL_AGENT_ID]));
  d.put(F.AGENT_ID, scalarString(r[ATTR_GEN_AI_AGENT_ID]));
  d.put(F.AGENT_NAME, scalarString(r[ATTR_AGENTRAIL_AGENT_NAME]));
  d.put(F.AGENT_NAME, scalarString(r[ATTR_GEN_AI_AGENT_NAME]));
  d.put(F.AGENT_VERSION, scalarString(r[ATTR_AGENTRAIL_AGENT_VERSION]));
  d.put(F.AGENT_VERSION, scalarString(r[ATTR_GEN_AI_AGENT_VERSION]));
  d.put(F.AGENT_INSTANCE_ID, scalarString(r[ATTR_SERVICE_INSTANCE_ID]));
}

/**
 * Read a span into one AgentAction, or null when the span is not an agent action (it then
 * passes through unrecorded). A span is an agent action when any convention classifies it as an
 * agent, tool, model (chat/embeddings), retrieval or MCP operation, or when the span's own
 * attributes carry an agent identity (agentrail.agent.*, gen_ai.agent.*, OpenInference
 * agent.name, ...); the latter are classified http, db or other.
 */
export function normalizeSpan(span: SpanView): AgentAction | null {
  const d = new ActionDraft(span.attributes, span.name);
  for (const adapter of ADAPTERS) {
    if (adapter.read(d)) d.conventions.push(adapter.convention);
  }
  if (d.operation === null || d.operationBy === null) return null;
  fromResource(d, span.resource);

  const toolName = d.get(F.TOOL_NAME);
  const toolCallId = d.get(F.TOOL_CALL_ID);
  const resourceType = d.get(F.RESOURCE_TYPE);
  const resourceId = d.get(F.RESOURCE_ID);
  const principalId = d.get(F.PRINCIPAL_ID);
  let errorType = d.get(F.ERROR_TYPE);
  // OTel: error.type SHOULD be set on errors; fall back to the status so errors are never "ok"
  if (errorType === null && span.status.code === 2) errorType = '_OTHER';
  return {
    convention: d.operationBy,
    conventions: d.conventions,
    operation: d.operation,
    agent: {
      id: d.get(F.AGENT_ID),
      name: d.get(F.AGENT_NAME),
      version: d.get(F.AGENT_VERSION),
      instanceId: d.get(F.AGENT_INSTANCE_ID),
      owner: d.get(F.AGENT_OWNER),
      credentialId: d.get(F.AGENT_CREDENTIAL_ID),
      model: d.get(F.AGENT_MODEL),
      provider: d.get(F.AGENT_PROVIDER),
      service: scalarString(span.resource[ATTR_SERVICE_NAME]),
    },
    principal: {
      id: principalId,
      type: (d.get(F.PRINCIPAL_TYPE) as PrincipalType | null) ?? (principalId !== null ? 'user' : null),
      tenant: d.get(F.PRINCIPAL_TENANT),
      delegation: d.delegation ?? [],
    },
    session: {
      conversationId: d.get(F.SESSION_CONVERSATION_ID),
      sessionId: d.get(F.SESSION_SESSION_ID),
    },
    tool: toolName !== null || toolCallId !== null || d.operation === 'execute_tool'
      ? { name: toolName, callId: toolCallId, type: d.get(F.TOOL_TYPE) }
      : null,
    resource: resourceType !== null || resourceId !== null ? { type: resourceType, id: resourceId } : null,
    kind: (d.get(F.ACTION_KIND) as ActionKind | null) ?? null,
    risk: (d.get(F.ACTION_RISK) as ActionRisk | null) ?? null,
    authorization: d.authorization,
    approval: d.approval,
    errorType,
    toolArgumentsKey: d.toolArgumentsKey,
    consumed: d.consumed,
  };
}
