// OTLP/JSON decoder (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding).
// Own code rather than protobufjs's fromObject: OTLP JSON carries trace and span ids as hex
// (protobuf JSON would read them as base64). Accepted like the reference collector: ids in
// either case, 64-bit integers as strings or numbers, enums as integers or names, lowerCamelCase
// or snake_case keys; unknown fields are ignored.
import { OtlpDecodeError } from '../errors.js';
import {
  bigIntToInt64,
  type Int64Like,
  type OtlpAnyValue,
  type OtlpEvent,
  type OtlpKeyValue,
  type OtlpLink,
  type OtlpResourceSpans,
  type OtlpScopeSpans,
  type OtlpSpan,
  type OtlpTraceRequest,
} from './otlp-model.js';

export interface JsonDecodeOptions {
  /** Deepest nesting of array/kvlist attribute values accepted (default 32). */
  maxDepth?: number;
}

type Obj = Record<string, unknown>;

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** Parses and decodes an OTLP/JSON `ExportTraceServiceRequest`; throws `OtlpDecodeError`. */
export function decodeTraceRequestJson(body: string | Uint8Array, options: JsonDecodeOptions = {}): OtlpTraceRequest {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return new JsonDecoder(options.maxDepth ?? 32).request(parsed);
}

class JsonDecoder {
  constructor(private readonly maxDepth: number) {}

  request(v: unknown): OtlpTraceRequest {
    const o = obj(v, '');
    return { resourceSpans: arr(field(o, 'resourceSpans', 'resource_spans'), 'resourceSpans', (x, p) => this.resourceSpans(x, p)) };
  }

  private resourceSpans(v: unknown, path: string): OtlpResourceSpans {
    const o = obj(v, path);
    const res = field(o, 'resource');
    let resource: OtlpResourceSpans['resource'] = null;
    if (res !== undefined && res !== null) {
      const r = obj(res, `${path}.resource`);
      resource = {
        attributes: this.attributes(field(r, 'attributes'), `${path}.resource.attributes`),
        droppedAttributesCount: uint32(field(r, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.resource.droppedAttributesCount`),
      };
    }
    return {
      resource,
      scopeSpans: arr(field(o, 'scopeSpans', 'scope_spans'), `${path}.scopeSpans`, (x, p) => this.scopeSpans(x, p)),
      schemaUrl: str(field(o, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`),
    };
  }

  private scopeSpans(v: unknown, path: string): OtlpScopeSpans {
    const o = obj(v, path);
    const sc = field(o, 'scope');
    let scope: OtlpScopeSpans['scope'] = null;
    if (sc !== undefined && sc !== null) {
      const s = obj(sc, `${path}.scope`);
      scope = {
        name: str(field(s, 'name'), `${path}.scope.name`),
        version: str(field(s, 'version'), `${path}.scope.version`),
        attributes: this.attributes(field(s, 'attributes'), `${path}.scope.attributes`),
      };
    }
    return {
      scope,
      spans: arr(field(o, 'spans'), `${path}.spans`, (x, p) => this.span(x, p)),
      schemaUrl: str(field(o, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`),
    };
  }

  private span(v: unknown, path: string): OtlpSpan {
    const o = obj(v, path);
    const st = field(o, 'status');
    let status: OtlpSpan['status'] = null;
    if (st !== undefined && st !== null) {
      const s = obj(st, `${path}.status`);
      status = { code: enumValue(field(s, 'code'), STATUS_CODES, `${path}.status.code`), message: str(field(s, 'message'), `${path}.status.message`) };
    }
    return {
      traceId: hexId(field(o, 'traceId', 'trace_id'), `${path}.traceId`),
      spanId: hexId(field(o, 'spanId', 'span_id'), `${path}.spanId`),
      traceState: str(field(o, 'traceState', 'trace_state'), `${path}.traceState`),
      parentSpanId: hexId(field(o, 'parentSpanId', 'parent_span_id'), `${path}.parentSpanId`),
      flags: uint32(field(o, 'flags'), `${path}.flags`),
      name: str(field(o, 'name'), `${path}.name`),
      kind: enumValue(field(o, 'kind'), SPAN_KINDS, `${path}.kind`),
      startTimeUnixNano: int64(field(o, 'startTimeUnixNano', 'start_time_unix_nano'), true, `${path}.startTimeUnixNano`),
      endTimeUnixNano: int64(field(o, 'endTimeUnixNano', 'end_time_unix_nano'), true, `${path}.endTimeUnixNano`),
      attributes: this.attributes(field(o, 'attributes'), `${path}.attributes`),
      droppedAttributesCount: uint32(field(o, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
      events: arr(field(o, 'events'), `${path}.events`, (x, p) => this.event(x, p)),
      droppedEventsCount: uint32(field(o, 'droppedEventsCount', 'dropped_events_count'), `${path}.droppedEventsCount`),
      links: arr(field(o, 'links'), `${path}.links`, (x, p) => this.link(x, p)),
      droppedLinksCount: uint32(field(o, 'droppedLinksCount', 'dropped_links_count'), `${path}.droppedLinksCount`),
      status,
    };
  }

  private event(v: unknown, path: string): OtlpEvent {
    const o = obj(v, path);
    return {
      timeUnixNano: int64(field(o, 'timeUnixNano', 'time_unix_nano'), true, `${path}.timeUnixNano`),
      name: str(field(o, 'name'), `${path}.name`),
      attributes: this.attributes(field(o, 'attributes'), `${path}.attributes`),
      droppedAttributesCount: uint32(field(o, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
    };
  }

  private link(v: unknown, path: string): OtlpLink {
    const o = obj(v, path);
    return {
      traceId: hexId(field(o, 'traceId', 'trace_id'), `${path}.traceId`),
      spanId: hexId(field(o, 'spanId', 'span_id'), `${path}.spanId`),
      traceState: str(field(o, 'traceState', 'trace_state'), `${path}.traceState`),
      attributes: this.attributes(field(o, 'attributes'), `${path}.attributes`),
      droppedAttributesCount: uint32(field(o, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
      flags: uint32(field(o, 'flags'), `${path}.flags`),
    };
  }

  private attributes(v: unknown, path: string, depth = 0): OtlpKeyValue[] {
    return arr(v, path, (x, p) => this.keyValue(x, p, depth));
  }

  private keyValue(v: unknown, path: string, depth: number): OtlpKeyValue {
    const o = obj(v, path);
    const value = field(o, 'value');
    return {
      key: str(field(o, 'key'), `${path}.key`),
      value: value === undefined || value === null ? null : this.anyValue(value, `${path}.value`, depth),
    };
  }

  private anyValue(v: unknown, path: string, depth: number): OtlpAnyValue {
    if (depth >= this.maxDepth) throw new OtlpDecodeError(`attribute value nested deeper than ${this.maxDepth} levels`, path);
    const o = obj(v, path);
    let x: unknown;
    if ((x = field(o, 'stringValue', 'string_value')) !== undefined && x !== null) return { stringValue: str(x, `${path}.stringValue`) };
    if ((x = field(o, 'boolValue', 'bool_value')) !== undefined && x !== null) {
      if (typeof x !== 'boolean') throw new OtlpDecodeError('expected a boolean', `${path}.boolValue`);
      return { boolValue: x };
    }
    if ((x = field(o, 'intValue', 'int_value')) !== undefined && x !== null) return { intValue: int64(x, false, `${path}.intValue`) };
    if ((x = field(o, 'doubleValue', 'double_value')) !== undefined && x !== null) return { doubleValue: double(x, `${path}.doubleValue`) };
    if ((x = field(o, 'arrayValue', 'array_value')) !== undefined && x !== null) {
      const a = obj(x, `${path}.arrayValue`);
      return { arrayValue: { values: arr(field(a, 'values'), `${path}.arrayValue.values`, (y, p) => this.anyValue(y, p, depth + 1)) } };
    }
    if ((x = field(o, 'kvlistValue', 'kvlist_value')) !== undefined && x !== null) {
      const k = obj(x, `${path}.kvlistValue`);
      return { kvlistValue: { values: this.attributes(field(k, 'values'), `${path}.kvlistValue.values`, depth + 1) } };
    }
    if ((x = field(o, 'bytesValue', 'bytes_value')) !== undefined && x !== null) return { bytesValue: base64(x, `${path}.bytesValue`) };
    return {};
  }
}

function field(o: Obj, camel: string, snake?: string): unknown {
  const v = o[camel];
  if (v !== undefined || snake === undefined) return v;
  return o[snake];
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OtlpDecodeError('expected an object', path || '(root)');
  return v as Obj;
}

function arr<T>(v: unknown, path: string, each: (x: unknown, path: string) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError('expected an array', path);
  const out = new Array<T>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = each(v[i], `${path}[${i}]`);
  return out;
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpDecodeError('expected a string', path);
  return v;
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

function hexId(v: unknown, path: string): Uint8Array {
  if (v === undefined || v === null || v === '') return new Uint8Array(0);
  if (typeof v !== 'string') throw new OtlpDecodeError('expected a hex string', path);
  if (!HEX_RE.test(v)) throw new OtlpDecodeError(`not an even-length hex string: ${JSON.stringify(v.slice(0, 40))}`, path);
  return Buffer.from(v, 'hex');
}

const INT_RE = /^-?\d+$/;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function int64(v: unknown, unsigned: boolean, path: string): Int64Like {
  if (v === undefined || v === null) return 0;
  let b: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new OtlpDecodeError(`expected an integer, got ${v}`, path);
    b = BigInt(v);
  } else if (typeof v === 'string' && INT_RE.test(v) && v.length <= 21) {
    b = BigInt(v);
  } else {
    throw new OtlpDecodeError('expected an integer (number or decimal string)', path);
  }
  if (unsigned ? b < 0n || b > U64_MAX : b < I64_MIN || b > I64_MAX) {
    throw new OtlpDecodeError(`integer out of ${unsigned ? 'uint64' : 'int64'} range`, path);
  }
  return bigIntToInt64(b);
}

function uint32(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && INT_RE.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffff_ffff) {
    throw new OtlpDecodeError('expected a uint32', path);
  }
  return n;
}

function double(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
  }
  throw new OtlpDecodeError('expected a number', path);
}

function enumValue(v: unknown, names: Record<string, number>, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fff_ffff) return v;
  if (typeof v === 'string') {
    const n = names[v];
    if (n !== undefined) return n;
    if (INT_RE.test(v)) return enumValue(Number(v), names, path);
  }
  throw new OtlpDecodeError(`unknown enum value ${JSON.stringify(v)}; expected one of ${Object.keys(names).join(', ')} or an integer`, path);
}

const B64_RE = /^[A-Za-z0-9+/\-_]*={0,2}$/;

function base64(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'string' || !B64_RE.test(v)) throw new OtlpDecodeError('expected base64', path);
  return Buffer.from(v, 'base64');
}
