// One export request's work after its body is read: decode, convert, consume (durable), and
// for forwarding annotate and re-encode. Runs on the main thread or inside a consume worker.
import type { AuditPipeline, AuthenticatedIdentity, ConsumeResult, NeutralSpan } from '@agentrail/core';
import { annotateRecordedSpans } from '../forward/annotate.js';
import { OtlpDecodeError } from '../errors.js';
import { decodeTraceRequestJson } from '../decode/otlp-json.js';
import type { OtlpTraceRequest } from '../decode/otlp-model.js';
import { decodeTraceRequestProto, encodeTraceRequestProto } from '../decode/otlp-proto.js';
import type { OtlpFormat } from '../decode/otlp-response.js';
import { protoSpans } from '../decode/proto-to-neutral.js';
import { toNeutralSpans, type NeutralBatch, type SpanLimits } from '../decode/to-neutral.js';

/** What the HTTP handler needs of a batch's results: counts and the first refusal. */
export interface ResultCounts {
  recorded: number;
  /** Recorded with at least one flag. */
  flagged: number;
  skipped: number;
  rejected: number;
  /** `code: reason` of the first rejected span, or ''. */
  firstRejection: string;
}

export type BatchOutcome =
  // Counts rather than one result per span: cheaper to pass from a worker to the main thread.
  | { kind: 'ok'; counts: ResultCounts; forward: Uint8Array | null }
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
  let request: OtlpTraceRequest | null = null;
  let batch: NeutralBatch | null = null;
  let spans: Iterable<NeutralSpan>;
  try {
    if (input.format === 'protobuf' && !forward) {
      // The audit path needs only neutral spans: decode straight to them, one at a time as the
      // pipeline maps them (a decoding error still refuses the whole request: see below).
      spans = protoSpans(input.body, limits);
      // A slice needs the count first; every slice decodes the whole body, so all refuse a bad one.
      if (part) spans = Array.from(spans);
    } else {
      // Forwarding re-encodes the decoded request with record links added: keep its model.
      request = input.format === 'protobuf' ? decodeTraceRequestProto(input.body) : decodeTraceRequestJson(input.body, { maxDepth: limits.maxDepth });
      batch = toNeutralSpans(request, limits);
      spans = batch.spans;
    }
  } catch (err) {
    if (err instanceof OtlpDecodeError) return { kind: 'invalid', message: err.message };
    throw err;
  }
  if (part) {
    const all = spans as NeutralSpan[];
    const lo = Math.floor((all.length * part.index) / part.of);
    const hi = Math.floor((all.length * (part.index + 1)) / part.of);
    spans = all.slice(lo, hi);
  }
  let results: ConsumeResult[];
  try {
    results = await pipeline.consume(spans, { via: 'collector', authenticated: input.authenticated });
  } catch (err) {
    // A lazily decoded body may turn out malformed part way: consume appended nothing.
    if (err instanceof OtlpDecodeError) return { kind: 'invalid', message: err.message };
    const e = err as { code?: unknown; message?: unknown };
    return { kind: 'unavailable', message: `${typeof e.code === 'string' ? e.code + ': ' : ''}${String(e.message ?? err)}` };
  }
  let fwd: Uint8Array | null = null;
  // (the pool never splits a request when forwarding; request and batch are set then)
  if (forward && request && batch) {
    annotateRecordedSpans(batch.sources, results);
    fwd = encodeTraceRequestProto(request);
  }
  return { kind: 'ok', counts: countResults(results), forward: fwd };
}

function countResults(results: readonly ConsumeResult[]): ResultCounts {
  const c: ResultCounts = { recorded: 0, flagged: 0, skipped: 0, rejected: 0, firstRejection: '' };
  for (const r of results) {
    if (r.status === 'recorded') {
      c.recorded++;
      if (r.flags.length > 0) c.flagged++;
    } else if (r.status === 'skipped') c.skipped++;
    else {
      if (c.rejected === 0) c.firstRejection = `${r.code}: ${r.reason}`;
      c.rejected++;
    }
  }
  return c;
}

/** The counts of a request's slices, in slice order. */
export function addCounts(parts: readonly ResultCounts[]): ResultCounts {
  const c: ResultCounts = { recorded: 0, flagged: 0, skipped: 0, rejected: 0, firstRejection: '' };
  for (const p of parts) {
    c.recorded += p.recorded;
    c.flagged += p.flagged;
    c.skipped += p.skipped;
    if (!c.firstRejection) c.firstRejection = p.firstRejection;
    c.rejected += p.rejected;
  }
  return c;
}
