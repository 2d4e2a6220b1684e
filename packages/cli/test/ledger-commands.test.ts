// The ledger commands as a user runs them: the built binary, real files, real exit codes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileLedger, writeKeyFiles } from '@agentrail/ledger';
import { agentrail, tempDir } from './helpers.js';

const ENTRIES = 300;
const entry = (i: number) => new TextEncoder().encode(JSON.stringify({ i, note: `entry ${i}`.padEnd(100, '.') }));

describe('agentrail keygen / verify / prove / verify-proof / checkpoint', () => {
  let tmp: { dir: string; cleanup(): Promise<void> };
  let dataDir: string;
  let vkeyPath: string;
  let vkey: string;

  before(async () => {
    tmp = await tempDir();
    dataDir = join(tmp.dir, 'data');
    const keys = await writeKeyFiles(dataDir, 'example.com/audit');
    vkeyPath = keys.verifierKeyPath;
    vkey = keys.verifierKey;
    const ledger = await openFileLedger(join(dataDir, 'log'), { signerKey: keys.signerKey });
    for (let i = 0; i < ENTRIES; i += 50) {
      await ledger.append(Array.from({ length: 50 }, (_, j) => entry(i + j)));
    }
    await ledger.close();
  });
  after(() => tmp.cleanup());

  test('keygen writes a 0600 signer key and a verifier key, and refuses to overwrite', async () => {
    const out = join(tmp.dir, 'keys');
    const r = await agentrail(['keygen', '--name', 'agents.example.com', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as { signerKeyPath: string; verifierKeyPath: string; verifierKey: string };
    assert.equal((await stat(res.signerKeyPath)).mode & 0o777, 0o600);
    assert.match(res.verifierKey, /^agents\.example\.com\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    assert.equal((await readFile(res.verifierKeyPath, 'utf8')).trim(), res.verifierKey);
    assert.match(await readFile(res.signerKeyPath, 'utf8'), /^PRIVATE\+KEY\+agents\.example\.com\+[0-9a-f]{8}\+/);

    const again = await agentrail(['keygen', '--name', 'agents.example.com', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists.*--force/);
    assert.doesNotMatch(again.stderr, /\n\s+at /, 'no stack trace');

    const forced = await agentrail(['keygen', '--name', 'agents.example.com', '--out', out, '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual((JSON.parse(forced.stdout) as { verifierKey: string }).verifierKey, res.verifierKey);
  });

  test('verify passes on an untouched log (data dir or log dir, key file or key string)', async () => {
    const r = await agentrail(['verify', dataDir, '--vkey', vkeyPath]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /OK: 300 entries verified/);

    const j = await agentrail(['verify', join(dataDir, 'log'), '--vkey', vkey, '--json']);
    assert.equal(j.code, 0, j.stderr);
    const res = JSON.parse(j.stdout) as { ok: boolean; size: number; checkpointSize: number; origin: string };
    assert.deepEqual([res.ok, res.size, res.checkpointSize, res.origin], [true, ENTRIES, ENTRIES, 'example.com/audit']);
  });

  test('verify without --vkey uses the key in the data dir and warns', async () => {
    const r = await agentrail(['verify', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: using .*\.vkey/);
  });

  test('verify with the wrong key exits 1; a malformed key exits 2', async () => {
    const other = await agentrail(['keygen', '--name', 'example.com/audit', '--out', join(tmp.dir, 'other'), '--json']);
    const otherKey = (JSON.parse(other.stdout) as { verifierKey: string }).verifierKey;
    const wrong = await agentrail(['verify', dataDir, '--vkey', otherKey, '--json']);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.equal((JSON.parse(wrong.stdout) as { ok: boolean }).ok, false);

    const bad = await agentrail(['verify', dataDir, '--vkey', 'not-a-key']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^agentrail: .*key/m);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });

  test('usage and I/O problems exit 2 with one sentence', async () => {
    const missing = await agentrail(['verify', join(tmp.dir, 'nope'), '--vkey', vkey]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such directory/);
    const unknown = await agentrail(['frobnicate']);
    assert.equal(unknown.code, 2);
    const badIndex = await agentrail(['prove', dataDir, '-3']);
    assert.equal(badIndex.code, 2);
  });

  test('prove writes a receipt that verify-proof accepts for the entry and rejects for another', async () => {
    const receiptPath = join(tmp.dir, 'r42.proof');
    const good = join(tmp.dir, 'e42');
    const p = await agentrail(['prove', dataDir, '42', '--out', receiptPath, '--entry-out', good]);
    assert.equal(p.code, 0, p.stderr);
    const receipt = await readFile(receiptPath, 'utf8');
    assert.match(receipt, /^c2sp\.org\/tlog-proof@v1\nindex 42\n/);
    assert.deepEqual(await readFile(good), Buffer.from(entry(42)), '--entry-out writes the exact entry bytes');
    const ok = await agentrail(['verify-proof', receiptPath, '--vkey', vkeyPath, '--entry', good, '--json']);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    assert.deepEqual(JSON.parse(ok.stdout), { ok: true, index: 42, size: ENTRIES, origin: 'example.com/audit' });

    const wrongEntry = join(tmp.dir, 'e43');
    await writeFile(wrongEntry, entry(43));
    const fail = await agentrail(['verify-proof', receiptPath, '--vkey', vkeyPath, '--entry', wrongEntry]);
    assert.equal(fail.code, 1, fail.stderr);

    const garbled = join(tmp.dir, 'garbled.proof');
    await writeFile(garbled, 'this is not a receipt\n');
    const malformed = await agentrail(['verify-proof', garbled, '--vkey', vkeyPath, '--entry', good]);
    assert.equal(malformed.code, 2, malformed.stdout);
    assert.match(malformed.stderr, /^agentrail: /m);
  });

  test('prove beyond the checkpoint exits 2', async () => {
    const r = await agentrail(['prove', dataDir, String(ENTRIES)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not covered|out of range|beyond/i);
  });

  test('checkpoint prints the signed note and checks it with --vkey', async () => {
    const r = await agentrail(['checkpoint', dataDir, '--vkey', vkeyPath, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const cp = JSON.parse(r.stdout) as { origin: string; size: number; rootHash: string; signatureVerified: boolean; note: string };
    assert.equal(cp.origin, 'example.com/audit');
    assert.equal(cp.size, ENTRIES);
    assert.match(cp.rootHash, /^[0-9a-f]{64}$/);
    assert.equal(cp.signatureVerified, true);
    assert.match(cp.note, /\n\n\u2014 example\.com\/audit /);

    const other = await agentrail(['keygen', '--name', 'example.com/audit', '--out', join(tmp.dir, 'cp-other'), '--json']);
    const wrongKey = await agentrail(['checkpoint', dataDir, '--vkey', (JSON.parse(other.stdout) as { verifierKey: string }).verifierKey]);
    assert.equal(wrongKey.code, 1, wrongKey.stderr);
    assert.match(wrongKey.stderr, /signature check failed/);
  });

  test('a garbled checkpoint makes checkpoint exit 1', async () => {
    const copy = join(tmp.dir, 'garbled-cp');
    await cpDir(join(dataDir, 'log'), copy);
    await writeFile(join(copy, 'checkpoint'), 'not a checkpoint\n');
    const r = await agentrail(['checkpoint', copy]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^agentrail: cannot read checkpoint/m);
  });

  test('tampering with one byte of an entry makes verify exit 1 naming the index', async () => {
    const copy = join(tmp.dir, 'tampered');
    await cpDir(join(dataDir, 'log'), copy);
    const files = await readdir(copy, { recursive: true });
    const entriesFile = files.map(String).find((f) => /entr/i.test(f) && !/index/i.test(f));
    assert.ok(entriesFile, `an entries file in ${files.join(', ')}`);
    const p = join(copy, entriesFile);
    const bytes = await readFile(p);
    const at = bytes.indexOf(Buffer.from('entry 7.'));
    assert.ok(at > 0);
    bytes[at + 6] = '8'.charCodeAt(0);
    await writeFile(p, bytes);
    const r = await agentrail(['verify', copy, '--vkey', vkeyPath, '--json']);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    const res = JSON.parse(r.stdout) as { ok: boolean; code: string; index: number };
    assert.equal(res.ok, false);
    assert.equal(res.index, 7);
    assert.match(res.code, /^ERR_/);
  });

  test('a world-readable signer key is refused by serve', async () => {
    const keys = await writeKeyFiles(join(tmp.dir, 'loose'), 'loose.example');
    await chmod(keys.signerKeyPath, 0o644);
    const r = await agentrail(['serve', '--data', join(tmp.dir, 'loose-data'), '--key', keys.signerKeyPath, '--port', '0']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /readable|permission|0600/i);
  });
});

async function cpDir(from: string, to: string): Promise<void> {
  const { cp } = await import('node:fs/promises');
  await cp(from, to, { recursive: true });
}
