// Done-when for redaction: a corpus of secret formats, placed in span names, attribute values and
// keys, events, links, resource attributes, payloads and values longer than the truncation limit,
// goes through the in-process exporter and through the collector (OTLP protobuf and JSON from the
// official OTel exporters). Then every stored or sent byte is searched: the ledgers, the evidence
// store, the collector's forward spool and what an OTLP sink on 127.0.0.1 received. No secret is
// found; benign look-alikes (UUIDs, hashes, trace ids) arrive unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, context, trace, type Link } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createFileEvidenceStore, decodeRecord, type AuditRecord } from '@agentrail/core';
import { generateKey, readLedgerEntries } from '@agentrail/ledger';
import { AuditSpanExporter } from '@agentrail/exporter';
import { createCollector } from '@agentrail/collector';
import { BENIGN_LOOKALIKES, SECRET_CORPUS } from './fixtures/secret-corpus.js';

// a secret only the collector's configured extra pattern knows
const CUSTOM = 'ACME-CORP-7731-998877';
const SECRETS = [...SECRET_CORPUS.map((c) => c.secret), CUSTOM];
const TEXTS = [...SECRET_CORPUS.map((c) => c.text), `ticket ${CUSTOM}`];

/** Real SDK spans: one per secret, the secret everywhere a span can hold text. */
async function corpusSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const resource: Record<string, string> = { 'service.name': 'corpus-agent', 'service.instance.id': `host ${TEXTS[0]}` };
  TEXTS.forEach((t, i) => (resource[`corpus.resource.${i}`] = t));
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('corpus', '1.0.0');
  const root = tracer.startSpan('invoke_agent corpus', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'agent-corpus' } });
  const ctx = trace.setSpan(context.active(), root);
  TEXTS.forEach((text, i) => {
    const links: Link[] = [{ context: root.spanContext(), attributes: { 'link.detail': text } }];
    const benign: Record<string, string> = {};
    BENIGN_LOOKALIKES.forEach((b, j) => (benign[`benign.${j}`] = b));
    const span = tracer.startSpan(`execute_tool lookup ${text}`, {
      kind: SpanKind.CLIENT,
      links,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.agent.id': 'agent-corpus',
        'gen_ai.tool.name': 'lookup',
        'gen_ai.tool.call.id': `call_${i}`,
        'gen_ai.tool.call.arguments': JSON.stringify({ query: text }),
        'gen_ai.tool.call.result': `result: ${text}`,
        'corpus.value': text,
        'corpus.list': ['first', text],
        // the secret straddles the 4096-character cut
        'corpus.long': 'x'.repeat(4090) + text,
        [`corpus.key ${text}`]: 'the key is the secret',
        'corpus.password': text,
        ...benign,
      },
    }, ctx);
    span.addEvent(`event ${text}`, { 'event.detail': text });
    span.setStatus({ code: 2, message: `failed: ${text}` });
    span.end();
  });
  root.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** An OTLP/HTTP sink on 127.0.0.1 that refuses (503) until `accept` is set. */
class Sink {
  readonly bodies: Buffer[] = [];
  accept = false;
  refused = 0;
  url = '';
  private waiters: { n: number; resolve: () => void }[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!this.accept) {
        this.refused++;
        res.writeHead(503, { 'retry-after': '0' }).end();
        return;
      }
      this.bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      this.waiters = this.waiters.filter((w) => (this.bodies.length >= w.n ? (w.resolve(), false) : true));
    });
  });
  async listen(): Promise<this> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  received(n: number): Promise<void> {
    if (this.bodies.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

async function bytesUnder(dir: string): Promise<{ files: number; bytes: Buffer; names: string }> {
  const parts: Buffer[] = [];
  let files = 0;
  let names = '';
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    names += join(e.parentPath, e.name) + '\n';
    if (!e.isFile()) continue;
    files++;
    parts.push(await readFile(join(e.parentPath, e.name)));
  }
  return { files, bytes: Buffer.concat(parts), names };
}

function assertNoSecret(where: string, bytes: Buffer | string): void {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  for (const [i, secret] of SECRETS.entries()) {
    // latin1 keeps every byte, so a secret (ASCII) is found however the bytes are framed
    assert.equal(text.includes(secret), false, `${where}: secret #${i} (${SECRET_CORPUS[i]?.format ?? 'custom'}) found`);
  }
}

async function records(dir: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const e of readLedgerEntries(join(dir, 'log'))) out.push(decodeRecord(e.data));
  return out;
}

function assertRecordsClean(list: AuditRecord[], where: string, custom: boolean): void {
  const tools = list.filter((r) => r.action.operation === 'execute_tool');
  assert.equal(tools.length, TEXTS.length, `${where}: one record per span`);
  for (const [i, r] of tools.entries()) {
    assert.ok(r.flags.includes('secret_redacted'), `${where}: record ${i} flagged`);
    assert.ok(r.redactions && Object.values(r.redactions).every((n) => n >= 1), `${where}: removals counted`);
    if (i < SECRET_CORPUS.length) assert.ok((r.redactions![SECRET_CORPUS[i]!.rule] ?? 0) >= 1, `${where}: ${SECRET_CORPUS[i]!.format} counted under ${SECRET_CORPUS[i]!.rule}: ${JSON.stringify(r.redactions)}`);
    else if (custom) assert.ok((r.redactions!['acme_ticket'] ?? 0) >= 1, `${where}: the configured pattern counted`);
    BENIGN_LOOKALIKES.forEach((b, j) => assert.equal(r.attributes[`benign.${j}`], b, `${where}: benign ${b} kept`));
    assert.equal(r.trace.traceId.length, 32);
  }
  const root = list.find((r) => r.action.operation === 'invoke_agent');
  // the root span's only secret is in its resource (service.instance.id)
  assert.ok(root, `${where}: the agent's record`);
  assert.deepEqual(root.redactions, { [SECRET_CORPUS[0]!.rule]: 1 }, `${where}: only the resource secret counted on the root`);
  assert.deepEqual(root.redacted, ['resource.service.instance.id']);
}

function exportOnce(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

test('no secret of the corpus reaches any stored or sent byte, through the exporter and the collector', { timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'agentrail-corpus-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const spans = await corpusSpans();
  // the corpus is really in the spans the SDK made
  assert.ok(spans.some((s) => JSON.stringify(s.attributes).includes(SECRETS[3]!)));

  // 1. In process: AuditSpanExporter with an evidence store, forwarding over OTLP/HTTP.
  const exporterSink = await new Sink().listen();
  exporterSink.accept = true;
  t.after(() => exporterSink.close());
  const exporterDir = join(dir, 'exporter');
  const key = generateKey('test.agentrail.dev/corpus');
  const audit = new AuditSpanExporter({
    dataDir: exporterDir, signerKey: key.signerKey,
    evidence: createFileEvidenceStore(join(exporterDir, 'evidence')),
    redaction: { patterns: [{ name: 'acme_ticket', pattern: /ACME-CORP-\d{4}-\d{6}/g }] },
    forwardTo: new ProtoExporter({ url: `${exporterSink.url}/v1/traces` }),
  });
  assert.equal((await exportOnce(audit, spans)).code, ExportResultCode.SUCCESS);
  await audit.shutdown();
  await exporterSink.received(1);
  const exporterFiles = await bytesUnder(exporterDir);
  assert.ok(exporterFiles.bytes.includes('"payload"'), 'the evidence store holds payloads');
  assertNoSecret('exporter data dir (ledger, evidence)', exporterFiles.bytes);
  assertNoSecret('exporter file names', exporterFiles.names);
  assertNoSecret('exporter forward payload', Buffer.concat(exporterSink.bodies));
  assert.ok(Buffer.concat(exporterSink.bodies).includes(BENIGN_LOOKALIKES[2]!), 'forwarded spans keep benign values');
  assertRecordsClean(await records(exporterDir), 'exporter', true);

  // 2. The collector (a consume worker, as in production), both OTLP/HTTP encodings, forwarding
  // to a sink that refuses at first so the batches wait in the spool.
  const sink = await new Sink().listen();
  t.after(() => sink.close());
  const collectorDir = join(dir, 'collector');
  const collector = createCollector({
    dataDir: collectorDir, port: 0, workers: 1, log: { level: 'silent' },
    forward: { url: sink.url },
    redaction: { patterns: [{ id: 'acme_ticket', regex: 'ACME-CORP-\\d{4}-\\d{6}' }] },
  });
  const { url } = await collector.start();
  let stopped = false;
  t.after(async () => { if (!stopped) await collector.shutdown(); });
  for (const make of [() => new ProtoExporter({ url: `${url}/v1/traces` }), () => new JsonExporter({ url: `${url}/v1/traces` })]) {
    const exporter = make();
    const result = await exportOnce(exporter, spans);
    assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
    await exporter.shutdown();
  }
  const spool = await bytesUnder(join(collectorDir, 'forward-spool'));
  assert.ok(spool.files >= 2 && spool.bytes.includes(BENIGN_LOOKALIKES[0]!), 'both batches wait in the spool');
  assertNoSecret('collector spool', spool.bytes);
  assertNoSecret('collector data dir', (await bytesUnder(collectorDir)).bytes);
  sink.accept = true;
  await sink.received(2);
  await collector.shutdown();
  stopped = true;
  assertNoSecret('collector forward payload', Buffer.concat(sink.bodies));
  assertNoSecret('collector data dir after shutdown', (await bytesUnder(collectorDir)).bytes);
  assertNoSecret('collector file names', (await bytesUnder(collectorDir)).names);
  const collected = await records(collectorDir);
  assertRecordsClean(collected.slice(0, collected.length / 2), 'collector protobuf', true);
  assertRecordsClean(collected.slice(collected.length / 2), 'collector JSON', true);
});
