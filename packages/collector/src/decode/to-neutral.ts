// OTLP request model → NeutralSpan, with the validation every span must pass before it reaches
// the pipeline: id lengths, attribute counts, value sizes and nesting depth. Error paths are
// built only when something is wrong (errors are re-thrown `within` each enclosing field), so
// the hot path allocates no path strings.
import type { AttributeValue, NeutralSpan } from '@agentrail/core';
import { located, OtlpDecodeError } from '../errors.js';
import { bytesToHex, int64ToBigInt, type OtlpAnyValue, type OtlpKeyValue, type OtlpSpan, type OtlpTraceRequest } from './otlp-model.js';

export interface SpanLimits {
  /** Most attributes on one span, event, resource or kvlist, and most values in an array (default 1024). */
  maxAttributes: number;
  /** Longest string or bytes attribute value, key or span name, in characters/bytes (default 1 MiB). */
  maxValueLength: number;
  /** Deepest nesting of array/kvlist values (default 32). */
  maxDepth: number;
}

export const DEFAULT_SPAN_LIMITS: SpanLimits = { maxAttributes: 1024, maxValueLength: 1 << 20, maxDepth: 32 };

export interface NeutralBatch {
  spans: NeutralSpan[];
  /** The decoded OTLP span each neutral span came from, same order (forwarding annotates these). */
  sources: OtlpSpan[];
}

/** Converts a decoded request to neutral spans; throws `OtlpDecodeError` naming the bad field. */
export function toNeutralSpans(req: OtlpTraceRequest, limits: SpanLimits = DEFAULT_SPAN_LIMITS): NeutralBatch {
  const conv = new Converter(limits);
  const spans: NeutralSpan[] = [];
  const sources: OtlpSpan[] = [];
  const rss = req.resourceSpans ?? [];
  for (let r = 0; r < rss.length; r++) {
    const rs = rss[r]!;
    let resource: Record<string, AttributeValue>;
    try {
      resource = conv.attributes(rs.resource?.attributes, 0);
    } catch (err) {
      throw located(err, `resourceSpans[${r}].resource.attributes`);
    }
    const sss = rs.scopeSpans ?? [];
    for (let s = 0; s < sss.length; s++) {
      const ss = sss[s]!;
      const scope = ss.scope ? (ss.scope.version ? { name: ss.scope.name ?? '', version: ss.scope.version } : { name: ss.scope.name ?? '' }) : null;
      const list = ss.spans ?? [];
      for (let i = 0; i < list.length; i++) {
        const src = list[i]!;
        try {
          spans.push(conv.span(src, resource, scope));
        } catch (err) {
          throw located(err, `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`);
        }
        sources.push(src);
      }
    }
  }
  return { spans, sources };
}

class Converter {
  constructor(private readonly limits: SpanLimits) {}

  span(s: OtlpSpan, resource: Record<string, AttributeValue>, scope: NeutralSpan['scope']): NeutralSpan {
    const traceId = id(s.traceId, 16, 'traceId');
    const spanId = id(s.spanId, 8, 'spanId');
    const parent = parentId(s.parentSpanId);
    const name = s.name ?? '';
    if (name.length > this.limits.maxValueLength) throw new OtlpDecodeError(`span name longer than ${this.limits.maxValueLength} characters`, 'name');
    // Unknown enum values (newer senders) read as "unspecified" rather than failing the request.
    const kind = typeof s.kind === 'number' && s.kind >= 0 && s.kind <= 5 ? s.kind : 0;
    const code = s.status?.code;
    const status: NeutralSpan['status'] = { code: code === 1 || code === 2 ? code : 0 };
    if (s.status?.message) status.message = s.status.message;
    let attributes: Record<string, AttributeValue>;
    try {
      attributes = this.attributes(s.attributes, 0);
    } catch (err) {
      throw located(err, 'attributes');
    }
    const events: NeutralSpan['events'] = [];
    const evs = s.events ?? [];
    for (let e = 0; e < evs.length; e++) {
      const ev = evs[e]!;
      try {
        events.push({ name: ev.name ?? '', timeUnixNano: int64ToBigInt(ev.timeUnixNano, true), attributes: this.attributes(ev.attributes, 0) });
      } catch (err) {
        throw located(err, `events[${e}].attributes`);
      }
    }
    return {
      traceId,
      spanId,
      parentSpanId: parent,
      name,
      kind,
      startTimeUnixNano: int64ToBigInt(s.startTimeUnixNano, true),
      endTimeUnixNano: int64ToBigInt(s.endTimeUnixNano, true),
      attributes,
      resource,
      scope,
      status,
      events,
    };
  }

  attributes(kvs: readonly OtlpKeyValue[] | null | undefined, depth: number): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    if (!kvs) return out;
    if (kvs.length > this.limits.maxAttributes) throw new OtlpDecodeError(`${kvs.length} attributes; at most ${this.limits.maxAttributes} are accepted`);
    for (let i = 0; i < kvs.length; i++) {
      const kv = kvs[i]!;
      const key = kv.key ?? '';
      let v: AttributeValue;
      try {
        if (key.length > this.limits.maxValueLength) throw new OtlpDecodeError(`attribute key longer than ${this.limits.maxValueLength} characters`, 'key');
        v = this.value(kv.value, depth);
      } catch (err) {
        throw located(err, `[${i}]${err instanceof OtlpDecodeError && err.path === 'key' ? '' : '.value'}`);
      }
      // '__proto__' as a plain assignment would replace the prototype instead of adding a key.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }

  private value(v: OtlpAnyValue | null | undefined, depth: number): AttributeValue {
    if (!v) return null;
    if (depth >= this.limits.maxDepth) throw new OtlpDecodeError(`attribute value nested deeper than ${this.limits.maxDepth} levels`);
    // protobufjs puts proto3 defaults of every oneof member on the prototype; only own
    // properties say which member was actually sent.
    if (own(v, 'stringValue')) {
      const sv = v.stringValue!;
      if (sv.length > this.limits.maxValueLength) throw new OtlpDecodeError(`string value longer than ${this.limits.maxValueLength} characters`);
      return sv;
    }
    if (own(v, 'boolValue')) return v.boolValue!;
    if (own(v, 'intValue')) {
      const iv = v.intValue!;
      if (typeof iv === 'number' && Number.isSafeInteger(iv)) return iv;
      // protobufjs Long: exact as a number while |high| < 2^21.
      if (typeof iv === 'object' && iv.high < 0x20_0000 && iv.high >= -0x20_0000) return iv.high * 0x1_0000_0000 + (iv.low >>> 0);
      const b = int64ToBigInt(iv, false);
      // AttributeValue has no bigint; keep exact digits when a number would round.
      return b >= MIN_SAFE && b <= MAX_SAFE ? Number(b) : b.toString();
    }
    if (own(v, 'doubleValue')) {
      const d = v.doubleValue!;
      return Number.isFinite(d) ? d : String(d);
    }
    if (own(v, 'arrayValue')) {
      const vals = v.arrayValue!.values ?? [];
      if (vals.length > this.limits.maxAttributes) throw new OtlpDecodeError(`array of ${vals.length} values; at most ${this.limits.maxAttributes} are accepted`);
      const out = new Array<AttributeValue>(vals.length);
      for (let i = 0; i < vals.length; i++) {
        try {
          out[i] = this.value(vals[i], depth + 1);
        } catch (err) {
          throw located(err, `arrayValue.values[${i}]`);
        }
      }
      return out;
    }
    if (own(v, 'kvlistValue')) {
      try {
        return this.attributes(v.kvlistValue!.values, depth + 1);
      } catch (err) {
        throw located(err, 'kvlistValue.values');
      }
    }
    if (own(v, 'bytesValue')) {
      const bv = v.bytesValue!;
      if (bv.length > this.limits.maxValueLength) throw new OtlpDecodeError(`bytes value longer than ${this.limits.maxValueLength} bytes`);
      return Buffer.from(bv.buffer, bv.byteOffset, bv.byteLength).toString('base64');
    }
    return null;
  }
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const hasOwn = Object.prototype.hasOwnProperty;

function own(v: OtlpAnyValue, k: keyof OtlpAnyValue): boolean {
  return v[k] != null && hasOwn.call(v, k);
}

function id(b: Uint8Array | null | undefined, len: number, field: string): string {
  if (!b || b.length !== len) throw new OtlpDecodeError(`expected ${len} bytes (${len * 2} hex characters), got ${b ? b.length : 0}`, field);
  if (isZero(b)) throw new OtlpDecodeError('an all-zero id is invalid', field);
  return bytesToHex(b);
}

// Absent, empty or all-zero parent ids all mean "root span".
function parentId(b: Uint8Array | null | undefined): string | null {
  if (!b || b.length === 0) return null;
  if (b.length !== 8) throw new OtlpDecodeError(`expected 8 bytes (16 hex characters), got ${b.length}`, 'parentSpanId');
  return isZero(b) ? null : bytesToHex(b);
}

/** Whether `len` bytes of `b` from `start` (all of it by default) are zero. */
export function isZero(b: Uint8Array, start = 0, len = b.length): boolean {
  for (let i = start; i < start + len; i++) if (b[i] !== 0) return false;
  return true;
}
