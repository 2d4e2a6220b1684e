// OTLP/gRPC door: the official OTLP/gRPC trace exporter and a raw grpc-js client against a real
// collector on 127.0.0.1 (ephemeral ports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { decodeTraceResponseProto, hashToken } from '@agentrail/collector';
import { createAuditPipeline } from '@agentrail/core';
import { generateKey, openFileLedger, verifyLedger } from '@agentrail/ledger';
import { retryDelayOfStatusDetails } from '../src/decode/otlp-proto.js';
import { gatedLedger } from './fixtures/gate.js';
import { makeAgentSpans, toProtobuf } from './fixtures/spans.js';
import { assertDeliveredAndVerified, readRecords, startCollector, tempDir } from './fixtures/harness.js';

function exportOnce(exporter: SpanExporter, spans: Parameters<SpanExporter['export']>[0]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

interface Answer {
  err: grpc.ServiceError | null;
  value?: Buffer;
}

/** One raw unary Export call: bytes in, status (and trailers) out. */
function rawExport(target: string, body: Uint8Array, md: Record<string, string> = {}, options: grpc.ChannelOptions = {}): Promise<Answer> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), options);
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(md)) metadata.set(k, v);
  return new Promise((resolve) => {
    client.makeUnaryRequest(EXPORT, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(body), metadata, {}, (err, value) => {
      client.close();
      resolve({ err: err ?? null, ...(value ? { value } : {}) });
    });
  });
}

test('the official OTLP/gRPC exporter (plain and gzip, with credentials) delivers agent spans into a verifiable ledger', { timeout: 60_000 }, async () => {
  const c = await startCollector({ workers: 1, auth: { credentials: [{ id: 'bot', sha256: hashToken('tok'), agentIds: ['*'] }] } });
  try {
    const g = c.collector.grpcAddress;
    assert.ok(g && g.port > 0 && g.host === '127.0.0.1');
    const sent = new Set<string>();
    for (const compression of ['none', 'gzip'] as const) {
      const metadata = new grpc.Metadata();
      metadata.set('authorization', 'Bearer tok');
      const exporter = new GrpcExporter({ url: `http://${g.url}`, compression: compression as never, metadata });
      const spans = await makeAgentSpans(20, { agentId: `agent-grpc-${compression}` });
      const result = await exportOnce(exporter, spans);
      assert.equal(result.code, ExportResultCode.SUCCESS, `${compression}: ${result.error?.message}`);
      for (const s of spans) sent.add(s.spanContext().spanId);
      await exporter.shutdown();
    }
    assert.equal(c.collector.metrics.requests.get('grpc_OK'), 2);
    await assertDeliveredAndVerified(c, sent, 'bot');
  } finally {
    await c.close();
  }
});

test('gRPC status codes: UNAUTHENTICATED, INVALID_ARGUMENT, RESOURCE_EXHAUSTED over the size limit, partial success in strict identity mode', { timeout: 60_000 }, async () => {
  const c = await startCollector({
    identity: 'reject',
    limits: { maxBodyBytes: 64 * 1024 },
    auth: { credentials: [{ id: 'travel-bot', sha256: hashToken('t1'), agentIds: ['agent-travel'] }] },
  });
  try {
    const target = c.collector.grpcAddress!.url;
    const good = await makeAgentSpans(2, { agentId: 'agent-travel' });
    const bad = await makeAgentSpans(3, { agentId: 'agent-payments' });
    const body = toProtobuf([...good, ...bad]);

    assert.equal((await rawExport(target, body)).err?.code, grpc.status.UNAUTHENTICATED);
    assert.equal((await rawExport(target, body, { authorization: 'Bearer wrong' })).err?.code, grpc.status.UNAUTHENTICATED);
    // The official exporter reports the refusal as a failure.
    const md = new grpc.Metadata();
    md.set('authorization', 'Bearer wrong');
    const refused = new GrpcExporter({ url: `http://${target}`, metadata: md });
    assert.equal((await exportOnce(refused, good)).code, ExportResultCode.FAILED);
    await refused.shutdown();

    const junk = await rawExport(target, Buffer.from([0x0a, 0xff, 0xff]), { authorization: 'Bearer t1' });
    assert.equal(junk.err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(junk.err?.details ?? '', /malformed protobuf/);

    const big = toProtobuf(await makeAgentSpans(400, { agentId: 'agent-travel' }));
    assert.ok(big.byteLength > 64 * 1024);
    assert.equal((await rawExport(target, big, { authorization: 'Bearer t1' })).err?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(c.collector.ledgerSize, 0);

    const ok = await rawExport(target, body, { authorization: 'Bearer t1' });
    assert.equal(ok.err, null);
    const { partialSuccess } = decodeTraceResponseProto(ok.value!);
    assert.equal(partialSuccess?.rejectedSpans, 3);
    assert.match(partialSuccess?.errorMessage ?? '', /3 of 5 spans rejected; first: ERR_IDENTITY_MISMATCH/);
    assert.equal(c.collector.ledgerSize, 2);
  } finally {
    await c.close();
  }
});

test('gRPC under pushback: RESOURCE_EXHAUSTED with RetryInfo; UNAVAILABLE once shutting down, while the call in flight still finishes', { timeout: 60_000 }, async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(join(dir, 'log'), { signerKey: generateKey('test').signerKey });
  const gated = gatedLedger(ledger);
  const c = await startCollector({ limits: { maxInFlightRequests: 1, retryAfterSeconds: 3 } }, { pipeline: createAuditPipeline({ ledger: gated }) }, dir);
  try {
    const target = c.collector.grpcAddress!.url;
    const body = toProtobuf(await makeAgentSpans(2));
    const held = rawExport(target, body);
    await gated.waiting(); // the first call holds the only request slot
    const pushed = await rawExport(target, body);
    assert.equal(pushed.err?.code, grpc.status.RESOURCE_EXHAUSTED);
    const details = pushed.err!.metadata.get('grpc-status-details-bin')[0] as Buffer;
    assert.equal(retryDelayOfStatusDetails(details), 3);

    const stopping = c.collector.shutdown();
    const late = await rawExport(target, body);
    assert.equal(late.err?.code, grpc.status.UNAVAILABLE);
    gated.open();
    assert.equal((await held).err, null);
    await stopping;
    assert.equal(ledger.size, 2);
  } finally {
    await c.close();
    await ledger.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});

test('grpc: false (and --no-grpc) starts no gRPC listener', async () => {
  const c = await startCollector({ grpc: false });
  try {
    assert.equal(c.collector.grpcAddress, null);
  } finally {
    await c.close();
  }
});
