// AuditSpanExporter: an OpenTelemetry SpanExporter that turns spans into audit records in a
// signed Merkle log, then (optionally) forwards them, tagged with their record's place in the log.
import { join } from 'node:path';
import { context, diag, type Attributes } from '@opentelemetry/api';
import { ExportResultCode, globalErrorHandler, suppressTracing, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  createRedactor,
  openAuditLog,
  fromReadableSpan,
  type AuditPipeline,
  type ConsumeResult,
  type EvidenceStore,
  type NeutralSpan,
  type RedactionOptions,
  type Redactor,
} from '@agentrail/core';
import type { Ledger } from '@agentrail/ledger';
import { ATTR_AGENTRAIL_RECORD_HASH, ATTR_AGENTRAIL_RECORD_INDEX } from '@agentrail/semconv';
import { AuditWriteError, ExporterConfigError, ExporterShutdownError, LedgerOpenError } from './errors.js';
import { gapSpan, type GapReport } from './gap.js';
import { LinkedSpan } from './linked-span.js';
import { positiveInt } from './validate.js';
import { emptyStats, type AuditExporterStats } from './stats.js';

export interface AuditSpanExporterOptions {
  /** Data directory; the ledger lives in `<dataDir>/log`. Required unless `ledger` is given. */
  dataDir?: string;
  /**
   * Signed-note private key (`PRIVATE+KEY+...`), or a function that loads it when the ledger is
   * first opened. Required unless `ledger` is given.
   */
  signerKey?: string | (() => Promise<string>);
  /** Checkpoint origin line (default: the key name). */
  origin?: string;
  /** How often the ledger publishes a checkpoint while records arrive. */
  checkpointIntervalMs?: number;
  /**
   * An already-open ledger to append to (embedding). The exporter publishes a checkpoint at
   * shutdown but does not close it: its opener does.
   */
  ledger?: Ledger;
  /** Where spans go after they are recorded (e.g. an `OTLPTraceExporter` pointed at Jaeger). */
  forwardTo?: SpanExporter;
  /**
   * Longest wait for the forward exporter to answer one batch before it counts as failed, in ms
   * (default 30000), so a hung backend cannot stall `forceFlush()` or `shutdown()`.
   */
  forwardTimeoutMillis?: number;
  /**
   * Most spans handed to the forward exporter and not yet answered (default 16384). Beyond it
   * batches are not forwarded (counted in `stats.forwardFailures`): a slow backend costs trace
   * data, never memory without bound and never audit records.
   */
  maxPendingForwardSpans?: number;
  /** Keeps salts and payloads beside the ledger so commitments can be opened later. */
  evidence?: EvidenceStore;
  /** Secret-redaction settings passed to the pipeline (on by default). */
  redaction?: RedactionOptions;
  /** What to do with a span whose claimed agent does not match: flag it (default) or reject it. */
  identity?: 'flag' | 'reject';
}

interface OpenState {
  ledger: Ledger;
  ownsLedger: boolean;
  pipeline: AuditPipeline;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function deliver(cb: (r: ExportResult) => void, result: ExportResult): void {
  try {
    cb(result);
  } catch (err) {
    // The SDK's callback threw; that is its failure, not a second answer from us.
    globalErrorHandler(toError(err));
  }
}

/**
 * The OpenTelemetry `SpanExporter` contract, for audit: `export()` never throws and calls back
 * once, with SUCCESS only after every span's record is durable in the ledger (fsynced) and
 * FAILED with the error otherwise. Forwarding happens after the audit succeeded and never
 * changes the answer. `shutdown()` is idempotent, waits for exports in flight, publishes a final
 * checkpoint; every export after it answers FAILED. All of its own I/O runs with tracing suppressed.
 */
export class AuditSpanExporter implements SpanExporter {
  readonly #options: AuditSpanExporterOptions;
  readonly #stats: AuditExporterStats = emptyStats();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #forwarding = new Set<Promise<void>>();
  /** For a caller's ledger pipeline that does not say which redactor it uses. */
  #redactor: Redactor | undefined;
  #opening: Promise<OpenState> | undefined;
  #shutdown: Promise<void> | undefined;
  #forwardWarned = 0;
  readonly #forwardTimeoutMs: number;
  readonly #maxPendingForwardSpans: number;

  constructor(options: AuditSpanExporterOptions) {
    if (options === null || typeof options !== 'object') throw new ExporterConfigError('AuditSpanExporter needs an options object');
    if (!options.ledger) {
      if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) {
        throw new ExporterConfigError('AuditSpanExporter needs `dataDir` (or an open `ledger`)');
      }
      if (typeof options.signerKey !== 'function' && (typeof options.signerKey !== 'string' || options.signerKey.length === 0)) {
        throw new ExporterConfigError('AuditSpanExporter needs `signerKey` (or an open `ledger`); create one with `agentrail keygen`');
      }
    }
    if (options.forwardTo !== undefined && typeof options.forwardTo?.export !== 'function') {
      throw new ExporterConfigError('`forwardTo` must be an OpenTelemetry SpanExporter');
    }
    if (options.identity !== undefined && options.identity !== 'flag' && options.identity !== 'reject') {
      throw new ExporterConfigError('`identity` must be "flag" or "reject"');
    }
    this.#forwardTimeoutMs = positiveInt(options.forwardTimeoutMillis, 30_000, 'forwardTimeoutMillis');
    this.#maxPendingForwardSpans = positiveInt(options.maxPendingForwardSpans, 16_384, 'maxPendingForwardSpans');
    this.#options = { ...options };
  }

  /** A snapshot of the counters. */
  get stats(): AuditExporterStats {
    return { ...this.#stats };
  }

  /** Whether `shutdown()` has been called. */
  get isShutdown(): boolean {
    return this.#shutdown !== undefined;
  }

  /**
   * Opens the ledger now (it is otherwise opened by the first export) and returns it, e.g. to
   * make receipts. Rejects with `LedgerOpenError` when it cannot be opened; a later call retries.
   */
  async open(): Promise<Ledger> {
    if (this.#shutdown) throw new ExporterShutdownError();
    return (await this.#open()).ledger;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#shutdown) {
      this.#stats.failedExports++;
      this.#stats.failedSpans += spans.length;
      deliver(resultCallback, { code: ExportResultCode.FAILED, error: new ExporterShutdownError() });
      return;
    }
    const done = context.with(suppressTracing(context.active()), () => this.#export(spans));
    this.#inflight.add(done);
    void done.then(
      (result) => {
        this.#inflight.delete(done);
        deliver(resultCallback, result);
      },
      (err: unknown) => {
        // #export handles its own errors; this only keeps the "exactly once" promise if it did not.
        this.#inflight.delete(done);
        deliver(resultCallback, { code: ExportResultCode.FAILED, error: toError(err) });
      },
    );
  }

  /**
   * Records a gap marker: `count` spans were lost before reaching the ledger (e.g. a full queue),
   * so the log itself says that records are missing, when and why. Resolves once it is durable.
   */
  async recordGap(gap: GapReport): Promise<void> {
    if (this.#shutdown) throw new ExporterShutdownError('the audit exporter is shut down; the gap could not be recorded');
    const run = context.with(suppressTracing(context.active()), async () => {
      const { pipeline } = await this.#open();
      const [result] = await pipeline.consume([gapSpan(gap)], { via: 'exporter' });
      if (result?.status !== 'recorded') {
        throw new AuditWriteError(`the gap marker for ${gap.count} lost spans was not recorded (${result?.status ?? 'no result'})`);
      }
      this.#stats.gapRecords++;
      this.#stats.gapSpans += gap.count;
    });
    this.#inflight.add(run);
    try {
      await run;
    } finally {
      this.#inflight.delete(run);
    }
  }

  /** Waits for exports in flight to be durable and for forwarded spans to be answered. */
  async forceFlush(): Promise<void> {
    await context.with(suppressTracing(context.active()), async () => {
      await Promise.allSettled([...this.#inflight]);
      const state = await this.#openedState();
      if (state) await state.pipeline.forceFlush();
      await Promise.allSettled([...this.#forwarding]);
      await this.#options.forwardTo?.forceFlush?.();
    });
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= context.with(suppressTracing(context.active()), () => this.#doShutdown());
    return this.#shutdown;
  }

  async #doShutdown(): Promise<void> {
    await Promise.allSettled([...this.#inflight]);
    await Promise.allSettled([...this.#forwarding]);
    const state = await this.#openedState();
    const errors: unknown[] = [];
    if (state) {
      try {
        await state.pipeline.shutdown();
      } catch (err) {
        errors.push(err);
      }
      try {
        // close() publishes the final checkpoint; an embedded ledger stays open for its owner.
        if (state.ownsLedger) await state.ledger.close();
        else await state.ledger.publishCheckpoint();
      } catch (err) {
        errors.push(err);
      }
    }
    try {
      await this.#options.forwardTo?.shutdown();
    } catch (err) {
      errors.push(err);
    }
    if (errors.length > 0) throw toError(errors[0]);
  }

  async #openedState(): Promise<OpenState | undefined> {
    if (!this.#opening) return undefined;
    try {
      return await this.#opening;
    } catch {
      return undefined;
    }
  }

  #open(): Promise<OpenState> {
    this.#opening ??= this.#doOpen().catch((err: unknown) => {
      this.#opening = undefined; // let the next export retry (e.g. another writer released the lock)
      throw err;
    });
    return this.#opening;
  }

  async #doOpen(): Promise<OpenState> {
    const o = this.#options;
    const common = {
      ...(o.evidence ? { evidence: o.evidence } : {}),
      ...(o.redaction ? { redaction: o.redaction } : {}),
      ...(o.identity ? { identity: o.identity } : {}),
    };
    if (o.ledger) {
      const log = await openAuditLog({ store: { ledger: o.ledger }, ...common });
      return { ledger: log.ledger, ownsLedger: false, pipeline: log.pipeline };
    }
    const dir = join(o.dataDir!, 'log');
    try {
      const signerKey = typeof o.signerKey === 'function' ? await o.signerKey() : o.signerKey!;
      const log = await openAuditLog({
        store: { dir },
        signerKey,
        ...(o.origin !== undefined ? { origin: o.origin } : {}),
        ...(o.checkpointIntervalMs !== undefined ? { checkpointIntervalMs: o.checkpointIntervalMs } : {}),
        ...common,
      });
      return { ledger: log.ledger, ownsLedger: true, pipeline: log.pipeline };
    } catch (err) {
      throw new LedgerOpenError(`could not open the audit ledger in ${dir}: ${toError(err).message}`, { cause: err });
    }
  }

  async #export(spans: ReadableSpan[]): Promise<ExportResult> {
    this.#stats.exports++;
    this.#stats.spans += spans.length;
    let results: ConsumeResult[];
    let pipeline: AuditPipeline;
    try {
      ({ pipeline } = await this.#open());
      const neutral: NeutralSpan[] = spans.map((s) => fromReadableSpan(s));
      results = await pipeline.consume(neutral, { via: 'exporter' });
    } catch (err) {
      this.#stats.failedExports++;
      this.#stats.failedSpans += spans.length;
      const error = err instanceof LedgerOpenError ? err : new AuditWriteError(`${spans.length} spans were not recorded: ${toError(err).message}`, { cause: err });
      diag.error(`agentrail: audit export failed: ${error.message}`);
      return { code: ExportResultCode.FAILED, error };
    }
    for (const r of results) {
      if (r.status === 'recorded') this.#stats.recorded++;
      else if (r.status === 'skipped') this.#stats.skipped++;
      else this.#stats.rejected++;
    }
    // Only audited spans are forwarded: the trace backend never shows an action the log lacks.
    if (this.#options.forwardTo) {
      try {
        this.#forward(this.#options.forwardTo, spans, results, pipeline.redactor ?? (this.#redactor ??= createRedactor(this.#options.redaction)));
      } catch (err) {
        this.#forwardFailed(spans.length, toError(err)); // the records are durable either way
      }
    }
    return { code: ExportResultCode.SUCCESS };
  }

  #forward(target: SpanExporter, spans: ReadableSpan[], results: readonly ConsumeResult[], redactor: Redactor): void {
    const n = spans.length;
    if (this.#stats.forwardPending + n > this.#maxPendingForwardSpans) {
      this.#forwardFailed(n, new Error(`more than ${this.#maxPendingForwardSpans} spans are waiting for the forward exporter`));
      return;
    }
    // Every forwarded span is a redacted view: the trace backend gets no secret the log would not hold.
    const linked = spans.map((span, i) => {
      const r = results[i];
      const extra: Attributes = r?.status === 'recorded' ? { [ATTR_AGENTRAIL_RECORD_INDEX]: r.index, [ATTR_AGENTRAIL_RECORD_HASH]: r.recordHash } : {};
      return new LinkedSpan(span, extra, redactor);
    });
    this.#stats.forwardPending += n;
    const settled = new Promise<void>((resolve) => {
      let answered = false;
      const answer = (ok: boolean, error?: Error) => {
        if (answered) return; // a late answer after the timeout is ignored
        answered = true;
        clearTimeout(timer);
        this.#stats.forwardPending -= n;
        if (ok) this.#stats.forwarded += n;
        else this.#forwardFailed(n, error);
        resolve();
      };
      const timer = setTimeout(
        () => answer(false, new Error(`the forward exporter did not answer within ${this.#forwardTimeoutMs} ms`)),
        this.#forwardTimeoutMs,
      ); // not unref'd: a pending forward may hold the process open, but never past this timeout
      try {
        target.export(linked, (r) => answer(r.code === ExportResultCode.SUCCESS, r.error));
      } catch (err) {
        answer(false, toError(err));
      }
    });
    this.#forwarding.add(settled);
    void settled.then(() => this.#forwarding.delete(settled));
  }

  #forwardFailed(n: number, error: Error | undefined): void {
    this.#stats.forwardFailures += n;
    // Warn on the first failure and then every 100th, so a dead backend cannot flood the log.
    if (this.#forwardWarned++ % 100 === 0) {
      diag.warn(`agentrail: forwarding ${n} spans failed (records are safe in the ledger; ${this.#stats.forwardFailures} forward failures so far): ${error?.message ?? 'unknown error'}`);
    }
  }
}
