import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AgentContextSpanProcessor, traceTool, withAgent } from '@agentrail/instrumentation';
import { openFileLedger } from '@agentrail/ledger';
import { AuditSpanExporter, AuditSpanProcessor, ExporterConfigError, LedgerOpenError } from '../src/index.js';
import { KEY, readRecords, tempDir } from './helpers.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

/** Ends `n` tool spans synchronously, in one tick: faster than any exporter can keep up. */
function burst(provider: BasicTracerProvider, n: number): void {
  trace.setGlobalTracerProvider(provider);
  const tool = traceTool('read_file', (path: string) => path.length, { kind: 'read' });
  withAgent({ id: 'indexer', name: 'Indexer' }, () => {
    for (let i = 0; i < n; i++) tool(`/data/${i}`);
  });
  trace.disable();
}

function providerWith(processor: SpanProcessor): BasicTracerProvider {
  return new BasicTracerProvider({ spanProcessors: [new AgentContextSpanProcessor(), processor] });
}

const gaps = (records: Awaited<ReturnType<typeof readRecords>>) => records.filter((r) => r.record.action.name === 'agentrail.gap');

describe('AuditSpanProcessor', () => {
  it('BatchSpanProcessor drops spans silently when its queue is full (the problem)', async (t) => {
    const dataDir = await tempDir(t);
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const provider = providerWith(new BatchSpanProcessor(exporter, { maxQueueSize: 10, maxExportBatchSize: 5 }));
    burst(provider, 100);
    await provider.shutdown();
    const records = await readRecords(dataDir);
    assert.ok(records.length < 100, `${100 - records.length} spans vanished`);
    assert.equal(gaps(records).length, 0, 'and the log does not say so');
  });

  it('records a gap marker for every span lost to a full queue', async (t) => {
    const dataDir = await tempDir(t);
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const processor = new AuditSpanProcessor(exporter, { maxQueueSize: 10, maxExportBatchSize: 5 });
    const provider = providerWith(processor);
    burst(provider, 100);
    assert.equal(processor.stats.lost, 90);
    await provider.forceFlush();
    assert.equal(processor.stats.unrecordedGap, 0);
    await provider.shutdown();
    const records = await readRecords(dataDir);
    const [gap, ...more] = gaps(records);
    assert.equal(more.length, 0);
    assert.ok(gap, 'a gap marker is in the ledger');
    assert.equal(gap.record.attributes['agentrail.gap.count'], 90);
    assert.equal(gap.record.attributes['agentrail.gap.reason'], 'queue_full');
    assert.equal(gap.record.outcome.status, 'error');
    assert.equal(gap.record.outcome.errorType, 'agentrail.spans_lost');
    assert.equal(gap.record.agent.id, 'agentrail.exporter', 'attributed to the exporter, not to an agent');
    assert.equal(records.length - 1 + (gap.record.attributes['agentrail.gap.count'] as number), 100, 'every span is either recorded or counted');
    assert.equal(exporter.stats.gapSpans, 90);
  });

  it('retries a failed batch with backoff, so a temporarily unavailable ledger loses nothing', async (t) => {
    const dataDir = await tempDir(t);
    const other = await openFileLedger(`${dataDir}/log`, { signerKey: KEY.signerKey });
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const processor = new AuditSpanProcessor(exporter, { maxExportBatchSize: 8, retryDelayMillis: 10, scheduledDelayMillis: 1 });
    const provider = providerWith(processor);
    burst(provider, 20);
    // let a few attempts fail against the lock, then release it
    while (processor.stats.retries < 2) await new Promise((r) => setTimeout(r, 5));
    await other.close();
    await provider.forceFlush();
    await provider.shutdown();
    assert.equal(processor.stats.lost, 0);
    assert.equal((await readRecords(dataDir)).length, 20);
  });

  it('counts a batch that keeps failing as a gap, rejects forceFlush, and records the gap once it can', async (t) => {
    const dataDir = await tempDir(t);
    const other = await openFileLedger(`${dataDir}/log`, { signerKey: KEY.signerKey });
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const processor = new AuditSpanProcessor(exporter, { maxExportAttempts: 2, retryDelayMillis: 5 });
    const provider = providerWith(processor);
    burst(provider, 6);
    await assert.rejects(processor.forceFlush(), LedgerOpenError);
    assert.equal(processor.stats.lost, 6);
    assert.equal(processor.stats.unrecordedGap, 6);
    await other.close();
    await provider.forceFlush();
    await provider.shutdown();
    const records = await readRecords(dataDir);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.record.attributes['agentrail.gap.count'], 6);
    assert.equal(records[0]!.record.attributes['agentrail.gap.reason'], 'export_failed');
  });

  it('exports partial batches after the scheduled delay without a flush', async (t) => {
    const dataDir = await tempDir(t);
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const processor = new AuditSpanProcessor(exporter, { scheduledDelayMillis: 5 });
    const provider = providerWith(processor);
    burst(provider, 3);
    while (exporter.stats.recorded < 3) await new Promise((r) => setTimeout(r, 5));
    assert.equal(processor.stats.exported, 3);
    await provider.shutdown();
  });

  it('counts spans that end after shutdown as lost', async (t) => {
    const dataDir = await tempDir(t);
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const processor = new AuditSpanProcessor(exporter);
    const provider = providerWith(processor);
    const tracer = provider.getTracer('t');
    const late = withAgent({ id: 'a', name: 'A' }, () => tracer.startSpan('late'));
    await provider.shutdown();
    late.end();
    assert.equal(processor.stats.lost, 1);
    assert.equal(processor.stats.unrecordedGap, 1);
  });

  it('validates its options', () => {
    const exporter = new AuditSpanExporter({ dataDir: '/nonexistent', signerKey: KEY.signerKey });
    assert.throws(() => new AuditSpanProcessor(exporter, { maxQueueSize: 0 }), ExporterConfigError);
    assert.throws(() => new AuditSpanProcessor(exporter, { maxExportBatchSize: 1.5 }), ExporterConfigError);
  });
});
