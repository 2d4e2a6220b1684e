// Crash safety: spans are sent in a loop while `agentrail serve` is killed with SIGKILL at
// random moments and restarted on the same data dir. Every span that got a 200 must be in the
// log, and the log must verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTraceRequestProto, type OtlpSpan } from '@agentrail/collector';
import { decodeRecord } from '@agentrail/core';
import { readLedgerEntries } from '@agentrail/ledger';
import { runCli, spawnServe, type ServeProcess } from './fixtures/collector-cli.js';

const ROUNDS = 8;

function batch(n: number): { body: Uint8Array; spanIds: string[] } {
  const traceId = randomBytes(16);
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans: OtlpSpan[] = [];
  const spanIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const spanId = randomBytes(8);
    spanIds.push(spanId.toString('hex'));
    spans.push({
      traceId, spanId, parentSpanId: new Uint8Array(0), name: 'execute_tool transfer', kind: 3,
      startTimeUnixNano: now.toString(), endTimeUnixNano: (now + 1000n).toString(),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } },
        { key: 'gen_ai.agent.id', value: { stringValue: 'agent-crash' } },
        { key: 'gen_ai.tool.name', value: { stringValue: 'transfer' } },
      ],
      events: [], links: [],
    });
  }
  const body = encodeTraceRequestProto({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'crash' }, spans }] }] });
  return { body, spanIds };
}

test(`every acknowledged span survives ${ROUNDS} kill -9 crashes`, { timeout: 240_000 }, async (t) => {
  const data = await mkdtemp(join(tmpdir(), 'agentrail-crash-'));
  const acked = new Set<string>();
  let vkeyPath = '';
  let server: ServeProcess | undefined;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const current = await spawnServe(['--data', data]);
      server = current;
      vkeyPath = current.summary.verifierKeyPath;
      let running = true;
      let roundAcks = 0;
      let onAck: () => void = () => undefined;
      const sender = async (): Promise<void> => {
        while (running) {
          const { body, spanIds } = batch(randomInt(1, 40));
          try {
            const res = await fetch(`${current.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
            await res.arrayBuffer();
            if (res.status === 200) {
              for (const id of spanIds) acked.add(id);
              roundAcks++;
              onAck();
            }
          } catch {
            // the server died mid-request: not acknowledged
          }
        }
      };
      const senders = [sender(), sender(), sender()];
      // Kill at a random moment while requests are in flight: after a random number of
      // acknowledged requests (so every round makes progress on a busy machine), plus jitter.
      const target = randomInt(1, 12);
      await new Promise<void>((resolve) => {
        onAck = () => roundAcks >= target && resolve();
        onAck();
      });
      await new Promise((r) => setTimeout(r, randomInt(0, 40)));
      current.proc.kill('SIGKILL');
      const { signal } = await current.exited;
      assert.equal(signal, 'SIGKILL');
      running = false;
      await Promise.all(senders);
    }
    assert.ok(acked.size > 0, 'some spans were acknowledged before the crashes');

    // Restart once more (recovery), stop cleanly, then check.
    const last = await spawnServe(['--data', data]);
    server = last;
    assert.equal((await last.stop()).code, 0, last.stderr());
    const recorded = new Set<string>();
    for await (const e of readLedgerEntries(join(data, 'log'))) recorded.add(decodeRecord(e.data).trace.spanId);
    const missing = [...acked].filter((id) => !recorded.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged spans are missing`);
    t.diagnostic(`${acked.size} spans acknowledged across ${ROUNDS} crashes; ${recorded.size} recorded`);
    const verify = await runCli(['verify', data, '--vkey', vkeyPath]);
    assert.equal(verify.code, 0, verify.stderr + verify.stdout);
  } finally {
    await server?.kill();
    await rm(data, { recursive: true, force: true });
  }
});
