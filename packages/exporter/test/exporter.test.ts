import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, isTracingSuppressed, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { AgentContextSpanProcessor, onBehalfOf, recordApproval, traceTool, withAgent } from '@agentrail/instrumentation';
import { openFileLedger, readCheckpointNote } from '@agentrail/ledger';
import { AuditSpanExporter, ExporterConfigError, ExporterShutdownError, LedgerOpenError } from '../src/index.js';
import { allBytes, attr, deadUrl, KEY, readRecords, startOtlpJsonSink, tempDir } from './helpers.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const SECRET_ARG = 'card-4111-1111-1111-1111';
const SECRET_RESULT = 'refund-confirmation-7f3a9c';
const SEEDED_TOKEN = 'sk_live_51Hq8ZkL2vNw7XyR4tPq9sMmA';

/** Runs a small agent: two tool calls under an agent identity, one plain span outside. */
async function runAgent(tracer: Tracer): Promise<void> {
  const pay = traceTool('charge_card', async (a: { card: string; amount: number }) => {
    // a careless integration puts a credential on the span
    trace.getActiveSpan()?.setAttribute('payment.gateway.authorization', `Bearer ${SEEDED_TOKEN}`);
    return { ok: true, ref: SECRET_RESULT, amount: a.amount };
  }, {
    resource: { type: 'card' },
    kind: 'write',
    risk: 'high',
  });
  const lookup = traceTool('lookup_order', (id: string) => ({ id, status: 'shipped' }), { kind: 'read', risk: 'low' });
  await withAgent({ id: 'shop-agent', name: 'Shop', version: '2.0.0' }, () =>
    onBehalfOf({ id: 'alice', type: 'user' }, async () => {
      lookup('order-1');
      await pay({ card: SECRET_ARG, amount: 12 });
    }),
  );
  tracer.startSpan('healthcheck').end(); // not an agent action
}

function providerWith(processor: SimpleSpanProcessor | BatchSpanProcessor): BasicTracerProvider {
  const provider = new BasicTracerProvider({ spanProcessors: [new AgentContextSpanProcessor(), processor] });
  trace.setGlobalTracerProvider(provider);
  return provider;
}

async function withProvider(processor: SimpleSpanProcessor | BatchSpanProcessor, fn: (tracer: Tracer) => Promise<void>): Promise<void> {
  const provider = providerWith(processor);
  try {
    await fn(provider.getTracer('test'));
  } finally {
    await provider.shutdown();
    trace.disable();
  }
}

/** Spans from a real SDK, for calling export() directly. */
async function sdkSpans(): Promise<ReadableSpan[]> {
  const mem = new InMemorySpanExporter();
  let spans: ReadableSpan[] = [];
  await withProvider(new SimpleSpanProcessor(mem), async (tracer) => {
    await runAgent(tracer);
    spans = mem.getFinishedSpans(); // before shutdown, which empties the in-memory exporter
  });
  return spans;
}

function exportOnce(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

for (const kind of ['SimpleSpanProcessor', 'BatchSpanProcessor'] as const) {
  describe(`with ${kind}`, () => {
    it('records agent actions durably, without raw payloads, and publishes a final checkpoint', async (t) => {
      const dataDir = await tempDir(t);
      const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
      const processor = kind === 'SimpleSpanProcessor' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
      await withProvider(processor, runAgent);
      const records = await readRecords(dataDir);
      assert.equal(records.length, 2, 'two tool calls recorded, the healthcheck skipped');
      const byTool = new Map(records.map((r) => [r.record.action.tool?.name, r.record]));
      const pay = byTool.get('charge_card');
      assert.ok(pay);
      assert.equal(pay.agent.id, 'shop-agent');
      assert.equal(pay.principal?.id, 'alice');
      assert.equal(pay.action.operation, 'execute_tool');
      assert.equal(pay.action.kind, 'write');
      assert.equal(pay.source.via, 'exporter');
      assert.match(String(pay.input?.commitment), /^sha256:[0-9a-f]{64}$/);
      assert.match(String(pay.output?.commitment), /^sha256:[0-9a-f]{64}$/);
      const bytes = await allBytes(dataDir);
      assert.equal(bytes.includes(SECRET_ARG), false, 'raw tool arguments never reach the data dir');
      assert.equal(bytes.includes(SECRET_RESULT), false, 'raw tool results never reach the data dir');
      assert.equal(bytes.includes(SEEDED_TOKEN), false, 'a credential on a span is redacted');
      assert.ok(pay.flags.includes('secret_redacted'));
      const note = await readCheckpointNote(`${dataDir}/log`);
      assert.match(note, /\n2\n/, 'the final checkpoint covers both records');
      assert.equal(exporter.stats.recorded, 2);
      assert.equal(exporter.stats.skipped, 1);
    });
  });
}

describe('export contract', () => {
  it('answers SUCCESS only once the records can be read back from disk', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const seen = await new Promise<{ result: ExportResult; onDisk: number }>((resolve) => {
      exporter.export(spans, (result) => {
        // read the files from inside the callback: acknowledged means already durable
        void readRecords(dataDir).then((r) => resolve({ result, onDisk: r.length }));
      });
    });
    assert.equal(seen.result.code, ExportResultCode.SUCCESS);
    assert.equal(seen.onDisk, 2);
    await exporter.shutdown();
  });

  it('answers FAILED after shutdown; shutdown is idempotent and waits for exports in flight', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const first = exportOnce(exporter, spans);
    const s1 = exporter.shutdown();
    const s2 = exporter.shutdown();
    assert.equal(s1, s2);
    await s1;
    assert.equal((await first).code, ExportResultCode.SUCCESS, 'the export in flight completed');
    const after = await exportOnce(exporter, spans);
    assert.equal(after.code, ExportResultCode.FAILED);
    assert.ok(after.error instanceof ExporterShutdownError);
    assert.equal((after.error as ExporterShutdownError).code, 'ERR_AGENTRAIL_EXPORTER_SHUTDOWN');
    assert.equal((await readRecords(dataDir)).length, 2);
    await exporter.shutdown();
  });

  it('reports an audit failure as FAILED (never SUCCESS) and recovers once the ledger can be opened', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    // another writer holds the ledger lock
    const other = await openFileLedger(`${dataDir}/log`, { signerKey: KEY.signerKey });
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    const failed = await exportOnce(exporter, spans);
    assert.equal(failed.code, ExportResultCode.FAILED);
    assert.ok(failed.error instanceof LedgerOpenError, String(failed.error));
    assert.equal(exporter.stats.failedSpans, spans.length);
    await other.close();
    const ok = await exportOnce(exporter, spans);
    assert.equal(ok.code, ExportResultCode.SUCCESS);
    await exporter.shutdown();
    assert.equal((await readRecords(dataDir)).length, 2);
  });

  it('never throws from export and calls back exactly once, even if the callback throws', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    let calls = 0;
    await new Promise<void>((resolve) => {
      assert.doesNotThrow(() =>
        exporter.export(spans, () => {
          calls++;
          setTimeout(resolve, 20);
          throw new Error('callback bug');
        }),
      );
    });
    assert.equal(calls, 1);
    await exporter.shutdown();
  });

  it('validates its options with a typed error', () => {
    assert.throws(() => new AuditSpanExporter({ signerKey: KEY.signerKey }), ExporterConfigError);
    assert.throws(() => new AuditSpanExporter({ dataDir: '/tmp/x' }), (e: unknown) => e instanceof ExporterConfigError && e.code === 'ERR_AGENTRAIL_EXPORTER_CONFIG');
    assert.throws(() => new AuditSpanExporter({ dataDir: '/tmp/x', signerKey: KEY.signerKey, forwardTo: {} as SpanExporter }), ExporterConfigError);
  });
});

describe('forwarding', () => {
  it('forwards spans over real OTLP/HTTP tagged with their record index and hash, without touching SDK spans', async (t) => {
    const dataDir = await tempDir(t);
    const sink = await startOtlpJsonSink();
    t.after(() => sink.close());
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey, forwardTo: new OTLPTraceExporter({ url: sink.url }) });
    const mem = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new AgentContextSpanProcessor(), new BatchSpanProcessor(exporter), new SimpleSpanProcessor(mem)],
    });
    trace.setGlobalTracerProvider(provider);
    await runAgent(provider.getTracer('test'));
    await provider.shutdown();
    trace.disable();

    const records = await readRecords(dataDir);
    assert.equal(sink.spans.length, 3, 'all spans forwarded, agent actions or not');
    const tagged = sink.spans.filter((s) => attr(s, 'agentrail.record.index') !== undefined);
    assert.equal(tagged.length, 2);
    for (const span of tagged) {
      const index = attr(span, 'agentrail.record.index') as number;
      const stored = records.find((r) => r.index === index);
      assert.ok(stored, `record ${index} exists`);
      assert.equal(attr(span, 'agentrail.record.hash'), stored.hash);
      // and back: the record names the span
      assert.equal(stored.record.trace.spanId, span.spanId);
      assert.equal(stored.record.trace.traceId, span.traceId);
    }
    const health = sink.spans.find((s) => s.name === 'healthcheck');
    assert.equal(health && attr(health, 'agentrail.record.index'), undefined);
    for (const s of mem.getFinishedSpans()) assert.equal(s.attributes['agentrail.record.index'], undefined, 'SDK span objects are not mutated');
    assert.equal(exporter.stats.forwarded, 3);
  });

  it('keeps answering SUCCESS when the forward target is down, and counts the failures', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const exporter = new AuditSpanExporter({
      dataDir,
      signerKey: KEY.signerKey,
      forwardTo: new OTLPTraceExporter({ url: await deadUrl(), timeoutMillis: 2000 }),
    });
    const result = await exportOnce(exporter, spans);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    await exporter.forceFlush();
    assert.equal(exporter.stats.forwardFailures, spans.length);
    assert.equal(exporter.stats.forwarded, 0);
    await exporter.shutdown();
    assert.equal((await readRecords(dataDir)).length, 2);
  });

  it('does not forward spans whose audit failed, so the backend never shows an unaudited action', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const forwarded = new InMemorySpanExporter();
    const other = await openFileLedger(`${dataDir}/log`, { signerKey: KEY.signerKey });
    t.after(() => other.close());
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey, forwardTo: forwarded });
    assert.equal((await exportOnce(exporter, spans)).code, ExportResultCode.FAILED);
    assert.equal(forwarded.getFinishedSpans().length, 0);
    await exporter.shutdown();
  });

  it('runs its own work, including forwarding, with tracing suppressed', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const suppressed: boolean[] = [];
    const probe: SpanExporter = {
      export(s, cb) {
        suppressed.push(isTracingSuppressed(context.active()));
        cb({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    };
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey, forwardTo: probe });
    await exportOnce(exporter, spans);
    await exporter.shutdown();
    assert.deepEqual(suppressed, [true]);
  });
});

describe('bounds and embedding', () => {
  it('stops waiting for a forward exporter that never answers, and bounds what waits for it', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const hung: SpanExporter = { export() {}, shutdown: async () => {} };
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey, forwardTo: hung, forwardTimeoutMillis: 50, maxPendingForwardSpans: spans.length });
    assert.equal((await exportOnce(exporter, spans)).code, ExportResultCode.SUCCESS);
    assert.equal((await exportOnce(exporter, spans)).code, ExportResultCode.SUCCESS, 'the audit still succeeds when forwarding is saturated');
    assert.equal(exporter.stats.forwardPending, spans.length);
    assert.equal(exporter.stats.forwardFailures, spans.length, 'the second batch was not forwarded');
    await exporter.forceFlush();
    assert.equal(exporter.stats.forwardPending, 0);
    assert.equal(exporter.stats.forwardFailures, 2 * spans.length);
    await exporter.shutdown();
    assert.equal((await readRecords(dataDir)).length, 4);
  });

  it('appends to an already-open ledger, publishes a checkpoint at shutdown and leaves it open', async (t) => {
    const dataDir = await tempDir(t);
    const spans = await sdkSpans();
    const ledger = await openFileLedger(`${dataDir}/log`, { signerKey: KEY.signerKey });
    const exporter = new AuditSpanExporter({ ledger });
    assert.equal((await exportOnce(exporter, spans)).code, ExportResultCode.SUCCESS);
    await exporter.shutdown();
    assert.match(await readCheckpointNote(`${dataDir}/log`), /\n2\n/);
    await ledger.append([new TextEncoder().encode('still open')]);
    assert.equal(ledger.size, 3);
    await ledger.close();
  });
});

describe('approvals end to end', () => {
  it('flags a call whose arguments differ from what was approved', async (t) => {
    const dataDir = await tempDir(t);
    const exporter = new AuditSpanExporter({ dataDir, signerKey: KEY.signerKey });
    await withProvider(new SimpleSpanProcessor(exporter), async () => {
      const transfer = traceTool('transfer', async (a: { to: string; amount: number }) => {
        recordApproval({ status: 'approved', approverId: 'carol', args: { to: 'bob', amount: 50 } });
        return a.amount;
      });
      await withAgent({ id: 'treasury', name: 'Treasury' }, async () => {
        await transfer({ to: 'bob', amount: 50 });
        await transfer({ to: 'mallory', amount: 5000 });
      });
    });
    const records = (await readRecords(dataDir)).map((r) => r.record);
    assert.equal(records.length, 2);
    const ok = records.find((r) => !r.flags.includes('approval_mismatch'));
    const bad = records.find((r) => r.flags.includes('approval_mismatch'));
    assert.ok(ok && bad, 'exactly one call flagged');
    assert.equal(ok.approval?.status, 'approved');
    assert.equal(bad.approval?.approverId, 'carol');
  });
});
