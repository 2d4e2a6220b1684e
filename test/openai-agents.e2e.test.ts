// End to end on the OpenAI Agents SDK (examples/openai-agents): a real Agent with real function
// tools and a scripted model, its SDK traces bridged into OpenTelemetry, recorded by the agentrail
// exporter. Checked from the ledger and the data directory alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argumentsDigest, decodeRecord, type AuditRecord } from '@agentrail/core';
import { readLedgerEntries } from '@agentrail/ledger';
import { runCli } from './fixtures/collector-cli.js';
import { filesUnder } from './fixtures/files.js';
import { runOpenAIAgentsSupport, type OpenAIAgentsSupportResult } from '../examples/openai-agents/src/agent.js';

const SEEDED_SECRET = 'sk_live_oai_e2e_0a1b2c3d4e5f6a7b8c9d';

describe('OpenAI Agents SDK support agent, end to end', () => {
  let dataDir: string;
  let run: OpenAIAgentsSupportResult;
  const records: AuditRecord[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'agentrail-oai-e2e-'));
    run = await runOpenAIAgentsSupport({ dataDir, forwardTo: false, secret: SEEDED_SECRET, log: () => {} });
    for await (const e of readLedgerEntries(join(dataDir, 'log'))) records.push(decodeRecord(e.data));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('each tool call is one record with identity, call id, decision and approval', () => {
    assert.match(run.answer, /escalated/);
    const tools = records.filter((r) => r.action.operation === 'execute_tool');
    assert.deepEqual(tools.map((r) => r.action.tool?.name).sort(), ['lookup_customer', 'read_order', 'refund', 'send_email']);
    for (const r of tools) {
      assert.equal(r.agent.id, 'support-agent-oai');
      assert.equal(r.principal?.id, 'cus_1042');
      assert.equal(r.session?.conversationId, 'T-1042', 'the SDK group id is the conversation');
      assert.match(r.action.tool?.callId ?? '', /^call_\d+$/, 'the model call id reached the record');
      assert.ok(r.authorization);
      assert.ok(r.approval);
      assert.match(r.input?.commitment ?? '', /^sha256:[0-9a-f]{64}$/);
    }
    const refund = tools.find((r) => r.action.tool?.name === 'refund')!;
    assert.equal(refund.authorization?.decision, 'deny');
    assert.equal(refund.outcome.status, 'error');
    assert.equal(refund.outcome.errorType, 'PolicyDeniedError');
    const email = tools.find((r) => r.action.tool?.name === 'send_email')!;
    const sent = run.backOffice.outbox[0]!;
    assert.equal(email.approval?.status, 'approved');
    assert.equal(email.approval?.argsCommitment, argumentsDigest({ customerId: 'cus_1042', subject: sent.subject, body: sent.body }));
    const agents = records.filter((r) => r.action.operation === 'invoke_agent');
    assert.ok(agents.length >= 1);
    assert.ok(records.some((r) => r.action.operation === 'chat'), 'model calls are recorded');
  });

  test('no seeded secret or raw email text in the data directory, and the log verifies', async () => {
    const files = await filesUnder(dataDir);
    assert.ok(files.some((f) => f.endsWith('entries')), 'the scan covers the ledger');
    const all = Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
    const sent = run.backOffice.outbox[0]!;
    for (const s of [SEEDED_SECRET, sent.body, sent.subject, 'Customer reports the loom arrived damaged']) {
      assert.equal(all.indexOf(Buffer.from(s)), -1, `found raw ${JSON.stringify(s.slice(0, 40))}`);
    }
    const verify = await runCli(['verify', dataDir, '--vkey', run.verifierKeyPath]);
    assert.equal(verify.code, 0, verify.stderr + verify.stdout);
  });
});
