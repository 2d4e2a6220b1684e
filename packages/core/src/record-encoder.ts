// Fast RFC 8785 encoding of records built by toAuditRecord: the record's shape is known, so its
// keys are written in canonical order directly and only `attributes` goes through the generic
// canonicalizer. That is only sound while the record keeps the shape it was built with, so built
// records are sealed: every object and array in them is frozen (attribute values excepted: they
// go through the generic canonicalizer, whatever they hold). Tests prove the output equal to
// canonicalize(record) on many records and that every kind of later change throws.
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
  const a = record.action;
  if (a.tool !== null) Object.freeze(a.tool);
  if (a.resource !== null) Object.freeze(a.resource);
  Object.freeze(a);
  const g = record.agent;
  if (g.authenticated !== null) Object.freeze(g.authenticated);
  Object.freeze(g);
  if (record.approval !== null) Object.freeze(record.approval);
  Object.freeze(record.attributes);
  const az = record.authorization;
  if (az !== null) {
    Object.freeze(az.scopes);
    Object.freeze(az);
  }
  Object.freeze(record.flags);
  freezeCommitment(record.input);
  Object.freeze(record.outcome);
  freezeCommitment(record.output);
  const p = record.principal;
  if (p !== null) {
    for (let i = 0; i < p.delegation.length; i++) Object.freeze(p.delegation[i]);
    Object.freeze(p.delegation);
    Object.freeze(p);
  }
  Object.freeze(record.redacted);
  if (record.session !== null) Object.freeze(record.session);
  Object.freeze(record.source.conventions);
  Object.freeze(record.source);
  Object.freeze(record.time);
  Object.freeze(record.trace);
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

function commitment(c: PayloadCommitment | null): string {
  return c === null ? 'null' : '{"bytes":' + canonicalize(c.bytes) + ',"commitment":"' + c.commitment + '"}';
}

/** Ours: trusted; the built-in conventions' names need no escaping. */
function plainStrings(xs: readonly string[]): string {
  if (xs.length === 0) return '[]';
  let s = '["' + xs[0]!;
  for (let i = 1; i < xs.length; i++) s += '","' + xs[i]!;
  return s + '"]';
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
  let s = '{"action":{"kind":' + os(a.kind) + ',"name":' + quote(a.name) + ',"operation":"' + a.operation + '"'
    + ',"resource":' + (a.resource === null ? 'null' : '{"id":' + os(a.resource.id) + ',"type":' + os(a.resource.type) + '}')
    + ',"risk":' + os(a.risk)
    + ',"tool":' + (a.tool === null ? 'null' : '{"callId":' + os(a.tool.callId) + ',"name":' + os(a.tool.name) + ',"type":' + os(a.tool.type) + '}')
    + '}';
  s += ',"agent":{"authenticated":' + (g.authenticated === null ? 'null' : '{"id":' + quote(g.authenticated.id) + ',"method":' + quote(g.authenticated.method) + '}')
    + ',"credentialId":' + os(g.credentialId) + ',"id":' + os(g.id) + ',"instanceId":' + os(g.instanceId)
    + ',"model":' + os(g.model) + ',"name":' + os(g.name) + ',"owner":' + os(g.owner) + ',"provider":' + os(g.provider)
    + ',"service":' + os(g.service) + ',"verified":' + (g.verified ? 'true' : 'false') + ',"version":' + os(g.version) + '}';
  s += ',"approval":' + (ap === null ? 'null' : '{"approvalId":' + os(ap.approvalId) + ',"approverId":' + os(ap.approverId)
    + ',"argsCommitment":' + os(ap.argsCommitment) + ',"status":' + quote(ap.status) + ',"time":' + os(ap.time) + '}');
  s += ',"attributes":' + canonicalize(r.attributes);
  s += ',"authorization":' + (az === null ? 'null' : '{"decision":' + quote(az.decision) + ',"policyId":' + os(az.policyId)
    + ',"policyVersion":' + os(az.policyVersion) + ',"reason":' + os(az.reason) + ',"scopes":' + strings(az.scopes) + '}');
  s += ',"flags":' + strings(r.flags) + ',"id":"' + r.id + '","input":' + commitment(r.input) + ',"kind":"agent.action"';
  s += ',"outcome":{"errorType":' + os(r.outcome.errorType) + ',"status":"' + r.outcome.status + '"}';
  s += ',"output":' + commitment(r.output);
  if (p === null) s += ',"principal":null';
  else {
    s += ',"principal":{"delegation":[';
    for (let i = 0; i < p.delegation.length; i++) {
      const d = p.delegation[i]!;
      s += (i > 0 ? ',' : '') + '{"id":' + quote(d.id) + ',"type":' + quote(d.type) + '}';
    }
    s += '],"id":' + os(p.id) + ',"tenant":' + os(p.tenant) + ',"type":' + os(p.type) + '}';
  }
  s += ',"redacted":' + strings(r.redacted);
  s += ',"session":' + (se === null ? 'null' : '{"conversationId":' + os(se.conversationId) + ',"sessionId":' + os(se.sessionId) + '}');
  s += ',"source":{"convention":"' + r.source.convention + '","conventions":' + plainStrings(r.source.conventions)
    + ',"receivedAt":' + quote(r.source.receivedAt) + ',"via":' + quote(r.source.via) + '}';
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
