// Acknowledged means durable: kill -9 a process mid-stream; every record it acknowledged is in
// the reopened ledger with the same record hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKey, leafHash, openFileLedger } from '@agentrail/ledger';
import { decodeRecord } from '@agentrail/core';

test('kill -9 during consume loses no acknowledged record', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentrail-crash-'));
  try {
    const { signerKey } = generateKey('crash.example/log');
    const logDir = join(dir, 'log');
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url)), logDir, signerKey], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: { index: number; hash: string }[] = [];
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          acked.push(JSON.parse(buf.slice(0, nl)) as { index: number; hash: string });
          buf = buf.slice(nl + 1);
        }
        if (acked.length >= 300 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited early: ${code}`))));
    });
    assert.ok(acked.length >= 300);
    const ledger = await openFileLedger(logDir, { signerKey });
    try {
      assert.ok(ledger.size >= acked.length, `ledger has ${ledger.size} entries, ${acked.length} were acknowledged`);
      const seen = new Set<number>();
      for (const a of acked) {
        assert.ok(!seen.has(a.index), `index ${a.index} acknowledged twice`);
        seen.add(a.index);
        const entry = await ledger.readEntry(a.index);
        assert.equal(Buffer.from(leafHash(entry)).toString('hex'), a.hash, `entry ${a.index} differs from what was acknowledged`);
        assert.equal(decodeRecord(entry).agent.id, 'crasher');
      }
    } finally {
      await ledger.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
