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
  await writeFile(config, 'limits:\n  maxInFlightRequests: 1\n  retryAfterSeconds: 1\n');
  let server: ServeProcess | undefined;
  try {
    server = await spawnServe(['--data', data, '--config', config]);
    const url = `${server.url}/v1/traces`;
    // Slow clients hold no request slot (admission comes after the body), so the slot is held
    // by real work: a flood of concurrent requests, each holding it until its records are durable.
    const held = await makeAgentSpans(20, { agentId: 'agent-flood' });
    const heldBody = toProtobuf(held);
    const floodOnce = async (): Promise<number> => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: heldBody });
      await r.arrayBuffer();
      return r.status;
    };
    let flooding = true;
    const flood = (async () => {
      const statuses: number[] = [];
      while (flooding) statuses.push(...(await Promise.all(Array.from({ length: 8 }, floodOnce))));
      return statuses;
    })();

    // A direct request sees the 429 and its Retry-After.
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
    flooding = false;
    const statuses = await flood;
    assert.ok(statuses.every((s) => s === 200 || s === 429), String(statuses));
    const r = await result;
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    await exporter.shutdown();
    assert.equal((await server.stop()).code, 0, server.stderr());

    const recorded = new Set<string>();
    for await (const e of readLedgerEntries(join(data, 'log'))) recorded.add(decodeRecord(e.data).trace.spanId);
    for (const s of spans) assert.ok(recorded.has(s.spanContext().spanId), 'nothing lost');
  } finally {
    await server?.kill();
    await rm(data, { recursive: true, force: true });
  }
});
