// AuditSpanProcessor: a batching SpanProcessor for audit data that never loses spans silently.
//
// The SDK's BatchSpanProcessor drops a span whenever its queue already holds maxQueueSize spans
// (default 2048), logs that only at debug/warn level, and never retries a batch its exporter
// answered FAILED. For audit that is silent loss. This processor instead:
//   - exports as soon as a full batch is queued, and retries a failed batch with backoff;
//   - when its queue is full, or a batch fails `maxExportAttempts` times, counts the lost spans
//     and writes a gap marker into the ledger (count, time window, reason, trace ids), so the
//     loss is part of the tamper-evident record;
//   - `forceFlush()` drains the queue and rejects if the audit cannot be written: it is the point
//     where an agent can wait for (and learn about) durability.
import { diag, TraceFlags, type Context } from '@opentelemetry/api';
import { ExportResultCode, globalErrorHandler, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@agentrail/semconv';
import { AuditWriteError, ExporterConfigError, ExporterShutdownError } from './errors.js';
import type { AuditSpanExporter } from './exporter.js';
import { GapCounter, type GapReason } from './gap.js';
import { positiveInt } from './validate.js';

export interface AuditSpanProcessorOptions {
  /** Spans held in memory waiting for export (default 16384). Beyond it spans become a gap. */
  maxQueueSize?: number;
  /** Spans per export (default 512). */
  maxExportBatchSize?: number;
  /** Longest a span waits before a partial batch is exported, in ms (default 500). */
  scheduledDelayMillis?: number;
  /** Attempts per batch before its spans are counted as a gap (default 16, about a minute). */
  maxExportAttempts?: number;
  /** First retry delay in ms, doubled per attempt up to 5 s (default 100). */
  retryDelayMillis?: number;
}

/** Counters of an `AuditSpanProcessor`. */
export interface AuditProcessorStats {
  queued: number;
  exported: number;
  retries: number;
  /** Spans lost (queue full, export failed for good, or ended after shutdown). */
  lost: number;
  /** Lost spans not yet covered by a gap marker in the ledger. */
  unrecordedGap: number;
}

const MAX_RETRY_DELAY_MS = 5_000;
const SHUTDOWN_ATTEMPTS = 3;

function exportOnce(exporter: AuditSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/**
 * A `SpanProcessor` for `AuditSpanExporter` that batches like `BatchSpanProcessor` but never
 * drops silently: every lost span is counted in a gap marker written to the ledger.
 */
export class AuditSpanProcessor implements SpanProcessor {
  readonly #exporter: AuditSpanExporter;
  readonly #maxQueueSize: number;
  readonly #batchSize: number;
  readonly #delayMs: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  #queue: ReadableSpan[] = [];
  readonly #gap = new GapCounter();
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #shutdown: Promise<void> | undefined;
  #lastError: Error | undefined;
  // Spans ever queued / taken off the queue (exported or lost), so a flush waits only for the
  // spans that ended before it was called, not for a stream that never stops.
  #enqueued = 0;
  #removed = 0;
  #progressWaiters: Array<() => void> = [];
  #lateSpans = 0;
  // `queued` and `unrecordedGap` are read off the queue and the gap counter.
  readonly #stats = { exported: 0, retries: 0, lost: 0 };

  constructor(exporter: AuditSpanExporter, options: AuditSpanProcessorOptions = {}) {
    if (!exporter || typeof exporter.export !== 'function' || typeof exporter.recordGap !== 'function') {
      throw new ExporterConfigError('AuditSpanProcessor needs an AuditSpanExporter');
    }
    this.#exporter = exporter;
    this.#maxQueueSize = positiveInt(options.maxQueueSize, 16_384, 'maxQueueSize');
    this.#batchSize = Math.min(positiveInt(options.maxExportBatchSize, 512, 'maxExportBatchSize'), this.#maxQueueSize);
    this.#delayMs = positiveInt(options.scheduledDelayMillis, 500, 'scheduledDelayMillis');
    this.#maxAttempts = positiveInt(options.maxExportAttempts, 16, 'maxExportAttempts');
    this.#retryDelayMs = positiveInt(options.retryDelayMillis, 100, 'retryDelayMillis');
  }

  get stats(): AuditProcessorStats {
    return { ...this.#stats, queued: this.#queue.length, unrecordedGap: this.#gap.count };
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.#shutdown) {
      this.#lose(span, 'after_shutdown');
      // The first, then every 1000th: a late burst must not flood the log.
      if (this.#lateSpans++ % 1000 === 0) {
        diag.error(`agentrail: spans ended after the audit processor shut down and were not recorded (${this.#lateSpans} so far)`);
      }
      return;
    }
    if (this.#queue.length >= this.#maxQueueSize) {
      if (this.#gap.count === 0) diag.warn('agentrail: audit queue full; counting lost spans for a gap marker in the ledger');
      this.#lose(span, 'queue_full');
      return;
    }
    this.#queue.push(span);
    this.#enqueued++;
    if (this.#queue.length >= this.#batchSize) this.#drainSoon(0);
    else this.#drainSoon(this.#delayMs);
  }

  /** Exports everything queued; rejects when the audit could not be written. */
  async forceFlush(): Promise<void> {
    if (this.#shutdown) return this.#shutdown;
    await this.#flushAll();
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      try {
        await this.#flushAll();
      } catch (err) {
        globalErrorHandler(err as Error);
      }
      // A drain may still be running (it retries at most SHUTDOWN_ATTEMPTS times now); let it
      // finish before the queue is touched here.
      while (this.#draining) await this.#draining.catch(() => {});
      if (this.#queue.length > 0) {
        for (const span of this.#queue) this.#lose(span, 'export_failed');
        this.#removed += this.#queue.length;
        this.#queue = [];
      }
      if (this.#gap.count > 0) {
        diag.error(`agentrail: ${this.#gap.count} lost spans could not be recorded as a gap in the ledger before shutdown`);
      }
      await this.#exporter.shutdown();
    })();
    return this.#shutdown;
  }

  #lose(span: ReadableSpan, reason: GapReason): void {
    this.#stats.lost++;
    const service = span.resource?.attributes[ATTR_SERVICE_NAME];
    this.#gap.add(hrTimeToMilliseconds(span.endTime), span.spanContext().traceId, reason, typeof service === 'string' ? service : undefined);
  }

  #drainSoon(delayMs: number): void {
    if (this.#draining) return; // the running drain picks up new spans
    if (this.#timer && delayMs > 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#drain().catch((err: unknown) => globalErrorHandler(err as Error));
    }, delayMs);
    this.#timer.unref();
  }

  async #flushAll(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#lastError = undefined;
    const target = this.#enqueued;
    // Wait for the spans queued so far (not for a stream that never stops) and any gap marker.
    for (;;) {
      if (this.#removed >= target && this.#gap.count === 0) return;
      if (this.#lastError) throw this.#lastError;
      const progress = this.#nextProgress();
      if (!this.#draining) void this.#drain().catch(() => {});
      await progress;
    }
  }

  #nextProgress(): Promise<void> {
    return new Promise((resolve) => this.#progressWaiters.push(resolve));
  }

  #notifyProgress(): void {
    const waiters = this.#progressWaiters;
    this.#progressWaiters = [];
    for (const w of waiters) w();
  }

  /** One drain at a time: exports batches in order until the queue is empty. */
  #drain(): Promise<void> {
    this.#draining ??= this.#runDrain().finally(() => {
      this.#draining = undefined;
      this.#notifyProgress();
      if (this.#queue.length > 0 && !this.#shutdown) this.#drainSoon(this.#delayMs);
    });
    return this.#draining;
  }

  async #runDrain(): Promise<void> {
    while (this.#queue.length > 0 || this.#gap.count > 0) {
      await this.#writeGap();
      if (this.#queue.length === 0) {
        if (this.#lastError) return;
        continue;
      }
      const batch = this.#queue.slice(0, this.#batchSize);
      const error = await this.#exportWithRetry(batch);
      this.#queue.splice(0, batch.length);
      this.#removed += batch.length;
      if (error) {
        for (const span of batch) this.#lose(span, 'export_failed');
        this.#lastError = error;
        diag.error(`agentrail: ${batch.length} spans could not be recorded after ${this.#maxAttempts} attempts; they will be recorded as a gap: ${error.message}`);
        return;
      }
      this.#stats.exported += batch.length;
      this.#notifyProgress();
    }
  }

  async #writeGap(): Promise<void> {
    const gap = this.#gap.take();
    if (!gap) return;
    try {
      await this.#exporter.recordGap(gap);
    } catch (err) {
      this.#gap.restore(gap);
      this.#lastError = err instanceof Error ? err : new AuditWriteError(String(err));
    }
  }

  async #exportWithRetry(batch: ReadableSpan[]): Promise<Error | undefined> {
    let delay = this.#retryDelayMs;
    let error: Error | undefined;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const result = await exportOnce(this.#exporter, batch);
      if (result.code === ExportResultCode.SUCCESS) return undefined;
      error = result.error ?? new AuditWriteError('the audit export failed');
      if (error instanceof ExporterShutdownError) break;
      if (this.#shutdown && attempt >= SHUTDOWN_ATTEMPTS) break; // shutdown must not hang for a minute
      if (attempt < this.#maxAttempts) {
        this.#stats.retries++;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
    return error;
  }
}
