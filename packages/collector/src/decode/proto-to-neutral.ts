// The audit path's protobuf decoder: ExportTraceServiceRequest bytes straight to NeutralSpans,
// without protobufjs's intermediate objects (Long values, default-bearing prototypes, a second
// walk in toNeutralSpans). Field numbers are those of src/proto/*.proto (opentelemetry-proto
// v1.x). It applies the same limits as toNeutralSpans and yields the same spans for every
// request the two-step path (decodeTraceRequestProto + toNeutralSpans) accepts; it is stricter
// only on encodings no OTLP encoder produces (groups, a singular message field sent twice, two
// members of one AnyValue, a length of 2^32 or more, which protobufjs would wrap), and in one
// more way: it applies the attribute limits to scope and link attributes, which toNeutralSpans
// never reads (the fuzz test leaves those out). A differential fuzz test
// (test/proto-to-neutral.test.ts) holds it to that.
import { isUtf8 } from 'node:buffer';
import type { AttributeValue, NeutralSpan } from '@agentrail/core';
import { located, OtlpDecodeError } from '../errors.js';
import { DEFAULT_SPAN_LIMITS, isZero, type SpanLimits } from './to-neutral.js';

// Wire types.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const tag = (field: number, wire: number): number => (field << 3) | wire;

/** Decodes a protobuf ExportTraceServiceRequest to neutral spans; throws `OtlpDecodeError` naming the field. */
export function protoToNeutralSpans(bytes: Uint8Array, limits: SpanLimits = DEFAULT_SPAN_LIMITS): NeutralSpan[] {
  return Array.from(protoSpans(bytes, limits));
}

/**
 * The same spans, decoded one at a time as they are iterated, so a batch's records can be built
 * while its spans are still young (no 512 decoded spans kept alive for the garbage collector to
 * copy). A malformed request throws `OtlpDecodeError` from the iteration, at the first bad field;
 * a consumer must not act on the spans before the iteration has ended.
 */
export function protoSpans(bytes: Uint8Array, limits: SpanLimits = DEFAULT_SPAN_LIMITS): Iterable<NeutralSpan> {
  return { [Symbol.iterator]: () => new ProtoSpanReader(bytes, limits) };
}

function malformed(what: string): OtlpDecodeError {
  return new OtlpDecodeError(`malformed protobuf ExportTraceServiceRequest (${what})`);
}

/** The per-encoding slice methods Buffer#toString dispatches to (in Node since 0.x), minus its argument parsing. */
type SliceBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
  base64Slice(start: number, end: number): string;
};

class ProtoSpanReader implements Iterator<NeutralSpan> {
  private readonly buf: SliceBuffer;
  private readonly view: DataView;
  private pos = 0;
  // The two halves of the last 64-bit varint read.
  private lo = 0;
  private hi = 0;
  // Where iteration stands: inside the r-th ResourceSpans (until rsEnd, 0 when between them) and
  // its s-th ScopeSpans (until ssEnd), whose next span is the i-th.
  private r = -1;
  private rsEnd = 0;
  private resource: Record<string, AttributeValue> = {};
  private s = -1;
  private ssEnd = 0;
  private scope: NeutralSpan['scope'] = null;
  private i = 0;

  constructor(
    bytes: Uint8Array,
    private readonly limits: SpanLimits,
  ) {
    this.buf = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as SliceBuffer;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  next(): IteratorResult<NeutralSpan> {
    try {
      const span = this.nextSpan();
      return span === null ? { done: true, value: undefined } : { done: false, value: span };
    } catch (err) {
      // The same path as a nested decoder would build: innermost first.
      let e = err;
      if (this.ssEnd !== 0) e = located(e, `scopeSpans[${this.s}]`);
      if (this.rsEnd !== 0) e = located(e, `resourceSpans[${this.r}]`);
      this.ssEnd = this.rsEnd = 0;
      this.pos = this.buf.length; // a failed iteration stays ended
      throw e;
    }
  }

  private nextSpan(): NeutralSpan | null {
    for (;;) {
      if (this.ssEnd !== 0) {
        const end = this.ssEnd;
        while (this.pos < end) {
          const t = this.tag(end);
          if (t === tag(2, LEN)) {
            const sub = this.lengthEnd(end);
            try {
              return this.span(sub);
            } catch (err) {
              throw located(err, `spans[${this.i}]`);
            } finally {
              this.i++;
            }
          } else if (t === tag(1, LEN)) this.pos = this.lengthEnd(end); // the scope, read on entry
          else if (t === tag(3, LEN)) this.skipString(end); // schema_url
          else this.skip(t, end);
        }
        this.ssEnd = 0;
      } else if (this.rsEnd !== 0) {
        const end = this.rsEnd;
        while (this.pos < end) {
          const t = this.tag(end);
          if (t === tag(2, LEN)) {
            this.s++;
            this.i = 0;
            this.ssEnd = this.lengthEnd(end);
            this.scope = this.field1(this.pos, this.ssEnd, 'scope', (e) => this.decodeScope(e));
            break;
          } else if (t === tag(1, LEN)) this.pos = this.lengthEnd(end); // the resource, read on entry
          else if (t === tag(3, LEN)) this.skipString(end); // schema_url
          else this.skip(t, end);
        }
        if (this.ssEnd === 0) this.rsEnd = 0;
      } else {
        const end = this.buf.length;
        if (this.pos >= end) return null;
        const t = this.tag(end);
        if (t === tag(1, LEN)) {
          this.r++;
          this.s = -1;
          this.rsEnd = this.lengthEnd(end);
          this.resource = this.field1(this.pos, this.rsEnd, 'resource', (e) => this.decodeResource(e)) ?? {};
        } else this.skip(t, end);
      }
    }
  }

  /**
   * The singular message in field 1 of the message in [start, end), decoded by `read`: the
   * resource of a ResourceSpans or the scope of a ScopeSpans, which may follow the spans on the
   * wire and applies to all of them. Null when absent. Leaves `pos` at `start`.
   */
  private field1<T>(start: number, end: number, what: 'resource' | 'scope', read: (end: number) => T): T | null {
    let found: T | null = null;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t !== tag(1, LEN)) {
        this.skip(t, end);
        continue;
      }
      if (found !== null) throw new OtlpDecodeError(`${what} sent twice`, what);
      const sub = this.lengthEnd(end);
      try {
        found = read(sub);
      } catch (err) {
        throw located(err, what);
      }
    }
    this.pos = start;
    return found;
  }

  private decodeResource(end: number): Record<string, AttributeValue> {
    const attrs: Record<string, AttributeValue> = {};
    let n = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === tag(1, LEN)) this.keyValueInto(attrs, n++, this.lengthEnd(end), 0, 'attributes');
      else this.skip(t, end);
    }
    return attrs;
  }

  private decodeScope(end: number): NonNullable<NeutralSpan['scope']> {
    let name = '';
    let version = '';
    const ignored: Record<string, AttributeValue> = {};
    let n = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === tag(1, LEN)) name = this.string(end);
      else if (t === tag(2, LEN)) version = this.string(end);
      else if (t === tag(3, LEN)) this.keyValueInto(ignored, n++, this.lengthEnd(end), 0, 'attributes');
      else this.skip(t, end);
    }
    return version ? { name, version } : { name };
  }

  private span(end: number): NeutralSpan {
    const { buf } = this;
    let traceStart = 0;
    let traceLen = 0;
    let spanStart = 0;
    let spanLen = 0;
    let parentStart = 0;
    let parentLen = 0;
    let name = '';
    let kind = 0;
    let start = 0n;
    let stop = 0n;
    let attributes: Record<string, AttributeValue> | null = null;
    let nAttrs = 0;
    const events: NeutralSpan['events'] = [];
    let status: NeutralSpan['status'] | null = null;
    let nLinks = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      switch (t) {
        case tag(1, LEN):
          traceLen = this.length(end);
          traceStart = this.pos;
          this.pos += traceLen;
          break;
        case tag(2, LEN):
          spanLen = this.length(end);
          spanStart = this.pos;
          this.pos += spanLen;
          break;
        case tag(3, LEN): // trace_state
          this.skipString(end);
          break;
        case tag(4, LEN):
          parentLen = this.length(end);
          parentStart = this.pos;
          this.pos += parentLen;
          break;
        case tag(5, LEN):
          name = this.string(end);
          if (name.length > this.limits.maxValueLength) throw new OtlpDecodeError(`span name longer than ${this.limits.maxValueLength} characters`, 'name');
          break;
        case tag(6, VARINT):
          kind = this.varint32(end) | 0;
          break;
        case tag(7, I64):
          start = this.fixed64(end);
          break;
        case tag(8, I64):
          stop = this.fixed64(end);
          break;
        case tag(9, LEN):
          attributes ??= {};
          this.keyValueInto(attributes, nAttrs++, this.lengthEnd(end), 0, 'attributes');
          break;
        case tag(11, LEN): {
          const sub = this.lengthEnd(end);
          try {
            events.push(this.event(sub));
          } catch (err) {
            throw located(err, `events[${events.length}]`);
          }
          break;
        }
        case tag(13, LEN): {
          const sub = this.lengthEnd(end);
          try {
            this.link(sub);
          } catch (err) {
            throw located(err, `links[${nLinks}]`);
          }
          nLinks++;
          break;
        }
        case tag(15, LEN): {
          if (status) throw new OtlpDecodeError('status sent twice', 'status');
          const sub = this.lengthEnd(end);
          try {
            status = this.status(sub);
          } catch (err) {
            throw located(err, 'status');
          }
          break;
        }
        default:
          this.skip(t, end);
      }
    }
    const traceId = id(buf, traceStart, traceLen, 16, 'traceId');
    const spanId = id(buf, spanStart, spanLen, 8, 'spanId');
    let parentSpanId: string | null = null;
    if (parentLen !== 0) {
      if (parentLen !== 8) throw new OtlpDecodeError(`expected 8 bytes (16 hex characters), got ${parentLen}`, 'parentSpanId');
      if (!isZero(buf, parentStart, 8)) parentSpanId = buf.hexSlice(parentStart, parentStart + 8);
    }
    return {
      traceId,
      spanId,
      parentSpanId,
      name,
      // Unknown enum values (newer senders) read as "unspecified" rather than failing the request.
      kind: kind >= 0 && kind <= 5 ? kind : 0,
      startTimeUnixNano: start,
      endTimeUnixNano: stop,
      attributes: attributes ?? {},
      resource: this.resource,
      scope: this.scope,
      status: status ?? { code: 0 },
      events,
    };
  }

  private event(end: number): NeutralSpan['events'][number] {
    let name = '';
    let time = 0n;
    const attributes: Record<string, AttributeValue> = {};
    let n = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === tag(1, I64)) time = this.fixed64(end);
      else if (t === tag(2, LEN)) name = this.string(end);
      else if (t === tag(3, LEN)) this.keyValueInto(attributes, n++, this.lengthEnd(end), 0, 'attributes');
      else this.skip(t, end);
    }
    return { name, timeUnixNano: time, attributes };
  }

  /** Links are not part of the record, but a malformed one still makes the request invalid. */
  private link(end: number): void {
    const ignored: Record<string, AttributeValue> = {};
    let n = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === tag(4, LEN)) this.keyValueInto(ignored, n++, this.lengthEnd(end), 0, 'attributes');
      else if (t === tag(3, LEN)) this.skipString(end); // trace_state
      else this.skip(t, end);
    }
  }

  private status(end: number): NeutralSpan['status'] {
    let code = 0;
    let message = '';
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === tag(2, LEN)) message = this.string(end);
      else if (t === tag(3, VARINT)) code = this.varint32(end) | 0;
      else this.skip(t, end);
    }
    const status: NeutralSpan['status'] = { code: code === 1 || code === 2 ? code : 0 };
    if (message) status.message = message;
    return status;
  }

  /** One KeyValue (the `index`-th of a list named `list`) into `out`, within the limits. */
  private keyValueInto(out: Record<string, AttributeValue>, index: number, end: number, depth: number, list: string): void {
    try {
      if (index >= this.limits.maxAttributes) throw new OtlpDecodeError(`more than ${this.limits.maxAttributes} attributes; at most ${this.limits.maxAttributes} are accepted`);
      let key = '';
      let value: AttributeValue = null;
      let hasValue = false;
      while (this.pos < end) {
        const t = this.tag(end);
        if (t === tag(1, LEN)) {
          key = this.key(end, index);
          if (key.length > this.limits.maxValueLength) throw new OtlpDecodeError(`attribute key longer than ${this.limits.maxValueLength} characters`, `[${index}]`);
        } else if (t === tag(2, LEN)) {
          if (hasValue) throw new OtlpDecodeError('value sent twice', `[${index}].value`);
          hasValue = true;
          const sub = this.lengthEnd(end);
          try {
            value = this.anyValue(sub, depth, depth === 0 ? index : -1);
          } catch (err) {
            throw located(err, `[${index}].value`);
          }
        } else this.skip(t, end);
      }
      // '__proto__' as a plain assignment would replace the prototype instead of adding a key.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    } catch (err) {
      throw located(err, list);
    }
  }

  /** `position`: the attribute's place in its list, for a top-level value; else -1. */
  private anyValue(end: number, depth: number, position = -1): AttributeValue {
    if (depth >= this.limits.maxDepth) throw new OtlpDecodeError(`attribute value nested deeper than ${this.limits.maxDepth} levels`);
    let value: AttributeValue = null;
    let members = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      switch (t) {
        case tag(1, LEN): {
          const s = position >= 0 ? this.valueString(end, position) : this.string(end);
          if (s.length > this.limits.maxValueLength) throw new OtlpDecodeError(`string value longer than ${this.limits.maxValueLength} characters`);
          value = s;
          break;
        }
        case tag(2, VARINT):
          this.varint64(end); // any set bit, even beyond the low 32, is true
          value = (this.lo | this.hi) !== 0;
          break;
        case tag(3, VARINT): {
          this.varint64(end);
          const hi = this.hi;
          const lo = this.lo;
          // Exact as a number while |hi| < 2^21; beyond, keep the exact digits as a string.
          if (hi < 0x20_0000 && hi >= -0x20_0000) value = hi * 0x1_0000_0000 + lo;
          else value = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo)).toString();
          break;
        }
        case tag(4, I64): {
          if (this.pos + 8 > end) throw malformed(`truncated double at byte ${this.pos}`);
          const d = this.view.getFloat64(this.pos, true);
          this.pos += 8;
          value = Number.isFinite(d) ? d : String(d);
          break;
        }
        case tag(5, LEN): {
          const sub = this.lengthEnd(end);
          try {
            value = this.arrayValue(sub, depth);
          } catch (err) {
            throw located(err, 'arrayValue.values');
          }
          break;
        }
        case tag(6, LEN): {
          const sub = this.lengthEnd(end);
          const kvs: Record<string, AttributeValue> = {};
          let n = 0;
          try {
            while (this.pos < sub) {
              const t2 = this.tag(sub);
              if (t2 === tag(1, LEN)) this.keyValueInto(kvs, n++, this.lengthEnd(sub), depth + 1, '');
              else this.skip(t2, sub);
            }
          } catch (err) {
            throw located(err, 'kvlistValue.values');
          }
          value = kvs;
          break;
        }
        case tag(7, LEN): {
          const len = this.length(end);
          if (len > this.limits.maxValueLength) throw new OtlpDecodeError(`bytes value longer than ${this.limits.maxValueLength} bytes`);
          value = this.buf.base64Slice(this.pos, this.pos + len);
          this.pos += len;
          break;
        }
        default:
          this.skip(t, end);
          continue;
      }
      if (++members > 1) throw new OtlpDecodeError('more than one value in an AnyValue');
    }
    return value;
  }

  private arrayValue(end: number, depth: number): AttributeValue[] {
    const out: AttributeValue[] = [];
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === tag(1, LEN)) {
        const i = out.length;
        if (i >= this.limits.maxAttributes) throw new OtlpDecodeError(`array of more than ${this.limits.maxAttributes} values; at most ${this.limits.maxAttributes} are accepted`);
        const sub = this.lengthEnd(end);
        try {
          out.push(this.anyValue(sub, depth + 1));
        } catch (err) {
          throw located(err, `[${i}]`);
        }
      } else this.skip(t, end);
    }
    return out;
  }

  // --- wire format ---------------------------------------------------------------------------

  /** A field tag; field number 0 and the group wire types are refused. */
  private tag(end: number): number {
    const at = this.pos;
    const t = this.varint32(end);
    // A tag is a 32-bit varint: at most 5 bytes, the fifth holding 4 bits.
    if (this.pos - at >= 5 && (this.pos - at > 5 || this.buf[at + 4]! > 0x0f)) throw malformed(`invalid tag encoding at byte ${at}`);
    const wire = t & 7;
    if (t >>> 3 === 0) throw malformed(`field number 0 at byte ${this.pos}`);
    if (wire !== VARINT && wire !== I64 && wire !== LEN && wire !== I32) throw malformed(`unsupported wire type ${wire} at byte ${this.pos}`);
    return t;
  }

  /** Skips the value of an unknown field (or of a known field sent with another wire type). */
  private skip(t: number, end: number): void {
    switch (t & 7) {
      case VARINT:
        this.varint32(end);
        return;
      case I64:
        if (this.pos + 8 > end) throw malformed(`truncated field at byte ${this.pos}`);
        this.pos += 8;
        return;
      case LEN:
        this.pos = this.lengthEnd(end);
        return;
      default:
        if (this.pos + 4 > end) throw malformed(`truncated field at byte ${this.pos}`);
        this.pos += 4;
    }
  }

  /** Low 32 bits of a varint of at most 10 bytes, unsigned. */
  private varint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw malformed(`truncated varint at byte ${pos}`);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let v = b & 0x7f;
    for (let shift = 7; ; shift += 7) {
      if (shift >= 70) throw malformed(`varint longer than 10 bytes at byte ${this.pos}`);
      if (pos >= end) throw malformed(`truncated varint at byte ${pos}`);
      b = buf[pos++]!;
      if (shift < 32) v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.pos = pos;
    return v >>> 0;
  }

  /** A 64-bit varint into `lo` (unsigned) and `hi` (signed). */
  private varint64(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw malformed(`truncated varint at byte ${pos}`);
      b = buf[pos++]!;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi | 0;
        return;
      }
    }
    throw malformed(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  private fixed64(end: number): bigint {
    if (this.pos + 8 > end) throw malformed(`truncated fixed64 at byte ${this.pos}`);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length prefix, checked against the end of the enclosing message. */
  private length(end: number): number {
    const at = this.pos;
    const buf = this.buf;
    let pos = at;
    let len = 0;
    if (pos < end && buf[pos]! < 0x80) {
      len = buf[pos++]!; // one byte (under 128): most lengths, in small-integer arithmetic
    } else {
      for (let mul = 1; ; mul *= 128) {
        if (pos >= end) throw malformed(`truncated length at byte ${at}`);
        const b = buf[pos++]!;
        len += (b & 0x7f) * mul;
        if (b < 0x80) break;
        if (mul > 2 ** 28) throw malformed(`length over 2^35 at byte ${at}`);
      }
    }
    if (pos + len > end) throw malformed(`length ${len} at byte ${at} runs past the end of its message`);
    this.pos = pos;
    return len;
  }

  /** Reads a length prefix and returns where the value ends. */
  private lengthEnd(end: number): number {
    const len = this.length(end);
    return this.pos + len;
  }

  /** A proto3 string: invalid UTF-8 is refused, as protobufjs does. */
  private string(end: number): string {
    const len = this.length(end);
    const start = this.pos;
    this.checkUtf8(start, len);
    this.pos += len;
    return this.buf.utf8Slice(start, start + len);
  }

  /** A string field the record does not use: validated, not decoded. */
  private skipString(end: number): void {
    const len = this.length(end);
    this.checkUtf8(this.pos, len);
    this.pos += len;
  }

  private checkUtf8(start: number, len: number): void {
    const buf = this.buf;
    // Short ASCII strings (most keys and values) are checked here; the rest by Node's isUtf8.
    if (len <= 32) {
      let i = start;
      const end = start + len;
      while (i < end && buf[i]! < 0x80) i++;
      if (i === end) return;
    }
    if (!isUtf8(buf.subarray(start, start + len))) throw malformed(`invalid UTF-8 in a string at byte ${start}`);
  }

  /**
   * Attribute keys repeat across spans, mostly at the same position in the list: the key last
   * seen at `index` is tried first, then a small cache of short ASCII keys by content.
   */
  private key(end: number, index: number): string {
    const len = this.length(end);
    const start = this.pos;
    this.pos += len;
    const same = this.lastAt(keyAt, index, start, len);
    if (same !== null) return same;
    const interned = internKey(this.buf, start, len);
    if (interned !== null) {
      keyAt[index & (BY_POSITION - 1)] = interned;
      return interned;
    }
    this.checkUtf8(start, len);
    return this.buf.utf8Slice(start, start + len);
  }

  /**
   * A top-level string attribute value. Many repeat from span to span at the same position (the
   * operation, the agent, the model): a short ASCII value equal to the last one there is that
   * same string, without decoding or allocating another.
   */
  private valueString(end: number, position: number): string {
    const len = this.length(end);
    const start = this.pos;
    this.pos += len;
    const same = this.lastAt(valueAt, position, start, len);
    if (same !== null) return same;
    this.checkUtf8(start, len);
    const s = this.buf.utf8Slice(start, start + len);
    // Only ASCII values (as many UTF-16 units as bytes) are compared byte for byte later.
    if (len <= 64 && s.length === len) valueAt[position & (BY_POSITION - 1)] = s;
    return s;
  }

  /** The ASCII string last seen at `position` if the `len` bytes at `start` spell it, else null. */
  private lastAt(cache: readonly string[], position: number, start: number, len: number): string | null {
    const last = cache[position & (BY_POSITION - 1)]!;
    return spells(last, this.buf, start, len) ? last : null;
  }
}

// The short ASCII key and string value last seen at each attribute position (positions wrap
// around). Module-wide: consecutive requests mostly come from the same kind of sender.
const BY_POSITION = 64;
const keyAt: string[] = new Array<string>(BY_POSITION).fill('');
const valueAt: string[] = new Array<string>(BY_POSITION).fill('');

// A small cache of attribute keys by content. Keys are few and repeat in every span, so this
// saves a string allocation and a UTF-8 decode per attribute.
const KEY_CACHE_SLOTS = 1024;
const keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SLOTS);

/** The key for short ASCII bytes, from the cache when seen before; null for other keys. */
function internKey(buf: SliceBuffer, start: number, len: number): string | null {
  if (len > 64) return null;
  let h = len;
  for (let i = 0; i < len; i++) {
    const c = buf[start + i]!;
    if (c >= 0x80) return null;
    h = Math.imul(h ^ c, 0x01000193);
  }
  const slot = (h >>> 0) % KEY_CACHE_SLOTS;
  const hit = keyCache[slot];
  if (hit !== undefined && spells(hit, buf, start, len)) return hit;
  const s = buf.latin1Slice(start, start + len);
  keyCache[slot] = s;
  return s;
}

/** Whether the `len` bytes of `buf` at `start` are the ASCII string `s`. */
function spells(s: string, buf: Uint8Array, start: number, len: number): boolean {
  if (s.length !== len) return false;
  let i = 0;
  while (i < len && s.charCodeAt(i) === buf[start + i]) i++;
  return i === len;
}

function id(buf: SliceBuffer, start: number, len: number, want: number, field: string): string {
  if (len !== want) throw new OtlpDecodeError(`expected ${want} bytes (${want * 2} hex characters), got ${len}`, field);
  if (isZero(buf, start, len)) throw new OtlpDecodeError('an all-zero id is invalid', field);
  return buf.hexSlice(start, start + len);
}

