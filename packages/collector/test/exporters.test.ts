// The official OpenTelemetry JS exporters as real clients of the collector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { hashToken } from '@agentrail/collector';
import { makeAgentSpans } from './fixtures/spans.js';
import { assertDeliveredAndVerified, startCollector } from './fixtures/harness.js';

function exportOnce(exporter: SpanExporter, spans: Parameters<SpanExporter['export']>[0]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const variants = [
  { name: 'protobuf', make: (url: string, compression: 'gzip' | 'none', headers: Record<string, string>) => new ProtoExporter({ url, compression: compression as never, headers }) },
  { name: 'JSON', make: (url: string, compression: 'gzip' | 'none', headers: Record<string, string>) => new JsonExporter({ url, compression: compression as never, headers }) },
];

test('official OTLP exporters (protobuf and JSON, with and without gzip) deliver agent spans into a verifiable ledger', { timeout: 60_000 }, async () => {
  // Two consume workers, as in production on a 2-core machine.
  const c = await startCollector({ workers: 2, auth: { credentials: [{ id: 'bot', sha256: hashToken('tok'), agentIds: ['*'] }] } });
  try {
    const sent = new Set<string>();
    for (const v of variants) {
      for (const compression of ['none', 'gzip'] as const) {
        const exporter = v.make(`${c.url}/v1/traces`, compression, { authorization: 'Bearer tok' });
        const spans = await makeAgentSpans(25, { agentId: `agent-${v.name}-${compression}` });
        const result = await exportOnce(exporter, spans);
        assert.equal(result.code, ExportResultCode.SUCCESS, `${v.name}/${compression}: ${result.error?.message}`);
        for (const s of spans) sent.add(s.spanContext().spanId);
        await exporter.shutdown();
      }
    }
    await assertDeliveredAndVerified(c, sent, 'bot');
  } finally {
    await c.close();
  }
});

test('an exporter with a wrong token gets a failure, and nothing is recorded', { timeout: 60_000 }, async () => {
  const c = await startCollector({ auth: { credentials: [{ id: 'bot', sha256: hashToken('tok') }] } });
  try {
    const exporter = new ProtoExporter({ url: `${c.url}/v1/traces`, headers: { authorization: 'Bearer nope' } });
    const result = await exportOnce(exporter, await makeAgentSpans(3));
    assert.equal(result.code, ExportResultCode.FAILED);
    await exporter.shutdown();
    assert.equal(c.collector.ledgerSize, 0);
  } finally {
    await c.close();
  }
});
