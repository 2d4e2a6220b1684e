// `agentrail log`: the reconstructed timeline from a log the real pipeline wrote.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createAuditPipeline, type NeutralSpan } from '@agentrail/core';
import { openFileLedger, writeKeyFiles } from '@agentrail/ledger';
import { agentrail, tempDir } from './helpers.js';

const TRACE_A = 'a'.repeat(31) + '1';
const TRACE_B = 'b'.repeat(31) + '2';
const T0 = 1_763_870_400_000_000_000n; // 2025-11-23T04:00:00Z in ns

function span(p: Partial<NeutralSpan> & { spanId: string; traceId: string; attributes: NeutralSpan['attributes'] }, offsetMs: number): NeutralSpan {
  return {
    parentSpanId: null,
    name: 'span',
    kind: 1,
    startTimeUnixNano: T0 + BigInt(offsetMs) * 1_000_000n,
    endTimeUnixNano: T0 + BigInt(offsetMs + 5) * 1_000_000n,
    resource: { 'service.name': 'support-agent' },
    scope: { name: 'test' },
    status: { code: 0 },
    events: [],
    ...p,
  };
}

const agentAttrs = {
  'gen_ai.agent.id': 'agent-support-1',
  'gen_ai.agent.name': 'support',
  'agentrail.principal.id': 'alice@example.com',
  'agentrail.principal.type': 'user',
};

describe('agentrail log', () => {
  let tmp: { dir: string; cleanup(): Promise<void> };
  let dataDir: string;

  before(async () => {
    tmp = await tempDir();
    dataDir = join(tmp.dir, 'data');
    const keys = await writeKeyFiles(dataDir, 'log.example');
    const ledger = await openFileLedger(join(dataDir, 'log'), { signerKey: keys.signerKey });
    const pipeline = createAuditPipeline({ ledger });
    const root = span({ traceId: TRACE_A, spanId: '1000000000000001', name: 'invoke_agent support', attributes: { ...agentAttrs, 'gen_ai.operation.name': 'invoke_agent' } }, 0);
    const lookup = span({
      traceId: TRACE_A, spanId: '1000000000000002', parentSpanId: '1000000000000001', name: 'execute_tool lookup_customer',
      attributes: { ...agentAttrs, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_customer', 'gen_ai.tool.call.arguments': '{"customerId":"c-42"}', 'agentrail.resource.type': 'customer', 'agentrail.resource.id': 'c-42' },
    }, 10);
    const refund = span({
      traceId: TRACE_A, spanId: '1000000000000003', parentSpanId: '1000000000000001', name: 'execute_tool refund',
      status: { code: 2, message: 'denied' },
      attributes: { ...agentAttrs, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'refund', 'error.type': 'PolicyDenied', 'agentrail.authz.decision': 'deny', 'agentrail.authz.policy.id': 'refund-limit' },
    }, 20);
    const other = span({
      traceId: TRACE_B, spanId: '2000000000000001', name: 'execute_tool send_email',
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'send_email', 'gen_ai.agent.id': 'agent-mailer', 'agentrail.principal.id': 'bob@example.com', 'agentrail.principal.type': 'user' },
    }, 3_600_000);
    // children end before their parent in real traces; append in that order
    const results = await pipeline.consume([lookup, refund, root, other], { via: 'exporter', authenticated: null });
    assert.ok(results.every((r) => r.status === 'recorded'), JSON.stringify(results));
    await pipeline.shutdown();
    await ledger.close();
  });
  after(() => tmp.cleanup());

  test('prints traces with children nested under their parent', async () => {
    const r = await agentrail(['log', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const ia = lines.findIndex((l) => l.startsWith(`trace ${TRACE_A}`));
    assert.ok(ia >= 0, r.stdout);
    const a = lines.slice(ia + 1, ia + 4);
    assert.match(a[0]!, /#2 .* invoke_agent .*agent=support/);
    assert.match(a[1]!, /#0 .*   execute_tool lookup_customer .*for=user:alice@example\.com .*resource=customer:c-42 .*unset/);
    assert.match(a[2]!, /#1 .*   execute_tool refund .*authz=deny\(refund-limit\) .*ERROR\(PolicyDenied\)/);
    assert.ok(lines.some((l) => l.startsWith(`trace ${TRACE_B}`)));
    assert.match(r.stderr, /4 of 4 records shown/);
  });

  test('filters by agent, principal, tool, trace, outcome, flag and time', async () => {
    const count = async (...args: string[]) => {
      const r = await agentrail(['log', dataDir, '--json', ...args]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim() === '' ? 0 : r.stdout.trim().split('\n').length;
    };
    assert.equal(await count('--agent', 'agent-mailer'), 1);
    assert.equal(await count('--principal', 'alice@example.com'), 3);
    assert.equal(await count('--tool', 'refund'), 1);
    assert.equal(await count('--trace', TRACE_B.slice(0, 8)), 1);
    assert.equal(await count('--outcome', 'error'), 1);
    assert.equal(await count('--flag', 'identity_unauthenticated'), 4);
    assert.equal(await count('--flag', 'no_such_flag'), 0);
    assert.equal(await count('--since', '2025-11-23T04:30:00Z'), 1);
    assert.equal(await count('--until', '2025-11-23T04:30:00Z'), 3);
  });

  test('--json prints one {index, record} per line, in log order', async () => {
    const r = await agentrail(['log', dataDir, '--json']);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { index: number; record: { v: number; kind: string; trace: { spanId: string } } });
    assert.deepEqual(rows.map((x) => x.index), [0, 1, 2, 3]);
    assert.deepEqual(rows.map((x) => x.record.trace.spanId), ['1000000000000002', '1000000000000003', '1000000000000001', '2000000000000001']);
    assert.ok(rows.every((x) => x.record.v === 1 && x.record.kind === 'agent.action'));
  });

  test('bad filters exit 2 with one sentence', async () => {
    const r = await agentrail(['log', dataDir, '--since', 'yesterday-ish']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /RFC 3339/);
    const o = await agentrail(['log', dataDir, '--outcome', 'maybe']);
    assert.equal(o.code, 2);
  });
});
