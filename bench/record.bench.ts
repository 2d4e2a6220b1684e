// Span → record → canonical bytes → leaf hash, beside the OTLP protobuf serializer's cost for the
// same spans (the cost users already accept to export a span).
import { createRequire } from 'node:module';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { canonicalize, encodeRecordWithHash, fromReadableSpan, toAuditRecord, type AuditRecord } from '@agentrail/core';
import { flushFigures, median, report, section, machineLimits } from './lib.js';

const require = createRequire(import.meta.url);
const referenceCanonicalize = require('canonicalize') as (v: unknown) => string;

const BENCH = 'record';
const SPANS = 2000;
const BATCH = 100;
const ROUNDS = 15;

/** Typical tool span: 15 attributes, 1 KiB arguments. */
function makeSpans(n: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'billing-agent', 'service.version': '2.3.1', 'host.name': 'worker-3' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench', '1.0.0');
  for (let i = 0; i < n; i++) {
    const args = JSON.stringify({ invoiceId: `inv-${i}`, customer: 'ACME GmbH', lines: 'x'.repeat(960) });
    const span = tracer.startSpan('execute_tool create_invoice', {
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'create_invoice',
        'gen_ai.tool.call.id': `call_${i}`,
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.arguments': args,
        'gen_ai.tool.call.result': `{"ok":true,"id":"inv-${i}"}`,
        'gen_ai.conversation.id': 'conv-8842',
        'agentrail.agent.id': 'billing-agent',
        'agentrail.principal.id': 'alice@example.com',
        'agentrail.principal.tenant': 'acme',
        'agentrail.action.kind': 'write',
        'agentrail.action.risk': 'medium',
        'agentrail.resource.type': 'invoice',
        'server.address': 'erp.internal',
        'http.response.status_code': 200,
      },
    });
    span.end();
  }
  const spans = exporter.getFinishedSpans();
  void provider.shutdown();
  return spans;
}

interface Costs {
  wall: number[];
  cpu: number[];
}

/**
 * Per-span wall and CPU time (process.cpuUsage: this process's user + system) of each batch, for
 * two paths measured alternately batch by batch, so load from elsewhere on a shared machine
 * falls on both alike.
 */
function perSpanMicros(fns: ReadonlyArray<(batch: ReadableSpan[]) => void>, spans: ReadableSpan[]): Costs[] {
  const out: Costs[] = fns.map(() => ({ wall: [], cpu: [] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (let b = 0; b < spans.length; b += BATCH) {
      const batch = spans.slice(b, b + BATCH);
      fns.forEach((fn, k) => {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        fn(batch);
        const wall = Number(process.hrtime.bigint() - t0) / 1000;
        const c = process.cpuUsage(c0);
        out[k]!.wall.push(wall / batch.length);
        out[k]!.cpu.push((c.user + c.system) / batch.length);
      });
    }
  }
  return out;
}

const limits = await machineLimits();
const spans = makeSpans(SPANS);
const ctx = { via: 'exporter' as const, authenticated: { id: 'billing-agent', method: 'in-process' }, receivedAt: '2026-01-01T00:00:00.000000000Z' };
let sink = 0;

// As the pipeline runs without an evidence store (the default): salts are dropped at once.
const recordOptions = { keepEvidence: false };
const audit = (batch: ReadableSpan[]): void => {
  for (const s of batch) {
    const r = toAuditRecord(fromReadableSpan(s), ctx, recordOptions);
    sink += encodeRecordWithHash(r!.record).recordHash.length;
  }
};
const otlp = (batch: ReadableSpan[]): void => {
  sink += ProtobufTraceSerializer.serializeRequest(batch)?.length ?? 0;
};

// warm up both paths
perSpanMicros([audit, otlp], spans.slice(0, 500));

section('span → record → canonical bytes → leaf hash (tool span, 15 attributes, 1 KiB arguments)');
const [auditCost, otlpCost] = perSpanMicros([audit, otlp], spans);
const auditUs = median(auditCost!.wall);
const otlpUs = median(otlpCost!.wall);
const auditCpuUs = median(auditCost!.cpu);
const otlpCpuUs = median(otlpCost!.cpu);
const sample = toAuditRecord(fromReadableSpan(spans[0]!), ctx)!.record;
const leafBytes = encodeRecordWithHash(sample).bytes.length;
report({ bench: BENCH, name: 'audit: median per span (wall)', value: auditUs, unit: 'µs', target: '< 10 µs', met: auditUs < 10 });
report({ bench: BENCH, name: 'audit: median per span (CPU)', value: auditCpuUs, unit: 'µs' });
report({ bench: BENCH, name: `OTLP protobuf serialize (batches of ${BATCH}): median per span (wall)`, value: otlpUs, unit: 'µs' });
report({ bench: BENCH, name: `OTLP protobuf serialize (batches of ${BATCH}): median per span (CPU)`, value: otlpCpuUs, unit: 'µs' });
report({ bench: BENCH, name: 'audit cost / OTLP export serialization cost (wall)', value: auditUs / otlpUs, unit: 'x', target: '≤ 1', met: auditUs <= otlpUs });
report({ bench: BENCH, name: 'audit cost / OTLP export serialization cost (CPU)', value: auditCpuUs / otlpCpuUs, unit: 'x', target: '≤ 1', met: auditCpuUs <= otlpCpuUs });
report({ bench: BENCH, name: 'record size (leaf bytes)', value: leafBytes, unit: 'B' });
report({ bench: BENCH, name: 'audit spans per second, one core', value: 1e6 / auditUs, unit: 'span/s', ratio: { of: 'sha256 1 KiB one core', value: 1e6 / auditUs / limits.sha256OneCore } });

section('stages (median per span)');
// Each stage is timed as part of the chain from a ReadableSpan, holding on to nothing: results
// kept alive (arrays of records) make V8 pretenure the record's allocation sites, which slows
// every later measurement and is not what the exporter or the collector do.
const perSpan = (fn: (i: number) => void): number => {
  const xs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let b = 0; b < SPANS; b += BATCH) {
      const c0 = process.cpuUsage();
      for (let i = b; i < b + BATCH; i++) fn(i);
      const c = process.cpuUsage(c0);
      xs.push((c.user + c.system) / BATCH);
    }
  }
  return median(xs);
};
const fromUs = perSpan((i) => { sink += fromReadableSpan(spans[i]!).name.length; });
const recordUs = perSpan((i) => { sink += toAuditRecord(fromReadableSpan(spans[i]!), ctx, recordOptions)!.record.flags.length; });
const fullUs = perSpan((i) => { sink += encodeRecordWithHash(toAuditRecord(fromReadableSpan(spans[i]!), ctx, recordOptions)!.record).recordHash.length; });
report({ bench: BENCH, name: 'fromReadableSpan (CPU)', value: fromUs, unit: 'µs' });
report({ bench: BENCH, name: 'toAuditRecord: normalize, redact, commit (CPU, chain difference)', value: recordUs - fromUs, unit: 'µs' });
report({ bench: BENCH, name: 'encodeRecordWithHash: canonical bytes + leaf hash (CPU, chain difference)', value: fullUs - recordUs, unit: 'µs' });

// The encoders on kept records (last: keeping them is what skews the figures above).
const records: AuditRecord[] = spans.map((s) => toAuditRecord(fromReadableSpan(s), ctx)!.record);
const stage = (name: string, fn: (i: number) => void): void => {
  report({ bench: BENCH, name, value: perSpan(fn), unit: 'µs' });
};
stage('canonicalize (ours, generic, CPU)', (i) => { sink += canonicalize(records[i]).length; });
stage('canonicalize (npm canonicalize, reference, CPU)', (i) => { sink += referenceCanonicalize(records[i]).length; });

if (sink === 42) console.log(''); // keep results observable
flushFigures();
