// Which OTel span mirrors which live Agents SDK span. Code running inside an SDK span (a tool's
// `execute`) uses it to make the mirrored OTel span active, so `recordAuthorization`,
// `recordApproval` and any nested instrumentation attach to the right span.
import type { Span as OtelSpan } from '@opentelemetry/api';

const live = new WeakMap<object, OtelSpan>();

export function registerMirroredSpan(sdkSpan: object, otelSpan: OtelSpan): void {
  live.set(sdkSpan, otelSpan);
}

export function forgetMirroredSpan(sdkSpan: object): void {
  live.delete(sdkSpan);
}

export function mirroredSpan(sdkSpan: object): OtelSpan | undefined {
  return live.get(sdkSpan);
}
