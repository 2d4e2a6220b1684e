// Span → AuditRecord: normalize (semconv adapters), redact, commit payloads, bind identity, flag.
import {
  ATTR_AGENTRAIL_AGENT_ID, ATTR_AGENTRAIL_AGENT_NAME, ATTR_AGENTRAIL_AGENT_VERSION, ATTR_GEN_AI_AGENT_ID, ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_AGENT_VERSION, ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME, normalizeSpan, payloadRole, type AttributeValue,
  type PayloadRole,
} from '@agentrail/semconv';
import { canonicalize } from './canonical.js';
import { argumentsDigest, commitWithFreshSalt, randomHexFromPool } from './commitment.js';
import { sealRecord } from './record-encoder.js';
import { agentPart, authenticatedPart, FLAG_BIT, flagList, outcomePart, principalPart, sessionPart, sourcePart } from './record-parts.js';
import { InvalidSpanError } from './errors.js';
import { mayActAs, type AuthenticatedIdentity } from './identity.js';
import type { AuditRecord, PayloadCommitment } from './record.js';
import { createRedactor, isPureRedactor, REDACTED, RULE_CREDENTIAL_NAME, uniqueKey, type RedactionCounts, type RedactionOptions, type Redactor } from './redaction.js';
import type { NeutralSpan } from './span.js';
import { nowRfc3339, rfc3339Nano } from './time.js';

export interface RecordContext {
  via: 'exporter' | 'collector';
  /** Who the sender proved to be; null or absent when the front door has no proof. */
  authenticated?: AuthenticatedIdentity | null;
  /** RFC 3339 time the front door received the span; defaults to now. */
  receivedAt?: string;
}

export interface RecordOptions {
  /** Compiled redactor or options for one; default: built-in rules on. */
  redaction?: Redactor | RedactionOptions;
  /** Longer string attribute values are cut to this many UTF-16 units (after redaction) and flagged. Default 4096. */
  maxAttributeLength?: number;
  /** Longer attribute names are cut to this many UTF-16 units (after redaction) and flagged. Default 256. */
  maxAttributeKeyLength?: number;
  /** Attributes kept per record (payloads not counted); the rest are dropped and flagged. Default 256. */
  maxAttributes?: number;
  /** Flag high-risk actions that were allowed to run without an approval (`approval_missing`). Default true. */
  flagUnapprovedHighRisk?: boolean;
  /** Default true. False: salts are dropped at once and `evidence` is null (no retention). */
  keepEvidence?: boolean;
}

/** Salt and payload behind one commitment; kept only in the evidence store. */
export interface EvidenceItem {
  field: 'input' | 'output';
  commitment: string;
  /** hex */
  salt: string;
  /** The committed payload text (UTF-8 bytes of it were hashed). */
  payload: string;
}

export interface RecordEvidence {
  recordId: string;
  items: EvidenceItem[];
}

export interface RecordResult {
  record: AuditRecord;
  /** null when the span carried no payload */
  evidence: RecordEvidence | null;
}

// Records are frozen: the usual empty lists can be one shared frozen array.
const NONE = Object.freeze([]) as unknown as string[];
const DEFAULT_MAX_LENGTH = 4096;
const DEFAULT_MAX_KEY_LENGTH = 256;
const DEFAULT_MAX_ATTRIBUTES = 256;
/** Entry of `truncated` when attributes beyond maxAttributes were dropped. */
export const DROPPED_ATTRIBUTES = '(attributes beyond the limit)';
// Resource attributes the record uses (service, agent identity): copied, bounded and redacted.
// One lookup site per name: a loop over a name list would share one megamorphic lookup site.
function resourceView(r: Record<string, AttributeValue>, redactor: Redactor, max: number, state: { truncated: boolean }, counts: RedactionCounts, redacted: string[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  const clean = (key: string, v: AttributeValue): AttributeValue => {
    const c = redactor.redactValue(v, counts);
    if (!Object.is(c, v)) redacted.push(`resource.${key}`);
    return bound(c, max, state);
  };
  let v = r[ATTR_SERVICE_NAME];
  if (v !== undefined) out[ATTR_SERVICE_NAME] = clean(ATTR_SERVICE_NAME, v);
  v = r[ATTR_SERVICE_INSTANCE_ID];
  if (v !== undefined) out[ATTR_SERVICE_INSTANCE_ID] = clean(ATTR_SERVICE_INSTANCE_ID, v);
  v = r[ATTR_AGENTRAIL_AGENT_ID];
  if (v !== undefined) out[ATTR_AGENTRAIL_AGENT_ID] = clean(ATTR_AGENTRAIL_AGENT_ID, v);
  v = r[ATTR_AGENTRAIL_AGENT_NAME];
  if (v !== undefined) out[ATTR_AGENTRAIL_AGENT_NAME] = clean(ATTR_AGENTRAIL_AGENT_NAME, v);
  v = r[ATTR_AGENTRAIL_AGENT_VERSION];
  if (v !== undefined) out[ATTR_AGENTRAIL_AGENT_VERSION] = clean(ATTR_AGENTRAIL_AGENT_VERSION, v);
  v = r[ATTR_GEN_AI_AGENT_ID];
  if (v !== undefined) out[ATTR_GEN_AI_AGENT_ID] = clean(ATTR_GEN_AI_AGENT_ID, v);
  v = r[ATTR_GEN_AI_AGENT_NAME];
  if (v !== undefined) out[ATTR_GEN_AI_AGENT_NAME] = clean(ATTR_GEN_AI_AGENT_NAME, v);
  v = r[ATTR_GEN_AI_AGENT_VERSION];
  if (v !== undefined) out[ATTR_GEN_AI_AGENT_VERSION] = clean(ATTR_GEN_AI_AGENT_VERSION, v);
  return out;
}

let defaultRedactor: Redactor | undefined;

function resolveRedactor(r: Redactor | RedactionOptions | undefined): Redactor {
  if (r === undefined) return (defaultRedactor ??= createRedactor());
  if ('redactValue' in r && typeof r.redactValue === 'function') return r;
  return createRedactor(r as RedactionOptions);
}

// Per ASCII code: 1 for '0', 3 for the other lowercase hex digits, 0 otherwise.
const HEX_DIGIT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (ch === '0') HEX_DIGIT[c] = 1;
  else if ((ch >= '1' && ch <= '9') || (ch >= 'a' && ch <= 'f')) HEX_DIGIT[c] = 3;
}

/**
 * Whether `s` is `length` lowercase hex digits, not all zero. Branch-free over the characters
 * (a table lookup, and-ed and or-ed): random hex defeats the branch predictor of a per-character
 * range test, which cost about three times as much.
 */
function isHexId(s: unknown, length: number): boolean {
  if (typeof s !== 'string' || s.length !== length) return false;
  let all = 3;
  let any = 0;
  let bits = 0;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    const t = HEX_DIGIT[c & 0x7f]!;
    all &= t;
    any |= t;
    bits |= c;
  }
  // every character a hex digit (and ASCII: the table saw only the low seven bits), one not '0'
  return all !== 0 && any === 3 && bits < 0x80;
}

// Consecutive spans mostly carry the same attribute names in the same order. For such a list,
// the payload role of each name and whether the redactor denies it (a map lookup each) are
// worked out once and reused while the list and the redactor repeat.
interface KeyPlan {
  keys: readonly string[];
  roles: readonly (PayloadRole | null)[];
  /** Set only for a pure redactor (isPureRedactor): its denies() answers are remembered. */
  denies: ((key: string) => boolean) | null;
  /** With `denies`: the redactString whose answers lastOut remembers. */
  redactString: ((value: string) => string) | null;
  denied: readonly boolean[];
  /** With a pure redactor: the last string value at each position and what it redacted to. */
  lastIn: (string | undefined)[];
  lastOut: (string | undefined)[];
  /** With a pure redactor: each name as stored (redacted, cut; null past maxAttributes) and what redacting it removed. */
  outKeys: readonly (string | null)[] | null;
  keyCounts: RedactionCounts | null;
  keyTruncated: readonly string[];
  maxKeyLength: number;
  maxAttributes: number;
}

let lastPlan: KeyPlan = { keys: [], roles: [], denies: null, redactString: null, denied: [], lastIn: [], lastOut: [], outKeys: null, keyCounts: null, keyTruncated: [], maxKeyLength: 0, maxAttributes: 0 };

interface StoredKeys {
  outKeys: (string | null)[];
  counts: RedactionCounts | null;
  truncated: string[];
}

// The names attributes are stored under: redacted first, then cut; past maxAttributes none.
function storedKeys(keys: readonly string[], roles: readonly (PayloadRole | null)[], redactor: Redactor, maxKeyLength: number, maxAttributes: number): StoredKeys {
  const outKeys: (string | null)[] = new Array<string | null>(keys.length);
  const taken: Record<string, true> = Object.create(null) as Record<string, true>;
  const counts: RedactionCounts = {};
  const truncated: string[] = [];
  let kept = 0;
  let any = false;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (roles[k] !== null) {
      outKeys[k] = key;
      continue;
    }
    if (kept >= maxAttributes) {
      outKeys[k] = null;
      continue;
    }
    kept++;
    let out = redactor.redactString(key, counts);
    if (out.length > maxKeyLength) {
      let end = maxKeyLength;
      const c = out.charCodeAt(end - 1);
      if (c >= 0xd800 && c <= 0xdbff) end--;
      out = out.slice(0, end);
      truncated.push(out);
    }
    if (out !== key) {
      any = true;
      out = uniqueKey(taken, out);
    }
    taken[out] = true;
    outKeys[k] = out;
  }
  if (kept < keys.length - roles.filter((r) => r !== null).length) truncated.push(DROPPED_ATTRIBUTES);
  return { outKeys, counts: Object.keys(counts).length > 0 ? counts : null, truncated: any || truncated.length > 0 ? truncated : [] };
}

function keyPlan(keys: readonly string[], redactor: Redactor, maxKeyLength: number, maxAttributes: number): KeyPlan {
  const l = lastPlan;
  // A remembered plan serves only the redactor it was made with: a caller's redactor may pair
  // the built-in denies with its own redactString.
  if (keys.length === l.keys.length && l.maxKeyLength === maxKeyLength && l.maxAttributes === maxAttributes && (l.denies === null || (l.denies === redactor.denies && l.redactString === redactor.redactString))) {
    let same = true;
    for (let i = 0; i < keys.length && same; i++) same = keys[i] === l.keys[i];
    if (same) {
      if (l.denies !== null || !isPureRedactor(redactor)) return l;
      // same names, now with a redactor whose answers can be remembered
    }
  }
  const roles = keys.map((k) => payloadRole(k));
  const pure = isPureRedactor(redactor);
  const denied = pure ? keys.map((k, i) => roles[i] === null && redactor.denies(k)) : [];
  const stored = pure ? storedKeys(keys, roles, redactor, maxKeyLength, maxAttributes) : null;
  lastPlan = {
    keys, roles, denies: pure ? redactor.denies : null, redactString: pure ? redactor.redactString : null, denied,
    lastIn: new Array<string | undefined>(keys.length), lastOut: new Array<string | undefined>(keys.length),
    outKeys: stored?.outKeys ?? null, keyCounts: stored?.counts ?? null, keyTruncated: stored?.truncated ?? [], maxKeyLength, maxAttributes,
  };
  return lastPlan;
}

function checkIds(span: NeutralSpan): void {
  if (!isHexId(span.traceId, 32)) {
    throw new InvalidSpanError(`Invalid trace id ${JSON.stringify(span.traceId)}: expected 32 lowercase hex digits, not all zero.`);
  }
  if (!isHexId(span.spanId, 16)) {
    throw new InvalidSpanError(`Invalid span id ${JSON.stringify(span.spanId)}: expected 16 lowercase hex digits, not all zero.`);
  }
  // an all-zero parent is malformed but harmless (some senders use it for "none"): kept as before
  if (span.parentSpanId !== null && !(isHexId(span.parentSpanId, 16) || span.parentSpanId === '0000000000000000')) {
    throw new InvalidSpanError(`Invalid parent span id ${JSON.stringify(span.parentSpanId)}: expected 16 lowercase hex digits.`);
  }
  if (typeof span.startTimeUnixNano !== 'bigint' || typeof span.endTimeUnixNano !== 'bigint') {
    throw new InvalidSpanError('Span times must be bigint nanoseconds since the Unix epoch.');
  }
}

/** Cut over-long strings and make non-finite numbers strings, so every value has a JSON form. */
function bound(v: AttributeValue, max: number, state: { truncated: boolean }): AttributeValue {
  if (typeof v === 'string') {
    if (v.length <= max) return v;
    state.truncated = true;
    let end = max;
    const c = v.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--; // keep surrogate pairs whole
    return v.slice(0, end);
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  // a decoder may hand over int64 values as bigint: keep them exact, as decimal strings
  if (typeof v === 'bigint') return String(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: AttributeValue[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const b = bound(v[i]!, max, state);
      if (b !== v[i]) (out ??= v.slice())[i] = b;
    }
    return out ?? v;
  }
  let out: Record<string, AttributeValue> | null = null;
  for (const k in v) {
    const b = bound(v[k]!, max, state);
    if (b !== v[k]) (out ??= { ...v })[k] = b;
  }
  return out ?? v;
}

function sortedCounts(c: RedactionCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of Object.keys(c).sort()) out[id] = c[id]!;
  return out;
}

function payloadText(v: AttributeValue): string {
  // non-string payloads: their canonical JSON, with non-finite numbers and bigints as strings
  return typeof v === 'string' ? v : canonicalize(bound(v, Number.POSITIVE_INFINITY, { truncated: false }));
}

// Payloads are committed to, and kept as evidence, with their secrets removed: neither the
// evidence store nor anyone holding a salt learns them.
function commit(field: 'input' | 'output', keys: string[], attrs: Record<string, AttributeValue>, items: EvidenceItem[] | null, redactor: Redactor, counts: RedactionCounts, redacted: string[]): PayloadCommitment | null {
  if (keys.length === 0) return null;
  let text: string;
  if (keys.length === 1) {
    text = payloadText(attrs[keys[0]!]!);
  } else {
    // several payload attributes (e.g. two conventions): commit to all of them at once
    const obj: Record<string, AttributeValue> = {};
    for (const k of keys) obj[k] = attrs[k]!;
    text = payloadText(obj);
  }
  const clean = redactor.redactString(text, counts);
  if (clean !== text) {
    for (const k of keys) redacted.push(k);
    text = clean;
  }
  const { committed, salt } = commitWithFreshSalt(text, items !== null);
  if (items !== null) items.push({ field, commitment: committed.commitment, salt: salt!, payload: text });
  return committed;
}

/**
 * Map one span to an audit record, or null when the span is not an agent action. The record is
 * deeply frozen (values inside `attributes` excepted), so it stays the leaf it encodes to.
 * Throws InvalidSpanError for malformed ids or times.
 */
export function toAuditRecord(span: NeutralSpan, ctx: RecordContext, options: RecordOptions = {}): RecordResult | null {
  checkIds(span);
  const redactor = resolveRedactor(options.redaction);
  const max = options.maxAttributeLength ?? DEFAULT_MAX_LENGTH;
  const maxKeyLength = options.maxAttributeKeyLength ?? DEFAULT_MAX_KEY_LENGTH;
  const maxAttributes = options.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES;
  const redacted: string[] = [];
  const truncated: string[] = [];
  const inputKeys: string[] = [];
  const outputKeys: string[] = [];
  const state = { truncated: false };
  // removals by rule id; most spans have none, so the object is made on the first one
  let counts: RedactionCounts | null = null;
  const scratch: RedactionCounts = {};
  const take = (): void => {
    for (const id in scratch) {
      counts ??= {};
      counts[id] = (counts[id] ?? 0) + scratch[id]!;
      delete scratch[id];
    }
  };

  // 1. One pass over attributes: payloads aside (raw), everything else redacted, then bounded
  // (a secret that straddles the cut is found whole). Names are redacted and bounded too.
  // The span's own object serves as the view until a value changes (copy on first write).
  const src = span.attributes;
  let view: Record<string, AttributeValue> = src;
  const keys = Object.keys(src);
  // payload roles by position, so step 6 needs no search for them
  const plan = keyPlan(keys, redactor, maxKeyLength, maxAttributes);
  const roles = plan.roles;
  let outKeys: readonly (string | null)[] | null = plan.outKeys;
  if (outKeys === null) {
    const stored = storedKeys(keys, roles, redactor, maxKeyLength, maxAttributes);
    outKeys = stored.outKeys;
    if (stored.counts !== null) Object.assign(scratch, stored.counts);
    for (const t of stored.truncated) truncated.push(t);
  } else {
    if (plan.keyCounts !== null) Object.assign(scratch, plan.keyCounts);
    for (const t of plan.keyTruncated) truncated.push(t);
  }
  take();
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const raw = src[key]!;
    const role = roles[k]!;
    if (role !== null) {
      (role === 'input' ? inputKeys : outputKeys).push(key);
      continue;
    }
    const outKey = outKeys[k]!;
    if (outKey === null) {
      // past maxAttributes: neither stored nor read by the conventions
      if (view === src) view = { ...src };
      delete view[key];
      continue;
    }
    if (outKey !== key) redacted.push(outKey);
    let v: AttributeValue = raw;
    const deny = raw !== '' && raw !== REDACTED && raw !== null && typeof raw !== 'number' && typeof raw !== 'boolean' && (plan.denies !== null ? plan.denied[k] : redactor.denies(key));
    if (deny) {
      v = REDACTED;
      if (outKey === key) redacted.push(outKey);
      const rule = redactor.denyRule?.(key) ?? RULE_CREDENTIAL_NAME;
      counts ??= {};
      counts[rule] = (counts[rule] ?? 0) + 1;
    } else if (plan.denies !== null && typeof v === 'string') {
      // Values repeat at the same position from span to span: with a pure redactor, a string
      // equal to the last one there redacts the same way, without running the pre-filter again.
      let r: string;
      if (v === plan.lastIn[k] && plan.lastOut[k] === v) r = v;
      else {
        r = redactor.redactString(v, scratch);
        plan.lastIn[k] = v;
        plan.lastOut[k] = r;
      }
      if (r !== v) {
        if (outKey === key) redacted.push(outKey);
        take();
      }
      v = r;
    } else {
      const r = redactor.redactValue(v, scratch);
      if (!Object.is(r, v)) {
        if (outKey === key) redacted.push(outKey);
        take();
      }
      v = r;
    }
    state.truncated = false;
    v = bound(v, max, state);
    if (state.truncated) truncated.push(outKey);
    if (v !== raw) {
      if (view === src) view = { ...src };
      view[key] = v;
    }
  }
  const resource = resourceView(span.resource, redactor, max, state, scratch, redacted);
  take();
  const name = redactor.redactString(span.name, scratch);
  if (name !== span.name) {
    redacted.push('span.name');
    take();
  }

  // 2. Conventions → one AgentAction.
  const action = normalizeSpan({ name, kind: span.kind, attributes: view, resource, status: span.status });
  if (action === null) return null;

  // 3. Commitments.
  const items: EvidenceItem[] | null = options.keepEvidence === false ? null : [];
  const input = commit('input', inputKeys, src, items, redactor, scratch, redacted);
  const output = commit('output', outputKeys, src, items, redactor, scratch, redacted);
  take();

  // 4. Identity.
  let flags = 0;
  const authenticated = ctx.authenticated ?? null;
  const claimed = action.agent.id ?? action.agent.name;
  let verified = false;
  if (claimed === null) flags |= FLAG_BIT.identity_missing;
  if (authenticated === null) flags |= FLAG_BIT.identity_unauthenticated;
  else if (claimed !== null) {
    verified = mayActAs(authenticated, claimed);
    if (!verified) flags |= FLAG_BIT.identity_mismatch;
  }
  if (authenticated?.tenant !== undefined && action.principal.tenant !== null && authenticated.tenant !== action.principal.tenant) {
    flags |= FLAG_BIT.tenant_mismatch;
  }

  // 5. Approval checks.
  const approval = action.approval;
  // A call the policy denied did not run, so there was nothing to approve.
  const denied = action.authorization !== null && action.authorization.decision === 'deny';
  if (options.flagUnapprovedHighRisk !== false && action.risk === 'high' && !denied && (approval === null || approval.status !== 'approved')) {
    flags |= FLAG_BIT.approval_missing;
  }
  if (approval !== null && approval.argsDigest !== null && action.toolArgumentsKey !== null) {
    const args = src[action.toolArgumentsKey];
    if (args !== undefined && argumentsDigest(args) !== approval.argsDigest) flags |= FLAG_BIT.approval_mismatch;
  }
  if (counts !== null || redacted.length > 0) flags |= FLAG_BIT.secret_redacted;
  if (input !== null || output !== null) flags |= FLAG_BIT.payload_committed;
  if (truncated.length > 0) flags |= FLAG_BIT.attributes_truncated;

  // 6. Remaining attributes: not payloads, not mapped into a field.
  const consumed = action.consumed;
  const attributes: Record<string, AttributeValue> = {};
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const outKey = outKeys[k]!;
    if (roles[k] !== null || outKey === null || consumed.includes(key)) continue;
    // an attribute named __proto__ is data like any other, not the object's prototype
    if (outKey === '__proto__') Object.defineProperty(attributes, outKey, { value: view[key], enumerable: true, writable: true, configurable: true });
    else attributes[outKey] = view[key]!;
  }

  const id = randomHexFromPool(16);
  // Keys are written in RFC 8785 order so canonicalization does not need to sort them.
  const record: AuditRecord = {
    action: {
      kind: action.kind,
      name,
      operation: action.operation,
      // sub-objects of the action are fresh and shaped like the record's: reuse them
      resource: action.resource,
      risk: action.risk,
      tool: action.tool,
    },
    agent: agentPart(action.agent, authenticatedPart(authenticated), verified),
    approval: approval === null ? null : {
      approvalId: approval.approvalId,
      approverId: approval.approverId,
      argsCommitment: approval.argsDigest,
      status: approval.status,
      time: approval.time,
    },
    attributes,
    authorization: action.authorization,
    flags: flagList(flags),
    id,
    input,
    kind: 'agent.action',
    outcome: outcomePart(span.status.code === 2 ? 'error' : span.status.code === 1 ? 'ok' : 'unset', action.errorType),
    output,
    principal: principalPart(action.principal),
    redacted: redacted.length === 0 ? NONE : redacted,
    ...(counts !== null ? { redactions: sortedCounts(counts) } : {}),
    session: sessionPart(action.session),
    source: sourcePart(action.convention, action.conventions, ctx.receivedAt ?? nowRfc3339(), ctx.via),
    time: { end: rfc3339Nano(span.endTimeUnixNano), start: rfc3339Nano(span.startTimeUnixNano) },
    trace: { parentSpanId: span.parentSpanId, spanId: span.spanId, traceId: span.traceId },
    truncated: truncated.length === 0 ? NONE : truncated,
    v: 1,
  };
  sealRecord(record);
  return { record, evidence: items !== null && items.length > 0 ? { recordId: id, items } : null };
}
