// Adds each audited span's place in the log to the span itself before it is forwarded, so a
// trace viewer links straight to the record: agentrail.record.index / agentrail.record.hash.
import type { ConsumeResult } from '@agentrail/core';
import { ATTR_AGENTRAIL_RECORD_HASH, ATTR_AGENTRAIL_RECORD_INDEX } from '@agentrail/semconv';
import { bigIntToInt64, type OtlpSpan } from '../decode/otlp-model.js';

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
