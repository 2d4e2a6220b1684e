// Exporter cost: for the same 100,000 agent tool spans, the OTLP/protobuf exporter alone (to a
// local sink that discards), the audit exporter alone, and the audit exporter forwarding to that
// sink. Batches of 512 are exported one after another, as BatchSpanProcessor does.
// Goal: the audit exporter adds no more CPU than the OTLP exporter itself costs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { generateKey } from '@agentrail/ledger';
import { AuditSpanExporter } from '@agentrail/exporter';
import { flushFigures, machineLimits, peakRssMiB, report, section } from './lib.js';

const SPANS = Number(process.env.AGENTRAIL_BENCH_SPANS ?? 100_000);
const WARMUP = 5_000;
const BATCH = 512;
const BENCH = 'exporter';

/** Collects ended spans without exporting them. */
class Collector implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Spans like a real agent's tool calls: ~15 attributes, JSON arguments and results. */
function makeSpans(n: number): ReadableSpan[] {
  const collector = new Collector();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench-agent', 'service.version': '1.0.0' }),
    spanProcessors: [collector],
  });
  const tracer = provider.getTracer('@agentrail/instrumentation', '0.1.0');
  const tools = ['lookup_order', 'issue_refund', 'send_email', 'query_db'];
  for (let i = 0; i < n; i++) {
    const tool = tools[i % tools.length]!;
    const span = tracer.startSpan(`execute_tool ${tool}`, {
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': tool,
        'gen_ai.tool.call.id': `call_${i.toString(36).padStart(8, '0')}`,
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.arguments': JSON.stringify({ orderId: `ord-${i}`, amount: (i % 500) + 0.99, currency: 'EUR', reason: 'customer reported the parcel arrived damaged' }),
        'gen_ai.conversation.id': `conv-${Math.floor(i / 20)}`,
        'agentrail.agent.id': 'support-agent',
        'agentrail.agent.name': 'Support',
        'agentrail.agent.version': '3.2.1',
        'agentrail.principal.id': `user-${i % 97}`,
        'agentrail.principal.type': 'user',
        'agentrail.resource.type': 'order',
        'agentrail.resource.id': `ord-${i}`,
        'agentrail.action.kind': i % 4 === 1 ? 'write' : 'read',
        'agentrail.action.risk': i % 4 === 1 ? 'high' : 'low',
      },
    });
    span.setAttribute('gen_ai.tool.call.result', JSON.stringify({ ok: true, status: 'shipped', items: [{ sku: 'A-1', qty: 1 }, { sku: 'B-7', qty: 2 }], eta: '2026-01-05' }));
    span.end();
  }
  return collector.spans;
}

/** An OTLP/HTTP sink in a child process (so its CPU is not counted here): reads and discards. */
async function startSink(): Promise<{ url: string; child: ChildProcess }> {
  const src = `
    const http = require('node:http');
    const s = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/x-protobuf' }); res.end(); }); });
    s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', src], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/v1/traces`, child };
}

function exportBatch(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

interface Run {
  cpuUs: number;
  wallMs: number;
  failed: number;
  forwardFailures: number;
}

async function run(exporter: SpanExporter, spans: ReadableSpan[]): Promise<Run> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let failed = 0;
  for (let i = 0; i < spans.length; i += BATCH) {
    const r = await exportBatch(exporter, spans.slice(i, i + BATCH));
    if (r.code !== ExportResultCode.SUCCESS) failed++;
  }
  await exporter.forceFlush?.();
  await exporter.shutdown();
  const cpu = process.cpuUsage(cpu0);
  const forwardFailures = exporter instanceof AuditSpanExporter ? exporter.stats.forwardFailures : 0;
  return { cpuUs: cpu.user + cpu.system, wallMs: performance.now() - t0, failed, forwardFailures };
}

const limits = await machineLimits();
const key = generateKey('bench.agentrail.dev/log');
const sink = await startSink();
const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'agentrail-bench-exporter-'));
  dirs.push(d);
  return d;
};
const otlp = () => new OTLPTraceExporter({ url: sink.url });
const audit = () => new AuditSpanExporter({ dataDir: newDir(), signerKey: key.signerKey });
const auditForward = () => new AuditSpanExporter({ dataDir: newDir(), signerKey: key.signerKey, forwardTo: otlp() });

try {
  const warm = makeSpans(WARMUP);
  const spans = makeSpans(SPANS);
  // Warm the JIT on every path, so no scenario pays for compiling another's code.
  for (const make of [otlp, audit, auditForward]) await run(make(), warm);

  section(`exporter: ${SPANS.toLocaleString('en-US')} agent tool spans, batches of ${BATCH}`);
  const results: Record<string, Run> = {};
  for (const [name, make] of [['otlp-proto alone', otlp], ['audit alone', audit], ['audit + forward', auditForward]] as const) {
    global.gc?.();
    const r = await run(make(), spans);
    results[name] = r;
    report({ bench: BENCH, name: `${name}: CPU per span`, value: r.cpuUs / SPANS, unit: 'µs' });
    report({ bench: BENCH, name: `${name}: wall time`, value: r.wallMs, unit: 'ms' });
    report({ bench: BENCH, name: `${name}: spans per second (wall)`, value: SPANS / (r.wallMs / 1000), unit: 'span/s' });
    if (r.failed > 0) report({ bench: BENCH, name: `${name}: failed batches`, value: r.failed, unit: 'batches' });
    if (r.forwardFailures > 0) report({ bench: BENCH, name: `${name}: spans not forwarded`, value: r.forwardFailures, unit: 'spans' });
  }
  const o = results['otlp-proto alone']!;
  const a = results['audit alone']!;
  const af = results['audit + forward']!;
  section('ratios (CPU per span)');
  const auditRatio = a.cpuUs / o.cpuUs;
  report({ bench: BENCH, name: 'audit alone / otlp alone', value: auditRatio, unit: 'x', target: '<= 1.0', met: auditRatio <= 1 });
  const added = (af.cpuUs - o.cpuUs) / o.cpuUs;
  report({ bench: BENCH, name: 'added by audit when forwarding, / otlp alone', value: added, unit: 'x', target: '<= 1.0', met: added <= 1 });
  report({ bench: BENCH, name: 'audit + forward / otlp alone', value: af.cpuUs / o.cpuUs, unit: 'x' });
  report({
    bench: BENCH,
    name: 'audit alone: records/s vs write+fsync limit',
    value: SPANS / (a.wallMs / 1000),
    unit: 'rec/s',
    ratio: { of: 'write+fsync 512-groups', value: SPANS / (a.wallMs / 1000) / limits.fsync512 },
  });
  report({ bench: BENCH, name: 'peak RSS', value: peakRssMiB(), unit: 'MiB' });
} finally {
  sink.child.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  flushFigures();
}
