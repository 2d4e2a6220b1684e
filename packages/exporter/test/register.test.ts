import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceTool, withAgent } from '@agentrail/instrumentation';
import { keyFileBase, readCheckpointNote, verifyLedger } from '@agentrail/ledger';
import { keyNameFor, registerAgentAudit, ExporterConfigError } from '../src/index.js';
import { attr, readRecords, startOtlpJsonSink, tempDir } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/agent-process.ts', import.meta.url));

async function runAgentCalls(n: number): Promise<void> {
  const tool = traceTool('send_invoice', async (id: string) => ({ sent: id }), { kind: 'send', risk: 'medium' });
  await withAgent({ id: 'billing-agent', name: 'Billing' }, async () => {
    for (let i = 0; i < n; i++) await tool(`inv-${i}`);
  });
}

function runChild(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line) onLine?.(line, () => child.kill('SIGKILL'));
    });
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('registerAgentAudit', () => {
  it('sets everything up in one call: key on first use, identity, audit, OTLP forwarding', async (t) => {
    const dataDir = await tempDir(t);
    const sink = await startOtlpJsonSink();
    t.after(() => sink.close());
    const lines: string[] = [];
    const audit = registerAgentAudit({ serviceName: 'billing service', dataDir, forwardTo: sink.url, log: (l) => lines.push(l), shutdownOnExit: false });
    const info = await audit.ready;
    await runAgentCalls(3);
    await audit.shutdown();

    assert.equal(info.created, true);
    assert.equal(lines.length, 1);
    assert.ok(info.verifierKeyPath && lines[0]!.includes(info.verifierKeyPath), lines[0]);
    const verifierKey = (await readFile(info.verifierKeyPath, 'utf8')).trim();
    assert.equal(verifierKey, info.verifierKey);
    assert.ok(verifierKey.startsWith(`${keyNameFor('billing service')}+`));
    // The documented data-dir layout: `<dataDir>/<name>.key` (0600) and `<name>.vkey`, beside `log/`.
    const base = keyFileBase(keyNameFor('billing service'));
    assert.equal(info.verifierKeyPath, join(dataDir, `${base}.vkey`));
    const privateKeyFile = join(dataDir, `${base}.key`);
    assert.ok((await readFile(privateKeyFile, 'utf8')).startsWith('PRIVATE+KEY+'));
    assert.equal((await stat(privateKeyFile)).mode & 0o777, 0o600);

    const records = await readRecords(dataDir);
    assert.equal(records.length, 3);
    for (const r of records) {
      assert.equal(r.record.agent.id, 'billing-agent');
      assert.equal(r.record.agent.service, 'billing service');
    }
    assert.equal(sink.spans.length, 3);
    assert.deepEqual(sink.spans.map((s) => attr(s, 'agentrail.record.index')).sort(), [0, 1, 2]);
    const report = await verifyLedger(join(dataDir, 'log'), { verifierKeys: [verifierKey] });
    assert.equal(report.size, 3);

    // a second run reuses the key silently and appends after the first run's records
    const again = registerAgentAudit({ serviceName: 'billing service', dataDir, forwardTo: false, log: (l) => lines.push(l), shutdownOnExit: false });
    await runAgentCalls(2);
    await again.shutdown();
    assert.equal(lines.length, 1);
    const all = await readRecords(dataDir);
    assert.equal(all.length, 5);
    assert.match(await readCheckpointNote(join(dataDir, 'log')), /\n5\n/);
  });

  it('reads OTEL_SERVICE_NAME and OTEL_EXPORTER_OTLP_ENDPOINT, and options win over them', async (t) => {
    const dataDir = await tempDir(t);
    const sink = await startOtlpJsonSink();
    t.after(() => sink.close());
    const env = { OTEL_SERVICE_NAME: 'env-agent', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url.replace('/v1/traces', '/') };
    const audit = registerAgentAudit({ dataDir, env, keyName: 'shared-log', log: () => {}, shutdownOnExit: false });
    assert.equal(audit.forwardUrl, sink.url);
    await runAgentCalls(1);
    await audit.shutdown();
    assert.equal(sink.spans.length, 1);
    assert.equal((await readRecords(dataDir))[0]!.record.agent.service, 'env-agent');

    const explicit = registerAgentAudit({ dataDir, env, keyName: 'shared-log', serviceName: 'opt-agent', forwardTo: false, log: () => {}, shutdownOnExit: false });
    assert.equal(explicit.forwardUrl, undefined);
    await runAgentCalls(1);
    await explicit.shutdown();
    assert.equal(sink.spans.length, 1, 'forwardTo: false overrides the environment');
    assert.equal((await readRecords(dataDir))[1]!.record.agent.service, 'opt-agent');
  });

  it('rejects a forwardTo that is not a URL, and a second global registration', async (t) => {
    assert.throws(() => registerAgentAudit({ dataDir: '/tmp/none', forwardTo: 'not a url', registerGlobal: false, shutdownOnExit: false }), ExporterConfigError);
    const dataDir = await tempDir(t);
    const first = registerAgentAudit({ dataDir, forwardTo: false, log: () => {}, shutdownOnExit: false });
    assert.throws(
      () => registerAgentAudit({ dataDir, forwardTo: false, log: () => {}, shutdownOnExit: false }),
      (e: unknown) => e instanceof ExporterConfigError && /already registered/.test(e.message),
    );
    await first.shutdown();
  });

  it('flushes and publishes a final checkpoint when the process simply ends', async (t) => {
    const dataDir = await tempDir(t);
    const { code, stderr } = await runChild([dataDir, '25', 'exit']);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /created signing key "crash-test-agent"/);
    assert.equal((await readRecords(dataDir)).length, 25);
    assert.match(await readCheckpointNote(join(dataDir, 'log')), /\n25\n/);
  });

  it('keeps every flushed record through kill -9, and the next run appends after them', async (t) => {
    const dataDir = await tempDir(t);
    let verifierKey = '';
    const { signal } = await runChild([dataDir, '40', 'flush-then-hang'], (line, kill) => {
      if (line.startsWith('VKEY ')) verifierKey = line.slice(5);
      if (line === 'FLUSHED') kill();
    });
    assert.equal(signal, 'SIGKILL');
    assert.equal((await readRecords(dataDir)).length, 40);
    const { code, stderr } = await runChild([dataDir, '5', 'exit']);
    assert.equal(code, 0, stderr);
    const records = await readRecords(dataDir);
    assert.equal(records.length, 45);
    assert.equal((await verifyLedger(join(dataDir, 'log'), { verifierKeys: [verifierKey] })).size, 45);
  });
});
