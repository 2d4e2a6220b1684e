// One export request's work after its body is read: decode, convert, consume (durable), and
// for forwarding annotate and re-encode. Runs on the main thread or inside a consume worker.
import type { AuditPipeline, AuthenticatedIdentity, ConsumeResult } from '@agentrail/core';
import { annotateRecordedSpans } from './annotate.js';
import { OtlpDecodeError } from './errors.js';
import { decodeTraceRequestJson } from './otlp-json.js';
import type { OtlpTraceRequest } from './otlp-model.js';
import { decodeTraceRequestProto, encodeTraceRequestProto } from './otlp-proto.js';
import type { OtlpFormat } from './otlp-response.js';
import { toNeutralSpans, type SpanLimits } from './to-neutral.js';

export type BatchOutcome =
  | { kind: 'ok'; spans: number; results: ConsumeResult[]; forward: Uint8Array | null }
  /** The body is not a valid OTLP request: 400, nothing appended. */
  | { kind: 'invalid'; message: string }
  /** The records could not be made durable: 503, the sender retries. */
  | { kind: 'unavailable'; message: string }
  /** A bug: 500, logged; retrying the same request would not help. */
  | { kind: 'failed'; message: string };

export interface BatchInput {
  body: Uint8Array;
  format: OtlpFormat;
  authenticated: AuthenticatedIdentity | null;
}

/** Consume only the `index`-th of `of` contiguous slices of the request's spans. */
export interface BatchPart {
  index: number;
  of: number;
}

export async function processBatch(pipeline: AuditPipeline, input: BatchInput, limits: SpanLimits, forward: boolean, part?: BatchPart): Promise<BatchOutcome> {
  let request: OtlpTraceRequest;
  let batch;
  try {
    request = input.format === 'protobuf' ? decodeTraceRequestProto(input.body) : decodeTraceRequestJson(input.body, { maxDepth: limits.maxDepth });
    batch = toNeutralSpans(request, limits);
  } catch (err) {
    if (err instanceof OtlpDecodeError) return { kind: 'invalid', message: err.message };
    throw err;
  }
  let spans = batch.spans;
  if (part) {
    const lo = Math.floor((spans.length * part.index) / part.of);
    const hi = Math.floor((spans.length * (part.index + 1)) / part.of);
    spans = spans.slice(lo, hi);
  }
  const n = spans.length;
  if (n === 0) return { kind: 'ok', spans: 0, results: [], forward: null };
  let results: ConsumeResult[];
  try {
    results = await pipeline.consume(spans, { via: 'collector', authenticated: input.authenticated });
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    return { kind: 'unavailable', message: `${typeof e.code === 'string' ? e.code + ': ' : ''}${String(e.message ?? err)}` };
  }
  let fwd: Uint8Array | null = null;
  if (forward && !part) {
    annotateRecordedSpans(batch.sources, results);
    fwd = encodeTraceRequestProto(request);
  }
  return { kind: 'ok', spans: n, results, forward: fwd };
}
