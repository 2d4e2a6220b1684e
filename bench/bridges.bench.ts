// Framework bridges: what the OpenAI Agents SDK bridge costs per SDK span (mapping and mirroring
// into OTel, spans collected in memory), and what a whole support-agent ticket costs end to end
// on each SDK (scripted model, real tools, audit exporter writing a ledger with fsync).
// Goal: the bridge is small next to the audit write of the same span.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Span as AgentsSpan, Trace as AgentsTrace } from '@openai/agents-core';
import { OpenAIAgentsOtelProcessor } from '@agentrail/instrumentation/openai-agents';
import { runSupportAgent } from '../examples/support-agent/src/agent.js';
import { runOpenAIAgentsSupport } from '../examples/openai-agents/src/agent.js';
import { flushFigures, machineLimits, median, peakRssMiB, report, section } from './lib.js';

const BENCH = 'bridges';
const TRACES = Number(process.env.AGENTRAIL_BENCH_TRACES ?? 5_000);
const TICKETS = Number(process.env.AGENTRAIL_BENCH_TICKETS ?? 15);

class Collector implements SpanProcessor {
  count = 0;
  onStart(): void {}
  onEnd(_span: ReadableSpan): void {
    this.count++;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

// One SDK trace shaped like a support run: agent → 4 × (generation, function) + final generation.
function sdkTrace(processor: OpenAIAgentsOtelProcessor, i: number): Promise<void> {
  const t = new AgentsTrace({ name: 'Agent workflow', groupId: `T-${i}` }, processor);
  return t.start().then(async () => {
    const agent = new AgentsSpan({ traceId: t.traceId, data: { type: 'agent', name: 'Support', tools: ['a', 'b', 'c', 'd'] } }, processor);
    agent.start();
    for (let k = 0; k < 4; k++) {
      const gen = new AgentsSpan({ traceId: t.traceId, parentId: agent.spanId, data: { type: 'generation', model: 'm', usage: { input_tokens: 100, output_tokens: 20 } } }, processor);
      gen.start();
      gen.end();
      const fn = new AgentsSpan(
        { traceId: t.traceId, parentId: agent.spanId, data: { type: 'function', name: 'lookup_order', input: `{"orderId":"ord_${i}_${k}"}`, output: '{"status":"delivered","total":170}' } },
        processor,
      );
      fn.start();
      fn.end();
    }
    agent.end();
    await t.end();
  });
}

const dirs: string[] = [];
try {
  await machineLimits();

  section(`OpenAI Agents bridge: ${TRACES.toLocaleString('en-US')} SDK traces of 10 spans into an in-memory OTel provider`);
  const collector = new Collector();
  const provider = new BasicTracerProvider({ spanProcessors: [collector] });
  const processor = new OpenAIAgentsOtelProcessor({ tracerProvider: provider });
  for (let i = 0; i < 500; i++) await sdkTrace(processor, i); // warm-up
  collector.count = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < TRACES; i++) await sdkTrace(processor, i);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const spans = collector.count;
  report({ bench: BENCH, name: 'bridge: OTel spans produced', value: spans, unit: 'spans' });
  report({ bench: BENCH, name: 'bridge: CPU per SDK span (incl. OTel SDK span)', value: (cpu.user + cpu.system) / spans, unit: 'µs' });
  report({ bench: BENCH, name: 'bridge: SDK spans per second', value: spans / (wallMs / 1000), unit: 'span/s' });

  section(`support ticket end to end, ${TICKETS} tickets per SDK (new ledger each, fsync on)`);
  for (const [name, runTicket] of [
    ['Vercel AI SDK', (dataDir: string) => runSupportAgent({ dataDir, forwardTo: false, log: () => {} })],
    ['OpenAI Agents SDK', (dataDir: string) => runOpenAIAgentsSupport({ dataDir, forwardTo: false, log: () => {} })],
  ] as const) {
    const times: number[] = [];
    let records = 0;
    for (let i = 0; i < TICKETS + 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'agentrail-bench-bridges-'));
      dirs.push(dir);
      const start = performance.now();
      const r = await runTicket(dir);
      const ms = performance.now() - start;
      if (i >= 2) {
        times.push(ms); // the first two runs warm up module loading and JIT
        records = r.recorded;
      }
    }
    report({ bench: BENCH, name: `${name}: ms per ticket (4 tool calls, setup+close)`, value: median(times), unit: 'ms' });
    report({ bench: BENCH, name: `${name}: audit records per ticket`, value: records, unit: 'records' });
  }
  report({ bench: BENCH, name: 'peak RSS', value: peakRssMiB(), unit: 'MiB' });
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  flushFigures();
}
