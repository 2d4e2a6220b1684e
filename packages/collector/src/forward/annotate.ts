// Adds each audited span's place in the log to the span itself before it is forwarded, so a
// trace viewer links straight to the record: agentrail.record.index / agentrail.record.hash.
import type { ConsumeResult } from '@agentrail/core';
import { ATTR_AGENTRAIL_RECORD_HASH, ATTR_AGENTRAIL_RECORD_INDEX } from '@agentrail/semconv';
import { bigIntToInt64, type OtlpSpan, type OtlpTraceRequest } from '../decode/otlp-model.js';

export function annotateRecordedSpans(sources: readonly OtlpSpan[], results: readonly ConsumeResult[]): void {
  for (let i = 0; i < sources.length; i++) {
    const r = results[i];
    if (!r || r.status !== 'recorded') continue;
    const span = sources[i]!;
    // Decoded repeated fields may share a frozen empty array from the prototype.
    const attrs = Object.prototype.hasOwnProperty.call(span, 'attributes') && !Object.isFrozen(span.attributes) ? span.attributes : [...(span.attributes ?? [])];
    attrs.push(
      { key: ATTR_AGENTRAIL_RECORD_INDEX, value: { intValue: bigIntToInt64(BigInt(r.index)) } },
      { key: ATTR_AGENTRAIL_RECORD_HASH, value: { stringValue: r.recordHash } },
    );
    span.attributes = attrs;
  }
}

/** The request without the spans the audit rejected; the request itself when none was. */
export function withoutRejectedSpans(request: OtlpTraceRequest, sources: readonly OtlpSpan[], results: readonly ConsumeResult[]): OtlpTraceRequest {
  const rejected = new Set<OtlpSpan>();
  for (let i = 0; i < sources.length; i++) if (results[i]?.status === 'rejected') rejected.add(sources[i]!);
  if (rejected.size === 0) return request;
  return {
    ...request,
    resourceSpans: (request.resourceSpans ?? []).map((rs) => ({
      ...rs,
      scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({ ...ss, spans: (ss.spans ?? []).filter((s) => !rejected.has(s)) })),
    })),
  };
}
