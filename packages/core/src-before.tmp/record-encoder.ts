// Fast RFC 8785 encoding of records built by toAuditRecord: the record's shape is known, so its
// keys are written in canonical order directly and only `attributes` goes through the generic
// canonicalizer. A test proves the output equal to canonicalize(record) on many records.
import { canonicalize, quote } from './canonical.js';
import type { AuditRecord, PayloadCommitment } from './record.js';

// A non-enumerable mark (invisible to JSON, Object.keys and deepStrictEqual); cheaper for the
// garbage collector than a WeakSet.
const BUILT = Symbol('agentrail.builtRecord');
const TOP_LEVEL_KEYS = 19;

/** Mark a record as built by toAuditRecord (eligible for the fast encoder). */
export function markBuilt(record: AuditRecord): void {
  Object.defineProperty(record, BUILT, { value: true });
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
  return c === null ? 'null' : '{"bytes":' + canonicalize(c.bytes) + ',"commitment":' + quote(c.commitment) + '}';
}

function fast(r: AuditRecord): string {
  const a = r.action;
  const g = r.agent;
  const ap = r.approval;
  const az = r.authorization;
  const p = r.principal;
  const se = r.session;
  let s = '{"action":{"kind":' + os(a.kind) + ',"name":' + quote(a.name) + ',"operation":' + quote(a.operation)
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
  s += ',"flags":' + strings(r.flags) + ',"id":' + quote(r.id) + ',"input":' + commitment(r.input) + ',"kind":' + quote(r.kind);
  s += ',"outcome":{"errorType":' + os(r.outcome.errorType) + ',"status":' + quote(r.outcome.status) + '}';
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
  s += ',"source":{"convention":' + quote(r.source.convention) + ',"conventions":' + strings(r.source.conventions)
    + ',"receivedAt":' + quote(r.source.receivedAt) + ',"via":' + quote(r.source.via) + '}';
  s += ',"time":{"end":' + quote(r.time.end) + ',"start":' + quote(r.time.start) + '}';
  s += ',"trace":{"parentSpanId":' + os(r.trace.parentSpanId) + ',"spanId":' + quote(r.trace.spanId) + ',"traceId":' + quote(r.trace.traceId) + '}';
  s += ',"truncated":' + strings(r.truncated) + ',"v":1}';
  return s;
}

/** Canonical JSON text of a record; the fast path only for unmodified-shape records we built. */
export function recordJson(record: AuditRecord): string {
  if ((record as unknown as Record<symbol, unknown>)[BUILT] === true && Object.keys(record).length === TOP_LEVEL_KEYS) return fast(record);
  return canonicalize(record);
}
