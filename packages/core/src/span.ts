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

function copyAttributes(attrs: SdkAttributes | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (attrs === undefined) return out;
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined) continue;
    if (Array.isArray(v)) out[key] = v.map((x) => (x === undefined ? null : (x as string | number | boolean | null)));
    else out[key] = v as string | number | boolean;
  }
  return out;
}

/** `s` in lowercase; SDK ids already are, and toLowerCase would still copy them. */
function lowerHex(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return s.toLowerCase();
  }
  return s;
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
    traceId: lowerHex(ctx.traceId),
    spanId: lowerHex(ctx.spanId),
    parentSpanId: parent !== undefined && parent !== '' ? lowerHex(parent) : null,
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
