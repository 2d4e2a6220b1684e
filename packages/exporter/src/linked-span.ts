// A read-only view of an SDK span with extra attributes and its secrets redacted, for
// forwarding. The SDK's own span object is never mutated: other processors may still hold it.
import type { AttributeValue, Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { REDACTED, type Redactor } from '@agentrail/core';

function redactAttributes(own: Attributes | undefined, r: Redactor): Attributes | undefined {
  if (own === undefined) return own;
  let out: Attributes | null = null;
  for (const key in own) {
    const v = own[key];
    const k = key.length >= 8 ? r.redactString(key) : key;
    let w: AttributeValue | undefined = v;
    if (typeof v === 'string' || Array.isArray(v)) {
      w = r.denies(key) && v !== '' ? REDACTED : (r.redactValue(v as never) as AttributeValue);
    }
    if (w !== v || k !== key) {
      if (out === null) {
        out = {};
        for (const before in own) {
          if (before === key) break;
          out[before] = own[before];
        }
      }
    }
    if (out !== null) out[k] = w;
  }
  return out ?? own;
}

export class LinkedSpan implements ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly spanContext: () => SpanContext;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: ReadableSpan['resource'];
  readonly instrumentationScope: ReadableSpan['instrumentationScope'];
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;

  constructor(span: ReadableSpan, extra: Attributes, redactor: Redactor) {
    this.name = redactor.redactString(span.name);
    this.kind = span.kind;
    const ctx = span.spanContext();
    this.spanContext = () => ctx;
    this.parentSpanContext = span.parentSpanContext;
    this.startTime = span.startTime;
    this.endTime = span.endTime;
    this.status = span.status.message ? { ...span.status, message: redactor.redactString(span.status.message) } : span.status;
    // A plain copy loop: several times cheaper than object spread for the dotted keys spans use.
    const attributes: Attributes = {};
    const own = redactAttributes(span.attributes, redactor)!;
    for (const key in own) attributes[key] = own[key];
    for (const key in extra) attributes[key] = extra[key];
    this.attributes = attributes;
    this.links = span.links.map((l) => (l.attributes === undefined ? l : { ...l, attributes: redactAttributes(l.attributes, redactor)! }));
    this.events = span.events.map((e) => {
      const name = redactor.redactString(e.name);
      const attrs = redactAttributes(e.attributes, redactor);
      return name === e.name && attrs === e.attributes ? e : { ...e, name, ...(attrs !== undefined ? { attributes: attrs } : {}) };
    });
    this.duration = span.duration;
    this.ended = span.ended;
    // the resource keeps its methods; only the attributes the serializer reads are replaced
    const resAttrs = redactAttributes(span.resource.attributes, redactor)!;
    this.resource = resAttrs === span.resource.attributes ? span.resource : Object.create(span.resource, { attributes: { value: resAttrs, enumerable: true } }) as ReadableSpan['resource'];
    this.instrumentationScope = span.instrumentationScope;
    this.droppedAttributesCount = span.droppedAttributesCount;
    this.droppedEventsCount = span.droppedEventsCount;
    this.droppedLinksCount = span.droppedLinksCount;
  }
}
