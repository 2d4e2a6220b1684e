// End to end: the real Vercel AI SDK support agent (examples/support-agent) works a ticket
// through the agentrail exporter. Everything is checked from what is on disk and on the wire:
// the ledger's records, every byte in the data directory, the `agentrail` CLI, and the OTLP
// spans a Jaeger-like receiver on 127.0.0.1 gets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argumentsDigest, decodeRecord, type AuditRecord } from '@agentrail/core';
import { leafHash, readLedgerEntries } from '@agentrail/ledger';
import { runCli } from './fixtures/collector-cli.js';
import { filesUnder } from './fixtures/files.js';
import { runSupportAgent, type SupportAgentResult } from '../examples/support-agent/src/agent.js';

const SEEDED_SECRET = 'sk_live_e2e_9f8d7c6b5a4e3d2c1b0a';

// ── a minimal OTLP/HTTP JSON receiver standing in for Jaeger ────────────────────────────────
interface OtlpAnyValue { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number }
interface OtlpSpan { traceId: string; spanId: string; name: string; attributes?: { key: string; value: OtlpAnyValue }[] }
interface OtlpRequest { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] }

function startReceiver(): Promise<{ server: Server; base: string; spans: OtlpSpan[]; contentTypes: string[]; paths: string[] }> {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(String(req.headers['content-type']));
      paths.push(`${req.method} ${req.url}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, base: `http://127.0.0.1:${port}`, spans, contentTypes, paths });
    });
  });
}

function attrOf(span: OtlpSpan, key: string): string | number | boolean | undefined {
  const v = span.attributes?.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.stringValue ?? v.boolValue ?? v.doubleValue;
}

describe('support agent, end to end', () => {
  let dataDir: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let run: SupportAgentResult;
  const entries: { index: number; data: Uint8Array; record: AuditRecord }[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'agentrail-e2e-'));
    receiver = await startReceiver();
    // Forward the way examples/jaeger does: only OTEL_EXPORTER_OTLP_ENDPOINT is set.
    const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.base;
    try {
      run = await runSupportAgent({ dataDir, secret: SEEDED_SECRET, log: () => {} });
    } finally {
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    }
    for await (const e of readLedgerEntries(join(dataDir, 'log'))) entries.push({ ...e, record: decodeRecord(e.data) });
  });
  after(async () => {
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the agent really used its tools: refund refused by policy, email approved and sent', () => {
    assert.deepEqual(run.toolCalls.map((c) => c.toolName), ['lookup_customer', 'read_order', 'refund', 'send_email']);
    assert.match(run.toolCalls.find((c) => c.toolName === 'refund')?.error ?? '', /self-service limit/);
    assert.equal(run.backOffice.refunds.length, 0);
    assert.equal(run.backOffice.outbox.length, 1);
    assert.equal(run.backOffice.outbox[0]?.to, 'ada@example.com');
  });

  test('every tool call is exactly one record with agent, principal, decision and approval', () => {
    const toolRecords = entries.filter((e) => e.record.action.operation === 'execute_tool');
    assert.equal(toolRecords.length, run.toolCalls.length, 'one record per tool call, no duplicates');
    for (const call of run.toolCalls) {
      const found = toolRecords.filter((e) => e.record.action.tool?.callId === call.toolCallId);
      assert.equal(found.length, 1, `record for ${call.toolName} (${call.toolCallId})`);
      const r = found[0]!.record;
      assert.equal(r.action.tool?.name, call.toolName);
      assert.equal(r.trace.traceId, run.traceId);
      assert.equal(r.agent.id, 'support-agent');
      assert.equal(r.agent.name, 'Support Agent');
      assert.equal(r.agent.version, '1.0.0');
      assert.ok(!r.flags.includes('identity_missing'));
      assert.deepEqual(
        { id: r.principal?.id, type: r.principal?.type, tenant: r.principal?.tenant },
        { id: 'cus_1042', type: 'user', tenant: 'loom-shop' },
      );
      assert.equal(r.authorization?.policyId, 'support-desk');
      assert.equal(r.authorization?.policyVersion, '2026-11');
      assert.ok(r.approval, `${call.toolName} has an approval entry`);
      assert.match(r.input?.commitment ?? '', /^sha256:[0-9a-f]{64}$/, 'arguments are committed');

      if (call.toolName === 'refund') {
        assert.equal(r.authorization?.decision, 'deny');
        assert.match(r.authorization?.reason ?? '', /self-service limit/);
        assert.equal(r.outcome.status, 'error');
        assert.equal(r.outcome.errorType, 'PolicyDeniedError');
        assert.equal(r.action.risk, 'high');
        assert.deepEqual(r.action.resource, { type: 'order', id: 'ord_7731' });
      } else {
        assert.equal(r.authorization?.decision, 'allow');
        assert.notEqual(r.outcome.status, 'error');
        assert.match(r.output?.commitment ?? '', /^sha256:[0-9a-f]{64}$/, 'results are committed');
      }
      if (call.toolName === 'send_email') {
        assert.equal(r.approval?.status, 'approved');
        assert.equal(r.approval?.approverId, 'supervisor:grace.hopper');
        assert.equal(r.approval?.argsCommitment, argumentsDigest(call.input), 'approval is bound to the sent arguments');
        assert.ok(!r.flags.includes('approval_mismatch'));
        assert.equal(r.action.kind, 'send');
      } else {
        assert.equal(r.approval?.status, 'not_required');
      }
    }
    // The loop itself is recorded too, as the agent's invocation, with the same identity.
    const invocations = entries.filter((e) => e.record.action.operation === 'invoke_agent' && e.record.trace.traceId === run.traceId);
    assert.ok(invocations.length >= 1);
    for (const e of invocations) assert.equal(e.record.agent.id, 'support-agent');
  });

  test('no raw tool argument, email text or seeded secret is anywhere in the data directory', async () => {
    const files = await filesUnder(dataDir);
    assert.ok(files.length > 0);
    const all = Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
    const secrets = [
      SEEDED_SECRET,
      ...run.backOffice.outbox.flatMap((m) => [m.subject, m.body]),
      ...run.toolCalls.map((c) => JSON.stringify(c.input)),
      'Customer reports the loom arrived damaged',
      'ada@example.com',
    ];
    for (const s of secrets) assert.equal(all.indexOf(Buffer.from(s)), -1, `found raw ${JSON.stringify(s.slice(0, 40))}`);
  });

  test('agentrail verify passes, and fails once one byte of the log is changed', async () => {
    const ok = await runCli(['verify', dataDir, '--vkey', run.verifierKeyPath]);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);

    // Change one byte inside a stored record (not padding or an index): flip a letter of the
    // agent id in the first file under log/ that holds record bytes.
    const needle = Buffer.from('"support-agent"');
    let tampered = false;
    for (const file of await filesUnder(join(dataDir, 'log'))) {
      const bytes = await readFile(file);
      const at = bytes.indexOf(needle);
      if (at < 0) continue;
      bytes[at + 1] = 'S'.charCodeAt(0);
      await writeFile(file, bytes);
      tampered = true;
      break;
    }
    assert.ok(tampered, 'found record bytes to tamper with');
    const bad = await runCli(['verify', dataDir, '--vkey', run.verifierKeyPath]);
    assert.equal(bad.code, 1, bad.stderr + bad.stdout);
  });

  test('forwarded OTLP spans carry the index and hash of their record', async () => {
    assert.ok(receiver.spans.length > 0, 'spans reached the OTLP receiver');
    assert.equal(run.forwardUrl, `${receiver.base}/v1/traces`);
    assert.ok(receiver.paths.every((p) => p === 'POST /v1/traces'), receiver.paths.join(', '));
    assert.ok(receiver.contentTypes.every((t) => t.startsWith('application/json')));
    const linked = receiver.spans.filter((s) => attrOf(s, 'agentrail.record.index') !== undefined);
    const toolSpans = receiver.spans.filter((s) => s.name === 'ai.toolCall');
    assert.equal(toolSpans.length, run.toolCalls.length);
    for (const span of toolSpans) assert.ok(linked.includes(span), 'every tool span is linked to its record');
    for (const span of linked) {
      const index = attrOf(span, 'agentrail.record.index');
      assert.equal(typeof index, 'number');
      const entry = entries.find((e) => e.index === index);
      assert.ok(entry, `record ${String(index)} exists`);
      assert.equal(entry.record.trace.spanId, span.spanId.toLowerCase());
      assert.equal(attrOf(span, 'agentrail.record.hash'), Buffer.from(leafHash(entry.data)).toString('hex'));
    }
  });
});
