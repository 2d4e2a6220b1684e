// Kill a writer process with SIGKILL at random moments, many times; every acknowledged append
// must survive with the right bytes and the log must verify after each reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateKey, openFileLedger, verifyLedger } from '@agentrail/ledger';
import { dec, tempDir } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
const entryText = (i: number): string => `entry-${i}-${'x'.repeat(i % 300)}`;

async function runAndKill(dir: string, signerKey: string, killAfterMs: number): Promise<Array<[number, number]>> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture, dir, signerKey, '5'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`writer exited early: ${err}`)));
  });
  await new Promise((r) => setTimeout(r, killAfterMs));
  child.kill('SIGKILL');
  await exited;
  const lines = out.split('\n');
  lines.pop(); // possibly torn last line
  return lines.filter((l) => !l.startsWith('ready')).map((l) => l.split(' ').map(Number) as [number, number]);
}

test('kill -9 at random moments loses no acknowledged entry (30 rounds)', { timeout: 240_000 }, async () => {
  const dir = await tempDir();
  const { signerKey, verifierKey } = generateKey('crash.example');
  const acked = new Map<number, number>(); // first index -> count
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  for (let round = 0; round < 30; round++) {
    for (const [first, count] of await runAndKill(dir, signerKey, 20 + Math.floor(rand() * 180))) acked.set(first, count);
    const ledger = await openFileLedger(dir, { signerKey });
    let maxEnd = 0;
    for (const [first, count] of acked) maxEnd = Math.max(maxEnd, first + count);
    assert.ok(ledger.size >= maxEnd, `round ${round}: size ${ledger.size} < acknowledged ${maxEnd}`);
    // Check the entries acknowledged in this round's neighbourhood plus a sample of older ones.
    for (const [first, count] of acked) {
      if (first < maxEnd - 400 && rand() > 0.05) continue;
      for (let i = first; i < first + count; i++) assert.equal(dec(await ledger.readEntry(i)), entryText(i), `entry ${i}`);
    }
    await ledger.close();
    const report = await verifyLedger(dir, { verifierKeys: [verifierKey] });
    assert.equal(report.size, report.checkpointSize);
  }
  assert.ok(acked.size > 30, 'writers acknowledged appends');
});
