// One export request's work after its body is read: decode, convert, consume (durable), and
// for forwarding annotate and re-encode. Runs on the main thread or inside a consume worker.
import { asPipelineError, createRedactor, PipelineError, type AuditPipeline, type AuthenticatedIdentity, type ConsumeResult, type NeutralSpan, type Redactor } from '@agentrail/core';
import { annotateRecordedSpans, withoutRejectedSpans } from '../forward/annotate.js';
import { redactTraceRequest } from '../forward/redact-request.js';
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

/** A PipelineError as it crosses a worker boundary (PipelineError.fromJSON makes it again). */
export type BatchError = ReturnType<PipelineError['toJSON']>;

export type BatchOutcome =
  // Counts rather than one result per span: cheaper to pass from a worker to the main thread.
  | { kind: 'ok'; counts: ResultCounts; forward: Uint8Array | null }
  /** Nothing was acknowledged: invalid input (400), not durable (503), or a bug (500). */
  | { kind: 'error'; error: BatchError };

export function batchError(err: unknown): BatchOutcome {
  if (err instanceof OtlpDecodeError) return { kind: 'error', error: new PipelineError('invalid', err.code, err.message).toJSON() };
  return { kind: 'error', error: asPipelineError(err).toJSON() };
}

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

// for an embedded pipeline that does not say which redactor it uses: the built-in rules
let fallbackRedactor: Redactor | undefined;

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
    if (err instanceof OtlpDecodeError) return batchError(err);
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
    // A lazily decoded body may turn out malformed part way: consume appended nothing. Anything
    // else with a code is the ledger failing (unavailable: the sender retries).
    return batchError(err);
  }
  let fwd: Uint8Array | null = null;
  // (the pool never splits a request when forwarding; request and batch are set then)
  if (forward && request && batch) {
    annotateRecordedSpans(batch.sources, results);
    // A span the audit refused (e.g. a spoofed agent in strict identity mode) is not passed on;
    // what is passed on (and spooled) has its secrets removed like the records.
    const kept = withoutRejectedSpans(request, batch.sources, results);
    fwd = encodeTraceRequestProto(redactTraceRequest(kept, pipeline.redactor ?? (fallbackRedactor ??= createRedactor())));
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
