// Tampering with the files on disk is detected with the right code; the untouched log passes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  VerificationError, formatCheckpoint, generateKey, openFileLedger, parseCheckpoint, signNote, verifyLedger,
  type VerificationErrorCode,
} from '@agentrail/ledger';
import { enc } from './helpers.js';

const key = generateKey('tamper.example');
const ENTRY = 64; // equal-length entries so swaps keep offsets valid
const entry = (i: number, tag = 'e'): Uint8Array => enc(`${tag}${String(i).padStart(8, '0')}`.padEnd(ENTRY, '.'));
let base: string;
let note200: string;
let work: string;

after(() => rm(work, { recursive: true, force: true }));
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'agentrail-tamper-'));
  base = join(work, 'base');
  const ledger = await openFileLedger(base, { signerKey: key.signerKey, checkpointIntervalMs: 60_000 });
  await ledger.append(Array.from({ length: 200 }, (_, i) => entry(i)));
  note200 = await ledger.publishCheckpoint();
  await ledger.append(Array.from({ length: 100 }, (_, i) => entry(200 + i)));
  await ledger.close();
});

let copies = 0;
async function copy(): Promise<string> {
  const dir = join(work, `copy${copies++}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function patch(path: string, offset: number, mutate: (b: number) => number): Promise<void> {
  const fh = await open(path, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, offset);
  b[0] = mutate(b[0]!);
  await fh.write(b, 0, 1, offset);
  await fh.close();
}

async function expectFailure(dir: string, code: VerificationErrorCode, index?: number, statePath?: string): Promise<VerificationError> {
  let caught: unknown;
  try {
    await verifyLedger(dir, { verifierKeys: [key.verifierKey], ...(statePath ? { trustedStatePath: statePath } : {}) });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof VerificationError, `expected VerificationError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (index !== undefined) assert.equal(caught.index, index);
  return caught;
}

test('the untouched log verifies and reports progress', async () => {
  const seen: Array<[number, number]> = [];
  const report = await verifyLedger(base, { verifierKeys: [key.verifierKey], onProgress: (d, t) => seen.push([d, t]) });
  assert.equal(report.size, 300);
  assert.equal(report.checkpointSize, 300);
  assert.equal(report.origin, 'tamper.example');
  assert.deepEqual(seen[0], [0, 300]);
  assert.deepEqual(seen.at(-1), [300, 300]);
});

test('one changed byte of an entry is ERR_ENTRY_CHANGED at that index', async () => {
  const dir = await copy();
  await patch(join(dir, 'entries'), 123 * ENTRY + 20, (b) => b ^ 0x01);
  const e = await expectFailure(dir, 'ERR_ENTRY_CHANGED', 123);
  assert.ok(e.expected && e.computed && e.expected !== e.computed);
});

test('one changed byte of a stored tree hash is ERR_TREE_HASH_MISMATCH', async () => {
  const dir = await copy();
  await patch(join(dir, 'tree', '3'), 5 * 32 + 7, (b) => b ^ 0x80);
  await expectFailure(dir, 'ERR_TREE_HASH_MISMATCH', 40);
});

test('one changed byte of the checkpoint is ERR_CHECKPOINT_FORGED', async () => {
  for (const at of [2, 18, 40, -10]) {
    const dir = await copy();
    const size = (await readFile(join(dir, 'checkpoint'))).length;
    await patch(join(dir, 'checkpoint'), at < 0 ? size + at : at, (b) => (b === 0x41 ? 0x42 : 0x41));
    await expectFailure(dir, 'ERR_CHECKPOINT_FORGED');
  }
});

test('a checkpoint signed by another key is ERR_CHECKPOINT_FORGED', async () => {
  const dir = await copy();
  const other = generateKey('tamper.example');
  const text = (await readFile(join(dir, 'checkpoint'), 'utf8')).split('\n\n')[0] + '\n';
  await writeFile(join(dir, 'checkpoint'), signNote(text, other.signerKey));
  await expectFailure(dir, 'ERR_CHECKPOINT_FORGED');
});

test('a deleted entry is ERR_ENTRY_MISSING at its index', async () => {
  const dir = await copy();
  // Remove entry 100's bytes and index record and shift later offsets, so the files stay self-consistent.
  const entries = await readFile(join(dir, 'entries'));
  const index = await readFile(join(dir, 'index'));
  await writeFile(join(dir, 'entries'), Buffer.concat([entries.subarray(0, 100 * ENTRY), entries.subarray(101 * ENTRY)]));
  const rest = Buffer.from(index.subarray(101 * 40));
  for (let r = 0; r < rest.length / 40; r++) rest.writeUInt32BE(rest.readUInt32BE(r * 40 + 4) - ENTRY, r * 40 + 4);
  await writeFile(join(dir, 'index'), Buffer.concat([index.subarray(0, 100 * 40), rest]));
  await expectFailure(dir, 'ERR_ENTRY_MISSING', 100);
});

test('entry bytes cut from the end are ERR_ENTRY_MISSING', async () => {
  const dir = await copy();
  await truncate(join(dir, 'entries'), 250 * ENTRY + 3);
  await expectFailure(dir, 'ERR_ENTRY_MISSING', 250);
});

test('two swapped entries are ERR_ENTRY_REORDERED at the first', async () => {
  const dir = await copy();
  const entries = await readFile(join(dir, 'entries'));
  const a = Buffer.from(entries.subarray(10 * ENTRY, 11 * ENTRY));
  entries.copy(entries, 10 * ENTRY, 200 * ENTRY, 201 * ENTRY);
  a.copy(entries, 200 * ENTRY);
  await writeFile(join(dir, 'entries'), entries);
  await expectFailure(dir, 'ERR_ENTRY_REORDERED', 10);
});

test('swapped entries with their index records are caught by the stored tree hashes', async () => {
  const dir = await copy();
  for (const name of ['entries', 'index'] as const) {
    const size = name === 'entries' ? ENTRY : 40;
    const buf = await readFile(join(dir, name));
    const a = Buffer.from(buf.subarray(10 * size, 11 * size));
    buf.copy(buf, 10 * size, 11 * size, 12 * size);
    a.copy(buf, 11 * size);
    if (name === 'index') {
      // keep offsets increasing: records carry end offsets, restore them
      buf.writeUInt32BE(11 * ENTRY, 10 * 40 + 4);
      buf.writeUInt32BE(12 * ENTRY, 11 * 40 + 4);
    }
    await writeFile(join(dir, name), buf);
  }
  await expectFailure(dir, 'ERR_TREE_HASH_MISMATCH', 10);
});

test('a truncated log is ERR_LOG_TRUNCATED; with an older checkpoint put back, the state file catches the rollback', async () => {
  const dir = await copy();
  const state = join(dir, '..', `state-${copies}`);
  await verifyLedger(dir, { verifierKeys: [key.verifierKey], trustedStatePath: state }); // trusts size 300
  await truncate(join(dir, 'index'), 200 * 40);
  await truncate(join(dir, 'entries'), 200 * ENTRY);
  for (let level = 1; level <= 8; level++) await truncate(join(dir, 'tree', String(level)), Math.floor(200 / 2 ** level) * 32);
  await expectFailure(dir, 'ERR_LOG_TRUNCATED', 200);
  await writeFile(join(dir, 'checkpoint'), note200);
  // Without history the old, consistent log looks fine; the verifier's state says otherwise.
  await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
  await expectFailure(dir, 'ERR_LOG_ROLLED_BACK', 200, state);
});

test('a validly signed checkpoint of the same size with another root is a fork', async () => {
  const dir = await copy();
  const state = join(dir, '..', `state-${copies}`);
  await verifyLedger(dir, { verifierKeys: [key.verifierKey], trustedStatePath: state });
  const cp = parseCheckpoint((await readFile(join(dir, 'checkpoint'), 'utf8')).split('\n\n')[0] + '\n');
  const otherRoot = new Uint8Array(cp.rootHash);
  otherRoot[0]! ^= 1;
  await writeFile(join(dir, 'checkpoint'), signNote(formatCheckpoint({ origin: cp.origin, size: cp.size, rootHash: otherRoot }), key.signerKey));
  await expectFailure(dir, 'ERR_CHECKPOINT_ROOT_MISMATCH');
  await expectFailure(dir, 'ERR_LOG_FORKED', undefined, state);
});

test('the state file advances as the log grows, and a rewritten history is a fork', async () => {
  const state = join(work, 'grow-state');
  const grow = join(work, 'grow');
  await cp(base, grow, { recursive: true });
  await writeFile(join(grow, 'checkpoint'), note200); // state will trust size 200 first
  await truncate(join(grow, 'index'), 200 * 40);
  await truncate(join(grow, 'entries'), 200 * ENTRY);
  for (let level = 1; level <= 8; level++) await truncate(join(grow, 'tree', String(level)), Math.floor(200 / 2 ** level) * 32);
  const first = await verifyLedger(grow, { verifierKeys: [key.verifierKey], trustedStatePath: state });
  assert.deepEqual(first.trusted, { previousSize: null, size: 200 });
  const second = await verifyLedger(base, { verifierKeys: [key.verifierKey], trustedStatePath: state });
  assert.deepEqual(second.trusted, { previousSize: 200, size: 300 });
  assert.equal(parseCheckpoint((await readFile(state, 'utf8')).split('\n\n')[0] + '\n').size, 300);

  // The operator rewrites entry 5 and re-signs everything with the right key.
  const forged = join(work, 'forged');
  const ledger = await openFileLedger(forged, { signerKey: key.signerKey });
  await ledger.append(Array.from({ length: 320 }, (_, i) => entry(i, i === 5 ? 'X' : 'e')));
  await ledger.close();
  await verifyLedger(forged, { verifierKeys: [key.verifierKey] });
  await expectFailure(forged, 'ERR_LOG_FORKED', undefined, state);

  // Rewritten entries and hashes without a new signature are altered entries, not a fork.
  const altered = join(work, 'altered');
  await cp(forged, altered, { recursive: true });
  const ledger2 = await openFileLedger(join(work, 'altered-src'), { signerKey: key.signerKey });
  await ledger2.append(Array.from({ length: 300 }, (_, i) => entry(i, i === 5 ? 'X' : 'e')));
  await ledger2.close();
  for (const f of ['entries', 'index']) await cp(join(work, 'altered-src', f), join(altered, f));
  await cp(join(work, 'altered-src', 'tree'), join(altered, 'tree'), { recursive: true, force: true });
  await cp(join(base, 'checkpoint'), join(altered, 'checkpoint'));
  await expectFailure(altered, 'ERR_CHECKPOINT_ROOT_MISMATCH', undefined, state);
});

test('large logs are verified on worker threads with the same findings', async () => {
  const dir = join(work, 'large');
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey });
  await ledger.append(Array.from({ length: 30_000 }, (_, i) => entry(i)));
  await ledger.close();
  const report = await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
  assert.equal(report.size, 30_000);
  await patch(join(dir, 'entries'), 25_001 * ENTRY + 9, (b) => b ^ 0x04);
  await expectFailure(dir, 'ERR_ENTRY_CHANGED', 25_001);
});
