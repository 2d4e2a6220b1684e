// The neutral span both front doors map into: the OTel SDK's ReadableSpan here, decoded OTLP in
// the collector.
import type { AttributeValue } from '@agentrail/semconv';

export type { AttributeValue };

export interface NeutralSpan {
  /** 32 lowercase hex */
  traceId: string;
  /** 16 lowercase hex */
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  scope: { name: string; version?: string } | null;
  /** OTLP status: 0 unset, 1 ok, 2 error */
  status: { code: 0 | 1 | 2; message?: string };
  events: { name: string; timeUnixNano: bigint; attributes: Record<string, AttributeValue> }[];
}

type SdkAttributeValue = string | number | boolean | ReadonlyArray<string | number | boolean | null | undefined> | undefined;
type SdkAttributes = Readonly<Record<string, SdkAttributeValue>>;
type HrTime = readonly [number, number];

/**
 * The parts of the OpenTelemetry SDK's `ReadableSpan` (sdk-trace-base 2.x and 3.x) that are
 * read. Declared structurally so this package needs no SDK dependency.
 */
export interface ReadableSpanLike {
  readonly name: string;
  readonly kind: number;
  spanContext(): { traceId: string; spanId: string };
  readonly parentSpanContext?: { spanId: string } | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: { code: number; message?: string };
  readonly attributes: SdkAttributes;
  readonly events: ReadonlyArray<{ name: string; time: HrTime; attributes?: SdkAttributes }>;
  readonly resource: { readonly attributes: SdkAttributes };
  readonly instrumentationScope: { readonly name: string; readonly version?: string };
}

function hrTimeToNanos(t: HrTime): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}

function convertAttributes(attrs: SdkAttributes): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined) continue;
    const value: AttributeValue = Array.isArray(v) ? v.map((x) => (x === undefined ? null : (x as string | number | boolean | null))) : v as string | number | boolean;
    // an attribute named __proto__ is data like any other, not the object's prototype
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/**
 * A shallow copy of SDK attributes. Object spread copies in one step (several times cheaper than
 * a loop of stores); only when a value is undefined, or an array holds undefined, is it rebuilt
 * value by value. Arrays are shared with the span, which no longer changes once ended.
 */
function copyAttributes(attrs: SdkAttributes | undefined): Record<string, AttributeValue> {
  if (attrs === undefined) return {};
  const out = { ...attrs };
  for (const key in out) {
    const v = out[key];
    if (v === undefined || (Array.isArray(v) && v.includes(undefined))) return convertAttributes(attrs);
  }
  return out as Record<string, AttributeValue>;
}

/** OTel SDK span → NeutralSpan. SDK SpanKind (INTERNAL = 0) becomes OTLP SpanKind (INTERNAL = 1). */
export function fromReadableSpan(span: ReadableSpanLike): NeutralSpan {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  const code = span.status.code;
  const message = span.status.message;
  const scope = span.instrumentationScope;
  const events = span.events;
  return {
    traceId: ctx.traceId.toLowerCase(),
    spanId: ctx.spanId.toLowerCase(),
    parentSpanId: parent !== undefined && parent !== '' ? parent.toLowerCase() : null,
    name: span.name,
    kind: span.kind + 1,
    startTimeUnixNano: hrTimeToNanos(span.startTime),
    endTimeUnixNano: hrTimeToNanos(span.endTime),
    attributes: copyAttributes(span.attributes),
    resource: copyAttributes(span.resource.attributes),
    scope: scope.version !== undefined ? { name: scope.name, version: scope.version } : { name: scope.name },
    status: message !== undefined
      ? { code: code === 1 || code === 2 ? code : 0, message }
      : { code: code === 1 || code === 2 ? code : 0 },
    events: events.length === 0 ? [] : events.map((e) => ({ name: e.name, timeUnixNano: hrTimeToNanos(e.time), attributes: copyAttributes(e.attributes) })),
  };
}
