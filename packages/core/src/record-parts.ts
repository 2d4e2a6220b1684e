// Frozen record parts that many records share. Records are deeply frozen, so an immutable part
// can be one object for all of them: fewer objects to allocate and freeze per span.
import type { AgentAction, Convention } from '@agentrail/semconv';
import type { AuthenticatedIdentity } from './identity.js';
import type { AuditRecord, RecordFlag } from './record.js';

/** Flags in the order toAuditRecord adds them; a record's flags are a subset in this order. */
const FLAG_ORDER: readonly RecordFlag[] = [
  'identity_missing', 'identity_unauthenticated', 'identity_mismatch', 'tenant_mismatch', 'approval_missing',
  'approval_mismatch', 'secret_redacted', 'payload_committed', 'attributes_truncated',
];

/** Bit of each flag in a flag set. */
export const FLAG_BIT: Readonly<Record<RecordFlag, number>> = Object.freeze(
  Object.fromEntries(FLAG_ORDER.map((f, i) => [f, 1 << i])) as Record<RecordFlag, number>,
);

const flagLists = new Map<number, string[]>();

/** The frozen flag list of a flag set (bits of FLAG_BIT), in FLAG_ORDER. */
export function flagList(bits: number): string[] {
  let list = flagLists.get(bits);
  if (list === undefined) {
    list = Object.freeze(FLAG_ORDER.filter((f) => (bits & FLAG_BIT[f]) !== 0)) as unknown as string[];
    flagLists.set(bits, list); // at most 2^9 sets
  }
  return list;
}

type Outcome = AuditRecord['outcome'];
const OUTCOMES: Readonly<Record<Outcome['status'], Outcome>> = {
  ok: Object.freeze({ errorType: null, status: 'ok' }),
  error: Object.freeze({ errorType: null, status: 'error' }),
  unset: Object.freeze({ errorType: null, status: 'unset' }),
};

/** The outcome part: shared when there is no error type. */
export function outcomePart(status: Outcome['status'], errorType: string | null): Outcome {
  return errorType === null ? OUTCOMES[status] : Object.freeze({ errorType, status });
}

// Spans of one batch share the sender: reuse the last authenticated part while it still says the
// same (the caller's object is compared field by field, so a changed object is never served stale).
let lastAuthFrom: AuthenticatedIdentity | null = null;
let lastAuth: AuditRecord['agent']['authenticated'] = null;

export function authenticatedPart(a: AuthenticatedIdentity | null): AuditRecord['agent']['authenticated'] {
  if (a === null) return null;
  if (a !== lastAuthFrom || lastAuth === null || lastAuth.id !== a.id || lastAuth.method !== a.method) {
    lastAuth = Object.freeze({ id: a.id, method: a.method });
    lastAuthFrom = a;
  }
  return lastAuth;
}

type Source = AuditRecord['source'];
const conventionLists = new Map<string, string[]>();
let lastSource: Source | null = null;

/** The source part; consecutive records from one front door and batch share it. */
export function sourcePart(convention: Convention, conventions: readonly Convention[], receivedAt: string, via: Source['via']): Source {
  const s = lastSource;
  if (s !== null && s.convention === convention && s.receivedAt === receivedAt && s.via === via && sameList(s.conventions, conventions)) return s;
  const key = conventions.join(',');
  let list = conventionLists.get(key);
  if (list === undefined) {
    list = Object.freeze(conventions.slice()) as unknown as string[];
    // conventions are a subset of the eight known names, in precedence order: at most 2^8 lists
    conventionLists.set(key, list);
  }
  lastSource = Object.freeze({ convention, conventions: list, receivedAt, via });
  return lastSource;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type Agent = AuditRecord['agent'];
type Principal = NonNullable<AuditRecord['principal']>;
type Session = NonNullable<AuditRecord['session']>;
type ActionAgent = AgentAction['agent'];

// Consecutive records mostly come from one agent acting for one principal in one session: the
// last part is reused while every field is equal (parts are frozen, so equal fields stay equal).
let lastAgent: Agent | null = null;

export function agentPart(g: ActionAgent, authenticated: Agent['authenticated'], verified: boolean): Agent {
  const l = lastAgent;
  if (l !== null && l.authenticated === authenticated && l.verified === verified && l.id === g.id && l.name === g.name
    && l.version === g.version && l.instanceId === g.instanceId && l.service === g.service && l.model === g.model
    && l.provider === g.provider && l.owner === g.owner && l.credentialId === g.credentialId) {
    return l;
  }
  // keys in RFC 8785 order
  lastAgent = Object.freeze({
    authenticated, credentialId: g.credentialId, id: g.id, instanceId: g.instanceId, model: g.model, name: g.name,
    owner: g.owner, provider: g.provider, service: g.service, verified, version: g.version,
  });
  return lastAgent;
}

let lastPrincipal: Principal | null = null;

/** The principal part, or null when the span names none. */
export function principalPart(p: AgentAction['principal']): Principal | null {
  if (p.id === null && p.tenant === null && p.delegation.length === 0) return null;
  const l = lastPrincipal;
  if (l !== null && p.delegation.length === 0 && l.delegation.length === 0 && l.id === p.id && l.tenant === p.tenant && l.type === p.type) {
    return l;
  }
  const delegation = p.delegation.length === 0 ? NO_DELEGATION : Object.freeze(p.delegation.map((d) => Object.freeze({ id: d.id, type: d.type })));
  lastPrincipal = Object.freeze({ delegation: delegation as Principal['delegation'], id: p.id, tenant: p.tenant, type: p.type });
  return lastPrincipal;
}

const NO_DELEGATION = Object.freeze([]);
let lastSession: Session | null = null;

/** The session part, or null when the span names none. */
export function sessionPart(s: AgentAction['session']): Session | null {
  if (s.conversationId === null && s.sessionId === null) return null;
  const l = lastSession;
  if (l !== null && l.conversationId === s.conversationId && l.sessionId === s.sessionId) return l;
  lastSession = Object.freeze({ conversationId: s.conversationId, sessionId: s.sessionId });
  return lastSession;
}
