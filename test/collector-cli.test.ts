// End to end: the official OpenTelemetry exporters send agent spans from a real tracer
// provider to a running `agentrail serve`; the ledger then holds the records and
// `agentrail verify` passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace, SpanKind } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { decodeRecord } from '@agentrail/core';
import { readLedgerEntries } from '@agentrail/ledger';
import { runCli, spawnServe, type ServeProcess } from './fixtures/collector-cli.js';

/** Runs a small agent (one invoke_agent span and `tools` tool calls) through `exporter`. */
async function runAgent(exporter: SpanExporter, agentId: string, tools: number): Promise<string[]> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `svc-${agentId}` }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 16, scheduledDelayMillis: 10 })],
  });
  const tracer = provider.getTracer('e2e');
  const ids: string[] = [];
  const root = tracer.startSpan('invoke_agent', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': agentId } });
  const ctx = trace.setSpan(context.active(), root);
  for (let i = 0; i < tools; i++) {
    const s = tracer.startSpan('execute_tool search', {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.agent.id': agentId, 'gen_ai.tool.name': 'search', 'gen_ai.tool.call.id': `c${i}`, 'gen_ai.tool.call.arguments': `{"q":"${i}"}` },
    }, ctx);
    ids.push(s.spanContext().spanId);
    s.end();
  }
  root.end();
  ids.push(root.spanContext().spanId);
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}

test('official exporters → agentrail serve → ledger → agentrail verify', { timeout: 120_000 }, async () => {
  const data = await mkdtemp(join(tmpdir(), 'agentrail-e2e-'));
  let server: ServeProcess | undefined;
  try {
    server = await spawnServe(['--data', data]);
    assert.equal(server.summary.dataDir, data);
    assert.equal(server.summary.keyCreated, true);
    assert.equal(server.summary.verifierKeyPath, join(data, 'agentrail.vkey'));
    const url = `${server.url}/v1/traces`;
    const sent: string[] = [];
    let failures = 0;
    const watch = (e: SpanExporter): SpanExporter => ({
      export: (spans, cb) => e.export(spans, (r) => { if (r.code !== 0) failures++; cb(r); }),
      shutdown: () => e.shutdown(),
      forceFlush: () => e.forceFlush?.() ?? Promise.resolve(),
    });
    sent.push(...(await runAgent(watch(new ProtoExporter({ url })), 'agent-proto', 20)));
    sent.push(...(await runAgent(watch(new ProtoExporter({ url, compression: 'gzip' as never })), 'agent-proto-gzip', 20)));
    sent.push(...(await runAgent(watch(new JsonExporter({ url })), 'agent-json', 20)));
    sent.push(...(await runAgent(watch(new JsonExporter({ url, compression: 'gzip' as never })), 'agent-json-gzip', 20)));
    assert.equal(failures, 0, 'every export succeeded');
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, server.stderr());

    const recorded: string[] = [];
    for await (const e of readLedgerEntries(join(data, 'log'))) recorded.push(decodeRecord(e.data).trace.spanId);
    assert.deepEqual(new Set(recorded), new Set(sent));
    assert.equal(recorded.length, sent.length);

    const verify = await runCli(['verify', data, '--vkey', server.summary.verifierKeyPath]);
    assert.equal(verify.code, 0, verify.stderr + verify.stdout);
  } finally {
    await server?.kill();
    await rm(data, { recursive: true, force: true });
  }
});

test('agentrail serve refuses a non-loopback bind without credentials, with exit code 2', { timeout: 60_000 }, async () => {
  const data = await mkdtemp(join(tmpdir(), 'agentrail-e2e-'));
  try {
    const r = await runCli(['serve', '--data', data, '--host', '0.0.0.0', '--port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0 without credentials.*--insecure/);
    const bad = await runCli(['serve', '--data', data, '--port', 'http']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /port: must be a port number/);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});
