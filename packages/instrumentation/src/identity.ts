// Agent identity and on-behalf-of principal carried in the OpenTelemetry context, so every span
// started inside `withAgent` / `onBehalfOf` (by any instrumentation) can be attributed.
import { context, createContextKey, type Context } from '@opentelemetry/api';
import { InvalidIdentityError } from './errors.js';

export interface AgentIdentity {
  /** Stable id of the agent (e.g. `billing-agent`). */
  id: string;
  /** Human-readable name. */
  name: string;
  version?: string;
  /** Team or person accountable for the agent. */
  owner?: string;
}

export type PrincipalType = 'user' | 'agent' | 'service';

export interface DelegationStep {
  id: string;
  type: PrincipalType;
}

export interface Principal {
  /** Who the agent acts for (user id, service id, or the delegating agent). */
  id: string;
  type: PrincipalType;
  tenant?: string;
  /** Principals the authority passed through, from the original principal to the immediate delegator. */
  delegation?: readonly DelegationStep[];
}

const AGENT_KEY = createContextKey('agentrail.agent');
const PRINCIPAL_KEY = createContextKey('agentrail.principal');
const PRINCIPAL_TYPES: ReadonlySet<string> = new Set(['user', 'agent', 'service']);

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidIdentityError(`${field} must be a non-empty string`);
  }
}

function checkAgent(agent: AgentIdentity): AgentIdentity {
  if (agent === null || typeof agent !== 'object') throw new InvalidIdentityError('agent must be an object');
  requireText(agent.id, 'agent.id');
  requireText(agent.name, 'agent.name');
  if (agent.version !== undefined) requireText(agent.version, 'agent.version');
  if (agent.owner !== undefined) requireText(agent.owner, 'agent.owner');
  // Frozen copy: later mutation by the caller must not change what spans already claim.
  return Object.freeze({ ...agent });
}

function checkPrincipal(principal: Principal): Principal {
  if (principal === null || typeof principal !== 'object') {
    throw new InvalidIdentityError('principal must be an object');
  }
  requireText(principal.id, 'principal.id');
  if (!PRINCIPAL_TYPES.has(principal.type)) {
    throw new InvalidIdentityError(`principal.type must be "user", "agent" or "service", got ${JSON.stringify(principal.type)}`);
  }
  if (principal.tenant !== undefined) requireText(principal.tenant, 'principal.tenant');
  const delegation = principal.delegation?.map((step, i) => {
    requireText(step.id, `principal.delegation[${i}].id`);
    if (!PRINCIPAL_TYPES.has(step.type)) {
      throw new InvalidIdentityError(`principal.delegation[${i}].type must be "user", "agent" or "service"`);
    }
    return Object.freeze({ id: step.id, type: step.type });
  });
  return Object.freeze({ ...principal, ...(delegation ? { delegation: Object.freeze(delegation) } : {}) });
}

/** Returns `ctx` with the agent identity set. */
export function setAgent(ctx: Context, agent: AgentIdentity): Context {
  return ctx.setValue(AGENT_KEY, checkAgent(agent));
}

/** Returns `ctx` with the principal set. */
export function setPrincipal(ctx: Context, principal: Principal): Context {
  return ctx.setValue(PRINCIPAL_KEY, checkPrincipal(principal));
}

/** The agent identity in `ctx` (default: the active context), if any. */
export function getAgent(ctx: Context = context.active()): AgentIdentity | undefined {
  return ctx.getValue(AGENT_KEY) as AgentIdentity | undefined;
}

/** The principal in `ctx` (default: the active context), if any. */
export function getPrincipal(ctx: Context = context.active()): Principal | undefined {
  return ctx.getValue(PRINCIPAL_KEY) as Principal | undefined;
}

/**
 * Runs `fn` with `agent` as the acting agent: every span started inside (sync or async) is
 * attributed to it by `AgentContextSpanProcessor`. Returns what `fn` returns.
 */
export function withAgent<R>(agent: AgentIdentity, fn: () => R): R {
  return context.with(setAgent(context.active(), agent), fn);
}

/** Runs `fn` acting on behalf of `principal`. Nests with `withAgent` in either order. */
export function onBehalfOf<R>(principal: Principal, fn: () => R): R {
  return context.with(setPrincipal(context.active(), principal), fn);
}
