// A write that fails (file size limit → EFBIG) puts the ledger in a failed state: that append and
// every later one are refused, nothing acknowledged is lost, and reopening recovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKey, openFileLedger, verifyLedger } from '@agentrail/ledger';
import { dec, tempDir } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/efbig-writer.ts', import.meta.url));

test('a failed write refuses further appends and loses nothing acknowledged', { skip: process.platform === 'win32', timeout: 60_000 }, async () => {
  const dir = join(await tempDir(), 'log');
  const { signerKey, verifierKey } = generateKey('efbig.example');
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['-c', `ulimit -f 200; exec "${process.execPath}" --conditions=source --import tsx "${fixture}" "${dir}" "${signerKey}"`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(text));
  });
  const lines = out.trim().split('\n');
  assert.equal(lines.at(-1), 'failed ERR_LEDGER_FAILED then ERR_LEDGER_FAILED');
  const acked = lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.split(' ')[1]) + 2);
  assert.ok(acked.length > 10);
  const ledger = await openFileLedger(dir, { signerKey });
  const maxEnd = Math.max(...acked);
  assert.ok(ledger.size >= maxEnd);
  for (let i = 0; i < maxEnd; i++) assert.ok(dec(await ledger.readEntry(i)).startsWith(`big-${i}-`));
  await ledger.append([new TextEncoder().encode('after recovery')]);
  await ledger.close();
  await verifyLedger(dir, { verifierKeys: [verifierKey] });
});
