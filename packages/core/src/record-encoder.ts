// Fast RFC 8785 encoding of records built by toAuditRecord: the record's shape is known, so its
// keys are written in canonical order directly and only `attributes` goes through the generic
// canonicalizer. That is only sound while the record keeps the shape it was built with, so built
// records are sealed: every object and array in them is frozen (attribute values excepted: they
// go through the generic canonicalizer, whatever they hold). Tests prove the output equal to
// canonicalize(record) on many records and that every kind of later change throws. Because the
// parts are frozen, the JSON of parts that repeat between consecutive records (agent, principal,
// session, source, flags, outcome) is remembered and reused.
import { canonicalize, quote } from './canonical.js';
import type { AuditRecord, PayloadCommitment } from './record.js';

// Built records carry a private class field as their mark, stamped on through a base constructor
// that returns the object it is given. Unlike a property it is invisible to JSON, Object.keys,
// Reflect.ownKeys and deepStrictEqual, is not inherited (Object.create) nor copied (spread,
// structuredClone), and costs about nothing to add or test (defineProperty cost ~1/10 of a span).
class Stamp {
  constructor(target: object) {
    return target;
  }
}

class BuiltRecord extends Stamp {
  #built = true;

  static stamp(record: AuditRecord): void {
    new BuiltRecord(record);
  }

  static is(value: object): boolean {
    return #built in value;
  }
}

function freezeCommitment(c: PayloadCommitment | null): void {
  if (c !== null) Object.freeze(c);
}

/**
 * Freeze a record built by toAuditRecord, deeply, and mark it for the fast encoder. After this a
 * change to the record throws (strict mode) or is ignored, so its bytes stay canonicalize(record).
 */
export function sealRecord(record: AuditRecord): void {
  // agent, principal, session, flags, outcome and source are shared parts, frozen when made
  // (record-parts.ts); freezing them again would be a no-op.
  const a = record.action;
  if (a.tool !== null) Object.freeze(a.tool);
  if (a.resource !== null) Object.freeze(a.resource);
  Object.freeze(a);
  if (record.approval !== null) Object.freeze(record.approval);
  Object.freeze(record.attributes);
  const az = record.authorization;
  if (az !== null) {
    Object.freeze(az.scopes);
    Object.freeze(az);
  }
  freezeCommitment(record.input);
  freezeCommitment(record.output);
  Object.freeze(record.time);
  Object.freeze(record.trace);
  // redacted and truncated are either the shared empty list or fresh
  Object.freeze(record.redacted);
  if (record.redactions !== undefined) Object.freeze(record.redactions);
  Object.freeze(record.truncated);
  BuiltRecord.stamp(record);
  Object.freeze(record);
}

function os(v: string | null): string {
  return v === null ? 'null' : quote(v);
}

function strings(xs: readonly string[]): string {
  if (xs.length === 0) return '[]';
  let s = '[' + quote(xs[0]!);
  for (let i = 1; i < xs.length; i++) s += ',' + quote(xs[i]!);
  return s + ']';
}

function countsJson(c: Record<string, number>): string {
  let s = '';
  for (const id in c) s += (s === '' ? '{' : ',') + quote(id) + ':' + String(c[id]);
  return s === '' ? '{}' : s + '}';
}

function commitment(c: PayloadCommitment | null): string {
  // bytes is a count of bytes: a non-negative integer, whose JSON is its decimal digits
  return c === null ? 'null' : '{"bytes":' + String(c.bytes) + ',"commitment":"' + c.commitment + '"}';
}

/** Ours: trusted; the built-in conventions' names need no escaping. */
function plainStrings(xs: readonly string[]): string {
  if (xs.length === 0) return '[]';
  let s = '["' + xs[0]!;
  for (let i = 1; i < xs.length; i++) s += '","' + xs[i]!;
  return s + '"]';
}

type Agent = AuditRecord['agent'];

/**
 * The same text as one flat string. A remembered part is reused in many leaves; kept as the
 * rope of pieces it was built from, every leaf would walk that rope again when its text is
 * flattened for writing. (Slicing flattens the rope once and keeps a view of the flat copy.)
 */
function flat(text: string): string {
  return (' ' + text).slice(1);
}

function agentJsonOf(g: Agent): string {
  return '{"authenticated":' + (g.authenticated === null ? 'null' : '{"id":' + quote(g.authenticated.id) + ',"method":' + quote(g.authenticated.method) + '}')
    + ',"credentialId":' + os(g.credentialId) + ',"id":' + os(g.id) + ',"instanceId":' + os(g.instanceId)
    + ',"model":' + os(g.model) + ',"name":' + os(g.name) + ',"owner":' + os(g.owner) + ',"provider":' + os(g.provider)
    + ',"service":' + os(g.service) + ',"verified":' + (g.verified ? 'true' : 'false') + ',"version":' + os(g.version) + '}';
}

// Consecutive records mostly come from one agent, with the same agent block, and share the
// frozen source, outcome and flag parts (record-parts.ts). Their JSON is remembered, so a batch
// builds it once and later leaves reuse one already flat string: building and flattening the
// leaf's text is a large part of its cost. Every part compared here is frozen, so the same object
// means the same JSON.
let lastAgent: Agent | null = null;
let lastAgentJson = '';

// agentPart (record-parts.ts) already hands consecutive equal agents the same frozen object, so
// comparing the object is enough here (as for principal, session and source below).
function agentJson(g: Agent): string {
  if (g === lastAgent) return lastAgentJson;
  lastAgentJson = flat(agentJsonOf(g));
  lastAgent = g;
  return lastAgentJson;
}

// Flag lists and error-free outcomes are a bounded set of singletons: remember each one's JSON.
const sharedJsonCache = new WeakMap<object, string>();

/** JSON of a shared frozen part, made once per part. */
function sharedJson<T extends object>(part: T, encode: (part: T) => string): string {
  let json = sharedJsonCache.get(part);
  if (json === undefined) {
    json = flat(encode(part));
    sharedJsonCache.set(part, json);
  }
  return json;
}

function outcomeJson(o: AuditRecord['outcome']): string {
  return '{"errorType":' + os(o.errorType) + ',"status":"' + o.status + '"}';
}

type Action = AuditRecord['action'];

// The action's fields before `tool` (kind, name, operation, resource, risk) repeat for calls of
// one tool; the tool call id does not, so it is written each time. A resource id that changes
// from call to call makes every head new: a head is flattened only once it is reused.
let lastAction: Action | null = null;
let lastActionHead = '';
let lastActionHeadFlat = false;

function actionHead(a: Action): string {
  const l = lastAction;
  if (l !== null && l.kind === a.kind && l.name === a.name && l.operation === a.operation && l.risk === a.risk
    && (l.resource === a.resource || (l.resource !== null && a.resource !== null && l.resource.id === a.resource.id && l.resource.type === a.resource.type))) {
    if (!lastActionHeadFlat) {
      lastActionHead = flat(lastActionHead);
      lastActionHeadFlat = true;
    }
    return lastActionHead;
  }
  lastActionHead = '{"kind":' + os(a.kind) + ',"name":' + quote(a.name) + ',"operation":"' + a.operation + '"'
    + ',"resource":' + (a.resource === null ? 'null' : '{"id":' + os(a.resource.id) + ',"type":' + os(a.resource.type) + '}')
    + ',"risk":' + os(a.risk);
  lastActionHeadFlat = false;
  lastAction = a;
  return lastActionHead;
}

// Remaining attributes often repeat too (server address, status code). The attributes object is
// frozen, but values inside it are the span's own and may change: only an object whose values
// are all strings, finite numbers, booleans or null is compared with the last one.
let lastAttributes: Readonly<Record<string, unknown>> | null = null;
let lastAttributeKeys: readonly string[] = [];
let lastAttributesJson = '';

function attributesJson(attrs: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(attrs);
  const l = lastAttributes;
  if (l !== null && keys.length === lastAttributeKeys.length) {
    let same = true;
    for (let i = 0; i < keys.length && same; i++) {
      const k = keys[i]!;
      same = k === lastAttributeKeys[i] && attrs[k] === l[k];
    }
    if (same) return lastAttributesJson;
  }
  const json = canonicalize(attrs);
  lastAttributes = null;
  for (const k of keys) {
    const v = attrs[k];
    if (v !== null && typeof v === 'object') return json;
  }
  lastAttributes = attrs;
  lastAttributeKeys = keys;
  lastAttributesJson = flat(json);
  return lastAttributesJson;
}

type Principal = NonNullable<AuditRecord['principal']>;
type Session = NonNullable<AuditRecord['session']>;

// The principal and the session, like the agent, usually repeat from one record to the next.
let lastPrincipal: Principal | null = null;
let lastPrincipalJson = '';

function principalJson(p: Principal): string {
  if (p === lastPrincipal) return lastPrincipalJson;
  let s = '{"delegation":[';
  for (let i = 0; i < p.delegation.length; i++) {
    const d = p.delegation[i]!;
    s += (i > 0 ? ',' : '') + '{"id":' + quote(d.id) + ',"type":' + quote(d.type) + '}';
  }
  lastPrincipalJson = flat(s + '],"id":' + os(p.id) + ',"tenant":' + os(p.tenant) + ',"type":' + os(p.type) + '}');
  lastPrincipal = p;
  return lastPrincipalJson;
}

let lastSession: Session | null = null;
let lastSessionJson = '';

function sessionJson(se: Session): string {
  if (se === lastSession) return lastSessionJson;
  lastSessionJson = flat('{"conversationId":' + os(se.conversationId) + ',"sessionId":' + os(se.sessionId) + '}');
  lastSession = se;
  return lastSessionJson;
}

// A source part is shared by consecutive records only (it carries receivedAt): remember the last.
let lastSource: AuditRecord['source'] | null = null;
let lastSourceJson = '';

function sourceJson(src: AuditRecord['source']): string {
  if (src === lastSource) return lastSourceJson;
  lastSourceJson = flat(sourceJsonOf(src));
  lastSource = src;
  return lastSourceJson;
}

function sourceJsonOf(src: AuditRecord['source']): string {
  return '{"convention":"' + src.convention + '","conventions":' + plainStrings(src.conventions)
    + ',"receivedAt":' + quote(src.receivedAt) + ',"via":' + quote(src.via) + '}';
}

// Values this package produced itself and checked (hex ids, our time format, commitments, the
// enumerated operation, status, kind and convention names) are written without escaping.
function fast(r: AuditRecord): string {
  const a = r.action;
  const g = r.agent;
  const ap = r.approval;
  const az = r.authorization;
  const p = r.principal;
  const se = r.session;
  let s = '{"action":' + actionHead(a)
    + ',"tool":' + (a.tool === null ? 'null' : '{"callId":' + os(a.tool.callId) + ',"name":' + os(a.tool.name) + ',"type":' + os(a.tool.type) + '}')
    + '}';
  s += ',"agent":' + agentJson(g);
  s += ',"approval":' + (ap === null ? 'null' : '{"approvalId":' + os(ap.approvalId) + ',"approverId":' + os(ap.approverId)
    + ',"argsCommitment":' + os(ap.argsCommitment) + ',"status":' + quote(ap.status) + ',"time":' + os(ap.time) + '}');
  s += ',"attributes":' + attributesJson(r.attributes);
  s += ',"authorization":' + (az === null ? 'null' : '{"decision":' + quote(az.decision) + ',"policyId":' + os(az.policyId)
    + ',"policyVersion":' + os(az.policyVersion) + ',"reason":' + os(az.reason) + ',"scopes":' + strings(az.scopes) + '}');
  s += ',"flags":' + sharedJson(r.flags, strings) + ',"id":"' + r.id + '","input":' + commitment(r.input) + ',"kind":"agent.action"';
  // an outcome with an error type is the record's own; the others are shared
  s += ',"outcome":' + (r.outcome.errorType === null ? sharedJson(r.outcome, outcomeJson) : outcomeJson(r.outcome));
  s += ',"output":' + commitment(r.output);
  s += ',"principal":' + (p === null ? 'null' : principalJson(p));
  s += ',"redacted":' + strings(r.redacted);
  // rule ids are ours or checked names ([A-Za-z0-9_.-]); the counts are sorted by id when made
  if (r.redactions !== undefined) s += ',"redactions":' + countsJson(r.redactions);
  s += ',"session":' + (se === null ? 'null' : sessionJson(se));
  s += ',"source":' + sourceJson(r.source);
  s += ',"time":{"end":"' + r.time.end + '","start":"' + r.time.start + '"}';
  s += ',"trace":{"parentSpanId":' + (r.trace.parentSpanId === null ? 'null' : '"' + r.trace.parentSpanId + '"') + ',"spanId":"' + r.trace.spanId + '","traceId":"' + r.trace.traceId + '"}';
  s += ',"truncated":' + strings(r.truncated) + ',"v":1}';
  return s;
}

/** Canonical JSON text of a record; the fast path only for sealed records we built. */
export function recordJson(record: AuditRecord): string {
  if (typeof record === 'object' && record !== null && BuiltRecord.is(record)) return fast(record);
  return canonicalize(record);
}
