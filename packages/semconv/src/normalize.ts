// normalizeSpan: one documented rule for what counts as an agent action, one precedence for
// which convention wins a field. See README "Precedence" and "Which spans are agent actions".
import { ATTR_AGENTRAIL_AGENT_ID, ATTR_AGENTRAIL_AGENT_NAME, ATTR_AGENTRAIL_AGENT_VERSION } from './attributes/agentrail.js';
import { ATTR_GEN_AI_AGENT_ID, ATTR_GEN_AI_AGENT_NAME, ATTR_GEN_AI_AGENT_VERSION } from './attributes/genai.js';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from './attributes/general.js';
import { ActionDraft, scalarString, type DraftField } from './draft.js';
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
const RESOURCE_FALLBACK: ReadonlyArray<readonly [DraftField, string]> = [
  ['agent.id', ATTR_AGENTRAIL_AGENT_ID],
  ['agent.id', ATTR_GEN_AI_AGENT_ID],
  ['agent.name', ATTR_AGENTRAIL_AGENT_NAME],
  ['agent.name', ATTR_GEN_AI_AGENT_NAME],
  ['agent.version', ATTR_AGENTRAIL_AGENT_VERSION],
  ['agent.version', ATTR_GEN_AI_AGENT_VERSION],
  ['agent.instanceId', ATTR_SERVICE_INSTANCE_ID],
];

function fromResource(d: ActionDraft, resource: Attributes): void {
  for (const [field, key] of RESOURCE_FALLBACK) d.put(field, scalarString(resource[key]));
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

  const f = d.fields;
  const toolName = f['tool.name'];
  const toolCallId = f['tool.callId'];
  const resourceType = f['resource.type'];
  const resourceId = f['resource.id'];
  const principalId = f['principal.id'];
  let errorType = f['error.type'];
  // OTel: error.type SHOULD be set on errors; fall back to the status so errors are never "ok"
  if (errorType === null && span.status.code === 2) errorType = '_OTHER';
  return {
    convention: d.operationBy,
    conventions: d.conventions,
    operation: d.operation,
    agent: {
      id: f['agent.id'],
      name: f['agent.name'],
      version: f['agent.version'],
      instanceId: f['agent.instanceId'],
      owner: f['agent.owner'],
      credentialId: f['agent.credentialId'],
      model: f['agent.model'],
      provider: f['agent.provider'],
      service: scalarString(span.resource[ATTR_SERVICE_NAME]),
    },
    principal: {
      id: principalId,
      type: (f['principal.type'] as PrincipalType | null) ?? (principalId !== null ? 'user' : null),
      tenant: f['principal.tenant'],
      delegation: d.delegation ?? [],
    },
    session: {
      conversationId: f['session.conversationId'],
      sessionId: f['session.sessionId'],
    },
    tool: toolName !== null || toolCallId !== null || d.operation === 'execute_tool'
      ? { name: toolName, callId: toolCallId, type: f['tool.type'] }
      : null,
    resource: resourceType !== null || resourceId !== null ? { type: resourceType, id: resourceId } : null,
    kind: (f['action.kind'] as ActionKind | null) ?? null,
    risk: (f['action.risk'] as ActionRisk | null) ?? null,
    authorization: d.authorization,
    approval: d.approval,
    errorType,
    toolArgumentsKey: d.toolArgumentsKey,
    consumed: d.consumed,
  };
}
