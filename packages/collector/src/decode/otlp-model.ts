// The in-memory shape of an OTLP trace export request, shared by the protobuf and JSON decoders.
// Field names follow protobufjs's camelCase messages so a request decoded from JSON can be
// re-encoded as protobuf for forwarding.

/** A 64-bit integer as protobufjs (Long), JSON (string/number) or our code (bigint) produce it. */
export type Int64Like = number | string | bigint | { low: number; high: number; unsigned?: boolean };

export interface OtlpAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64Like | null;
  doubleValue?: number | null;
  arrayValue?: { values: OtlpAnyValue[] } | null;
  kvlistValue?: { values: OtlpKeyValue[] } | null;
  bytesValue?: Uint8Array | null;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue | null;
}

export interface OtlpEvent {
  timeUnixNano: Int64Like;
  name: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}

export interface OtlpSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string;
  parentSpanId: Uint8Array;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: Int64Like;
  endTimeUnixNano: Int64Like;
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number;
  events: OtlpEvent[];
  droppedEventsCount?: number;
  links: OtlpLink[];
  droppedLinksCount?: number;
  status?: { code: number; message?: string } | null;
}

export interface OtlpScopeSpans {
  scope?: { name: string; version?: string; attributes?: OtlpKeyValue[] } | null;
  spans: OtlpSpan[];
  schemaUrl?: string;
}

export interface OtlpResourceSpans {
  resource?: { attributes: OtlpKeyValue[]; droppedAttributesCount?: number } | null;
  scopeSpans: OtlpScopeSpans[];
  schemaUrl?: string;
}

export interface OtlpTraceRequest {
  resourceSpans: OtlpResourceSpans[];
}

const TWO_32 = 0x1_0000_0000n;

/** Converts any 64-bit representation to an unsigned or signed bigint. */
export function int64ToBigInt(v: Int64Like | null | undefined, unsigned: boolean): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v);
  const lo = BigInt(v.low >>> 0);
  const hi = BigInt(v.high >>> 0);
  const u = hi * TWO_32 + lo;
  return unsigned ? u : BigInt.asIntN(64, u);
}

/** The low/high form protobufjs's encoder accepts for 64-bit fields. */
export function bigIntToInt64(v: bigint): { low: number; high: number; unsigned: boolean } {
  const u = BigInt.asUintN(64, v);
  return { low: Number(u & 0xffff_ffffn) | 0, high: Number(u >> 32n) | 0, unsigned: v >= 0n };
}

export function bytesToHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
