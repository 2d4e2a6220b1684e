// The examples/otel-collector configurations agree with each other: agentrail started from
// agentrail.yaml accepts what config.yaml's otlphttp exporter sends (gzip protobuf, bearer token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { createCollector, loadCollectorConfig } from '@agentrail/collector';
import { decodeRecord } from '@agentrail/core';
import { readLedgerEntries } from '@agentrail/ledger';
import { makeAgentSpans, toProtobuf } from '../packages/collector/test/fixtures/spans.js';

const dir = fileURLToPath(new URL('../examples/otel-collector/', import.meta.url));

interface OtelConfig {
  exporters: Record<string, { endpoint: string; compression?: string; headers?: Record<string, string> }>;
  service: { pipelines: Record<string, { exporters: string[] }> };
}

test('the OTel Collector example sends what the agentrail example config accepts', { timeout: 60_000 }, async () => {
  const otel = parse(await readFile(join(dir, 'config.yaml'), 'utf8')) as OtelConfig;
  const exporter = otel.exporters['otlphttp/agentrail'];
  assert.ok(exporter, 'config.yaml has an otlphttp/agentrail exporter');
  assert.ok(Object.values(otel.service.pipelines).some((p) => p.exporters.includes('otlphttp/agentrail')), 'and a pipeline uses it');
  const token = 'demo-relay-token-change-me'; // the README's AGENTRAIL_TOKEN
  const authorization = exporter.headers?.authorization?.replace('${env:AGENTRAIL_TOKEN}', token);

  const data = await mkdtemp(join(tmpdir(), 'agentrail-example-'));
  const asWritten = await loadCollectorConfig({ file: join(dir, 'agentrail.yaml'), env: {} });
  assert.equal(exporter.endpoint, `http://${asWritten.host}:${asWritten.port}`, 'config.yaml points at the address agentrail.yaml listens on');
  assert.equal(asWritten.dataDir, join(process.cwd(), 'agentrail-data'), "the README's verify and prove commands find the data in ./agentrail-data");
  // The same file, on a free port and a temp data dir (flags win over the file).
  const config = await loadCollectorConfig({ file: join(dir, 'agentrail.yaml'), env: {}, flags: { port: 0, dataDir: data } });
  const collector = createCollector({ ...config, workers: 0, log: { level: 'silent' } });
  try {
    const { url } = await collector.start();
    const res = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': exporter.compression ?? 'identity', authorization: authorization ?? '' },
      body: gzipSync(toProtobuf(await makeAgentSpans(4))),
    });
    assert.equal(res.status, 200, await res.text());
    await collector.shutdown();
    const records = [];
    for await (const e of readLedgerEntries(join(data, 'log'))) records.push(decodeRecord(e.data));
    assert.equal(records.length, 4);
    assert.ok(records.every((r) => r.agent.authenticated?.id === 'otel-collector-relay' && r.agent.verified));
  } finally {
    await collector.shutdown();
    await rm(data, { recursive: true, force: true });
  }
});
