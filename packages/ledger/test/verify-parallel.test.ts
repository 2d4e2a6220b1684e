// verifyLedger on logs of several 16384-entry chunks, checked on worker threads and joined in
// order: the findings, their index and the progress must be those of a sequential pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  VerificationError, formatCheckpoint, generateKey, openFileLedger, parseCheckpoint, signNote, verifyLedger,
  type VerificationErrorCode,
} from '@agentrail/ledger';
import { enc } from './helpers.js';

const key = generateKey('parallel.example');
const ENTRY = 64;
const SIZE = 70_000; // chunks 0..3 whole, chunk 4 partial; stored levels up to 16
const CHECKPOINT_AT = 40_000; // inside chunk 2
const entry = (i: number, tag = 'e'): Uint8Array => enc(`${tag}${String(i).padStart(8, '0')}`.padEnd(ENTRY, '.'));
let work: string;
let base: string;
let note40k: string;

async function build(dir: string, tag: (i: number) => string = () => 'e'): Promise<string> {
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 60_000 });
  let note = '';
  for (let n = 0; n < SIZE; n += 10_000) {
    await ledger.append(Array.from({ length: 10_000 }, (_, i) => entry(n + i, tag(n + i))));
    if (ledger.size === CHECKPOINT_AT) note = await ledger.publishCheckpoint();
  }
  await ledger.close();
  return note;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'agentrail-parallel-'));
  base = join(work, 'base');
  note40k = await build(base);
});
after(() => rm(work, { recursive: true, force: true }));

let copies = 0;
async function copy(): Promise<string> {
  const dir = join(work, `copy${copies++}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function flip(path: string, offset: number): Promise<void> {
  const fh = await open(path, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, offset);
  b[0]! ^= 0x10;
  await fh.write(b, 0, 1, offset);
  await fh.close();
}

async function expectFailure(dir: string, code: VerificationErrorCode, index?: number, statePath?: string): Promise<VerificationError> {
  const err = await verifyLedger(dir, { verifierKeys: [key.verifierKey], ...(statePath ? { trustedStatePath: statePath } : {}) }).then(
    () => assert.fail(`expected ${code}, the log verified`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof VerificationError, `expected VerificationError ${code}, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  if (index !== undefined) assert.equal(err.index, index, err.message);
  return err;
}

test('a log of several chunks verifies, reporting progress in order', async () => {
  const seen: Array<[number, number]> = [];
  const report = await verifyLedger(base, { verifierKeys: [key.verifierKey], onProgress: (d, t) => seen.push([d, t]) });
  assert.equal(report.size, SIZE);
  assert.equal(report.checkpointSize, SIZE);
  assert.deepEqual(seen[0], [0, SIZE]);
  assert.deepEqual(seen.at(-1), [SIZE, SIZE]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]![0] > seen[i - 1]![0] && seen[i]![1] === SIZE);
});

test('a checkpoint whose size falls inside a chunk is checked against the entries before it', async () => {
  const dir = await copy();
  await writeFile(join(dir, 'checkpoint'), note40k);
  const report = await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
  assert.equal(report.checkpointSize, CHECKPOINT_AT);
  assert.equal(report.size, SIZE);

  const cp40 = parseCheckpoint(note40k.split('\n\n')[0] + '\n');
  const otherRoot = new Uint8Array(cp40.rootHash);
  otherRoot[31]! ^= 1;
  await writeFile(join(dir, 'checkpoint'), signNote(formatCheckpoint({ origin: cp40.origin, size: CHECKPOINT_AT, rootHash: otherRoot }), key.signerKey));
  await expectFailure(dir, 'ERR_CHECKPOINT_ROOT_MISMATCH');
});

test('a trusted size inside a chunk: the state advances, and a rewritten history is a fork', async () => {
  const older = await copy();
  await writeFile(join(older, 'checkpoint'), note40k);
  const state = join(work, 'state-40k');
  assert.deepEqual((await verifyLedger(older, { verifierKeys: [key.verifierKey], trustedStatePath: state })).trusted, { previousSize: null, size: CHECKPOINT_AT });
  const state2 = join(work, 'state-40k-2');
  await cp(state, state2);
  assert.deepEqual((await verifyLedger(base, { verifierKeys: [key.verifierKey], trustedStatePath: state })).trusted, { previousSize: CHECKPOINT_AT, size: SIZE });

  // The operator rewrites entry 20,005 (chunk 1) and re-signs a log of the same size.
  const forged = join(work, 'forged');
  await build(forged, (i) => (i === 20_005 ? 'X' : 'e'));
  await verifyLedger(forged, { verifierKeys: [key.verifierKey] });
  await expectFailure(forged, 'ERR_LOG_FORKED', undefined, state2);
});

test('a changed stored hash above the chunk level is ERR_TREE_HASH_MISMATCH at its first entry', async () => {
  const a = await copy();
  await flip(join(a, 'tree', '15'), 1 * 32 + 4); // covers entries [32768, 65536)
  await expectFailure(a, 'ERR_TREE_HASH_MISMATCH', 32_768);
  const b = await copy();
  await flip(join(b, 'tree', '16'), 0); // covers entries [0, 65536)
  await expectFailure(b, 'ERR_TREE_HASH_MISMATCH', 0);
  const c = await copy();
  await flip(join(c, 'tree', '14'), 2 * 32 + 31); // a chunk root: entries [32768, 49152)
  await expectFailure(c, 'ERR_TREE_HASH_MISMATCH', 32_768);
});

test('with findings in several chunks the first one in log order wins', async () => {
  const dir = await copy();
  await flip(join(dir, 'entries'), 66_001 * ENTRY + 30); // partial last chunk
  await expectFailure(dir, 'ERR_ENTRY_CHANGED', 66_001);
  await flip(join(dir, 'entries'), 50_000 * ENTRY + 12);
  await expectFailure(dir, 'ERR_ENTRY_CHANGED', 50_000);
  await flip(join(dir, 'tree', '2'), 4_000 * 32); // entries [16000, 16004), completed at 16003
  await expectFailure(dir, 'ERR_TREE_HASH_MISMATCH', 16_000);
  await flip(join(dir, 'entries'), 16_002 * ENTRY); // an entry inside that subtree is found before it
  await expectFailure(dir, 'ERR_ENTRY_CHANGED', 16_002);
});

test('entries swapped across chunks are ERR_ENTRY_REORDERED only within a chunk, ERR_ENTRY_CHANGED across', async () => {
  const dir = await copy();
  const entries = await readFile(join(dir, 'entries'));
  const swap = (i: number, j: number): void => {
    const a = Buffer.from(entries.subarray(i * ENTRY, (i + 1) * ENTRY));
    entries.copy(entries, i * ENTRY, j * ENTRY, (j + 1) * ENTRY);
    a.copy(entries, j * ENTRY);
  };
  swap(33_000, 33_100); // same chunk
  await writeFile(join(dir, 'entries'), entries);
  await expectFailure(dir, 'ERR_ENTRY_REORDERED', 33_000);
  swap(33_000, 33_100);
  swap(17_000, 51_000); // different chunks
  await writeFile(join(dir, 'entries'), entries);
  await expectFailure(dir, 'ERR_ENTRY_CHANGED', 17_000);
});

test('an index cut inside a chunk is ERR_LOG_TRUNCATED; cut entry bytes are ERR_ENTRY_MISSING', async () => {
  const a = await copy();
  await truncate(join(a, 'index'), 50_000 * 40 + 17);
  await expectFailure(a, 'ERR_LOG_TRUNCATED', 50_000);
  const b = await copy();
  await truncate(join(b, 'entries'), 45_000 * ENTRY + 5);
  await expectFailure(b, 'ERR_ENTRY_MISSING', 45_000);
});

test('verifyLedger runs under `node --input-type=module -e` with per-process flags like --expose-gc', async () => {
  // Workers inherit the process's flags; these once made them fail to start.
  const script = `
    import { verifyLedger } from '@agentrail/ledger';
    const r = await verifyLedger(process.argv[1], { verifierKeys: [process.argv[2]] });
    console.log(JSON.stringify({ size: r.size, checkpointSize: r.checkpointSize }));`;
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--expose-gc', '--input-type=module', '-e', script, base, key.verifierKey],
    { cwd: root },
  );
  assert.deepEqual(JSON.parse(stdout), { size: SIZE, checkpointSize: SIZE });
});
