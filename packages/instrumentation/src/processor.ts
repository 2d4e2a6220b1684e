// Copies the agent identity and principal from the context onto every span when it starts,
// so spans from any instrumentation (HTTP, database, frameworks) inside `withAgent` are attributed.
import { propagation, type Attributes, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_AGENTRAIL_AGENT_ID,
  ATTR_AGENTRAIL_AGENT_NAME,
  ATTR_AGENTRAIL_AGENT_OWNER,
  ATTR_AGENTRAIL_AGENT_VERSION,
  ATTR_AGENTRAIL_DELEGATION_CHAIN,
  ATTR_AGENTRAIL_PRINCIPAL_ID,
  ATTR_AGENTRAIL_PRINCIPAL_TENANT,
  ATTR_AGENTRAIL_PRINCIPAL_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_AGENT_VERSION,
  ATTR_GEN_AI_OPERATION_NAME,
} from '@agentrail/semconv';
import { getAgent, getPrincipal, type AgentIdentity, type Principal } from './identity.js';

/** Baggage keys read when the context carries no identity (e.g. set by an upstream service). */
const BAGGAGE_KEYS = [
  ATTR_AGENTRAIL_AGENT_ID,
  ATTR_AGENTRAIL_AGENT_NAME,
  ATTR_AGENTRAIL_AGENT_VERSION,
  ATTR_AGENTRAIL_AGENT_OWNER,
  ATTR_AGENTRAIL_PRINCIPAL_ID,
  ATTR_AGENTRAIL_PRINCIPAL_TYPE,
  ATTR_AGENTRAIL_PRINCIPAL_TENANT,
] as const;

export interface AgentContextSpanProcessorOptions {
  /**
   * Also read `agentrail.agent.*` / `agentrail.principal.*` baggage entries when the context has no
   * identity (default true). Baggage crosses process boundaries, so it is only as trustworthy as
   * the caller; the audit record marks identity as claimed, not authenticated, either way.
   */
  readBaggage?: boolean;
}

/** Attributes describing `agent`. */
export function agentAttributes(agent: AgentIdentity): Attributes {
  const attrs: Attributes = { [ATTR_AGENTRAIL_AGENT_ID]: agent.id, [ATTR_AGENTRAIL_AGENT_NAME]: agent.name };
  if (agent.version !== undefined) attrs[ATTR_AGENTRAIL_AGENT_VERSION] = agent.version;
  if (agent.owner !== undefined) attrs[ATTR_AGENTRAIL_AGENT_OWNER] = agent.owner;
  return attrs;
}

/** Attributes describing `principal`; the delegation chain is `type:id` strings, original principal first. */
export function principalAttributes(principal: Principal): Attributes {
  const attrs: Attributes = {
    [ATTR_AGENTRAIL_PRINCIPAL_ID]: principal.id,
    [ATTR_AGENTRAIL_PRINCIPAL_TYPE]: principal.type,
  };
  if (principal.tenant !== undefined) attrs[ATTR_AGENTRAIL_PRINCIPAL_TENANT] = principal.tenant;
  if (principal.delegation && principal.delegation.length > 0) {
    attrs[ATTR_AGENTRAIL_DELEGATION_CHAIN] = principal.delegation.map((d) => `${d.type}:${d.id}`);
  }
  return attrs;
}

function baggageAttributes(ctx: Context): Attributes | undefined {
  const bag = propagation.getBaggage(ctx);
  if (!bag) return undefined;
  let attrs: Attributes | undefined;
  for (const key of BAGGAGE_KEYS) {
    const entry = bag.getEntry(key);
    if (entry && entry.value.length > 0) (attrs ??= {})[key] = entry.value;
  }
  return attrs;
}

/** The span's attributes so far, if the SDK span exposes them (sdk-trace-base spans do). */
function existingAttributes(span: Span): Attributes | undefined {
  const attrs = (span as unknown as { attributes?: unknown }).attributes;
  return attrs !== null && typeof attrs === 'object' ? (attrs as Attributes) : undefined;
}

/**
 * A `SpanProcessor` (structurally; add it to your tracer provider's `spanProcessors`) that puts
 * `agentrail.agent.*` and `agentrail.principal.*` on every span started inside `withAgent` /
 * `onBehalfOf`. GenAI spans without their own `gen_ai.agent.*` also get those. Attributes a span
 * already has are never overwritten: an inner framework's more specific claim wins.
 */
export class AgentContextSpanProcessor {
  readonly #readBaggage: boolean;

  constructor(options: AgentContextSpanProcessorOptions = {}) {
    this.#readBaggage = options.readBaggage ?? true;
  }

  onStart(span: Span, parentContext: Context): void {
    const existing = existingAttributes(span);
    // A span that already names its agent or principal keeps that claim whole (no mixing of fields).
    const agentClaimed = existing?.[ATTR_AGENTRAIL_AGENT_ID] !== undefined;
    const principalClaimed = existing?.[ATTR_AGENTRAIL_PRINCIPAL_ID] !== undefined;
    const agent = agentClaimed ? undefined : getAgent(parentContext);
    const principal = principalClaimed ? undefined : getPrincipal(parentContext);
    let attrs: Attributes | undefined;
    if (agent) attrs = agentAttributes(agent);
    if (principal) attrs = { ...attrs, ...principalAttributes(principal) };
    if (this.#readBaggage && (!agent || !principal)) {
      const fromBaggage = baggageAttributes(parentContext);
      if (fromBaggage) {
        for (const [k, v] of Object.entries(fromBaggage)) {
          const isAgentKey = k.startsWith('agentrail.agent.');
          const wanted = isAgentKey ? !agent && !agentClaimed : !principal && !principalClaimed;
          if (wanted) (attrs ??= {})[k] = v;
        }
      }
    }
    if (!attrs) return;
    if (existing?.[ATTR_GEN_AI_OPERATION_NAME] !== undefined && existing[ATTR_GEN_AI_AGENT_ID] === undefined) {
      const id = attrs[ATTR_AGENTRAIL_AGENT_ID];
      if (id !== undefined) {
        attrs[ATTR_GEN_AI_AGENT_ID] = id;
        if (existing[ATTR_GEN_AI_AGENT_NAME] === undefined && attrs[ATTR_AGENTRAIL_AGENT_NAME] !== undefined) {
          attrs[ATTR_GEN_AI_AGENT_NAME] = attrs[ATTR_AGENTRAIL_AGENT_NAME];
        }
        if (existing[ATTR_GEN_AI_AGENT_VERSION] === undefined && attrs[ATTR_AGENTRAIL_AGENT_VERSION] !== undefined) {
          attrs[ATTR_GEN_AI_AGENT_VERSION] = attrs[ATTR_AGENTRAIL_AGENT_VERSION];
        }
      }
    }
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== undefined && existing?.[k] === undefined) span.setAttribute(k, v);
    }
  }

  onEnd(_span: unknown): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
