// Overload: a full collector answers 429 with Retry-After; the official exporter retries and
// succeeds once there is room, and nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { decodeRecord } from '@agentrail/core';
import { readLedgerEntries } from '@agentrail/ledger';
import { makeAgentSpans, toProtobuf } from '../packages/collector/test/fixtures/spans.js';
import { spawnServe, type ServeProcess } from './fixtures/collector-cli.js';

async function count429(url: string): Promise<number> {
  const res = await fetch(`${url}/metrics`);
  const m = /^agentrail_requests_total\{code="429"\} (\d+)$/m.exec(await res.text());
  return Number(m?.[1] ?? 0);
}

test('429 + Retry-After under overload; the exporter retries and every span is recorded', { timeout: 120_000 }, async () => {
  const data = await mkdtemp(join(tmpdir(), 'agentrail-overload-'));
  const config = join(data, 'agentrail.yaml');
  await writeFile(config, 'limits:\n  maxInFlightRequests: 2\n  retryAfterSeconds: 1\n');
  let server: ServeProcess | undefined;
  try {
    server = await spawnServe(['--data', data, '--config', config]);
    const url = `${server.url}/v1/traces`;
    // Two slow clients take both request slots: headers sent, body still arriving.
    const held = await makeAgentSpans(3, { agentId: 'agent-slow' });
    const heldBody = toProtobuf(held);
    const slow = [0, 1].map(() => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-length': String(heldBody.length) } });
      const status = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      req.write(heldBody.subarray(0, 5));
      return { req, status };
    });

    // A direct request sees the 429 and its Retry-After (once both slow requests are admitted).
    const spans = await makeAgentSpans(30, { agentId: 'agent-busy' });
    let res: Response;
    do {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: toProtobuf(spans.slice(0, 1)) });
      await res.arrayBuffer();
    } while (res.status === 200);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');

    // The official exporter is refused too, and retries.
    const exporter = new OTLPTraceExporter({ url });
    const srv = server;
    const before = await count429(srv.url);
    const result = new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    while ((await count429(srv.url)) === before) await new Promise((r) => setTimeout(r, 20));
    for (const s of slow) s.req.end(heldBody.subarray(5));
    assert.deepEqual(await Promise.all(slow.map((s) => s.status)), [200, 200]);
    const r = await result;
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    await exporter.shutdown();
    assert.equal((await server.stop()).code, 0, server.stderr());

    const recorded = new Set<string>();
    for await (const e of readLedgerEntries(join(data, 'log'))) recorded.add(decodeRecord(e.data).trace.spanId);
    for (const s of [...spans, ...held]) assert.ok(recorded.has(s.spanContext().spanId), 'nothing lost');
  } finally {
    await server?.kill();
    await rm(data, { recursive: true, force: true });
  }
});
