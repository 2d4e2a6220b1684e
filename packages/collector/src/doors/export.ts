// The protocol-independent export core both listeners call (as the OTel Collector's
// internal/trace/otlp.go): a read request body and the sender's identity in, durable records
// and counts out, or one PipelineError. Admission (concurrent requests, bytes in flight) is
// taken here, after the body is read, so a client still sending its body holds no slot.
// Doors do transport only: limits, decompression, credentials, and mapping the outcome.
import { PipelineError, PushbackError, type AuthenticatedIdentity } from '@agentrail/core';
import type { OtlpFormat } from '../decode/otlp-response.js';
import type { PartialSuccess } from '../decode/otlp-proto.js';
import type { Forwarder } from '../forward/forward.js';
import type { Logger } from '../logger.js';
import type { CollectorMetrics } from '../metrics.js';
import type { Admission } from '../transport/admission.js';
import type { BatchProcessor } from '../work/worker-pool.js';

export type Signal = 'traces';

export interface ExportRequest {
  signal: Signal;
  body: Uint8Array;
  format: OtlpFormat;
  authenticated: AuthenticatedIdentity | null;
}

export interface ExportCoreDeps {
  processor: BatchProcessor;
  admission: Admission;
  metrics: CollectorMetrics;
  log: Logger;
  forwarder: Forwarder | null;
  retryAfterSeconds: number;
  /** false while starting or shutting down: arriving requests are answered unavailable. */
  isReady(): boolean;
}

export interface ExportCore {
  /** Called on arrival (a request that arrived before shutdown is finished, not refused): the refusal while starting or stopping. */
  refusal(): PipelineError | null;
  /** Resolves once the request's records are durable, with the partial-success counts; rejects with a PipelineError. */
  export(request: ExportRequest): Promise<PartialSuccess | null>;
}

export function createExportCore(deps: ExportCoreDeps): ExportCore {
  const { admission, metrics } = deps;
  return {
    refusal() {
      return deps.isReady() ? null : new PipelineError('unavailable', 'ERR_SHUTTING_DOWN', 'collector is starting or shutting down; retry later', deps.retryAfterSeconds);
    },
    async export(request) {
      if (!admission.enterRequest()) throw new PushbackError('too many concurrent requests; retry later', deps.retryAfterSeconds);
      try {
        // Taken before processing: a worker may take over (detach) the body's memory.
        const size = request.body.byteLength;
        if (!admission.admitBytes(size)) throw new PushbackError(`collector is at capacity (${admission.inflightBytes} bytes in flight); retry later`, deps.retryAfterSeconds);
        let outcome;
        try {
          outcome = await deps.processor.process({ body: request.body, format: request.format, authenticated: request.authenticated });
        } finally {
          admission.releaseBytes(size);
        }
        if (outcome.kind === 'error') {
          const err = PipelineError.fromJSON(outcome.error);
          // Nothing was acknowledged: the sender keeps the data (and retries when retryable).
          if (err.kind === 'bug') deps.log.error('unexpected error processing a request', { reason: err.message });
          else if (err.kind === 'unavailable') deps.log.error('could not make records durable', { reason: err.message });
          throw err.retryable && err.retryAfterSeconds === undefined ? new PipelineError(err.kind, err.code, err.message, deps.retryAfterSeconds) : err;
        }
        const { recorded, flagged, skipped, rejected, firstRejection } = outcome.counts;
        const n = recorded + skipped + rejected;
        metrics.spansReceived.inc(n);
        if (recorded) metrics.spansRecorded.inc(recorded);
        if (flagged) metrics.spansFlagged.inc(flagged);
        if (skipped) metrics.spansSkipped.inc(skipped);
        if (rejected) metrics.spansRejected.inc(rejected);
        if (deps.forwarder && outcome.forward) await deps.forwarder.enqueue(outcome.forward, n - rejected);
        return rejected ? { rejectedSpans: rejected, errorMessage: `${rejected} of ${n} spans rejected; first: ${firstRejection}` } : null;
      } finally {
        admission.leaveRequest();
      }
    },
  };
}
