import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  KeyError, loadOrCreateSignerKey, openNote, readSignerKeyFile, readVerifierKey, signNote, verifierKeyFor, writeKeyFiles,
} from '@agentrail/ledger';
import { tempDir } from './helpers.js';

const keyCode = (c: string) => (e: unknown): boolean => e instanceof KeyError && e.code === c;

test('writeKeyFiles writes a 0600 private key and a verifier key that work together', async () => {
  const dir = await tempDir();
  const made = await writeKeyFiles(join(dir, 'keys'), 'example.com/audit');
  assert.equal(made.signerKeyPath, join(dir, 'keys', 'example.com_audit.key'));
  assert.equal((await stat(made.signerKeyPath)).mode & 0o777, 0o600);
  const signerKey = await readSignerKeyFile(made.signerKeyPath);
  const verifierKey = await readVerifierKey(made.verifierKeyPath);
  assert.equal(verifierKey, made.verifierKey);
  assert.equal(verifierKeyFor(signerKey), verifierKey);
  assert.equal(openNote(signNote('x\n', signerKey), [verifierKey]).text, 'x\n');
  assert.equal(await readVerifierKey(verifierKey), verifierKey);
  await assert.rejects(writeKeyFiles(join(dir, 'keys'), 'example.com/audit'), keyCode('ERR_KEY_FILE_EXISTS'));
});

test('a private key readable by group or others is refused', async () => {
  const dir = await tempDir();
  const made = await writeKeyFiles(dir, 'perm');
  for (const mode of [0o644, 0o640, 0o604]) {
    await chmod(made.signerKeyPath, mode);
    await assert.rejects(readSignerKeyFile(made.signerKeyPath), (e: unknown) => {
      assert.ok(keyCode('ERR_KEY_FILE_PERMISSIONS')(e));
      assert.match((e as Error).message, /chmod 600/);
      return true;
    });
  }
  await chmod(made.signerKeyPath, 0o400);
  assert.match(await readSignerKeyFile(made.signerKeyPath), /^PRIVATE\+KEY\+perm\+/);
});

test('bad key files and strings get typed errors', async () => {
  const dir = await tempDir();
  await assert.rejects(readSignerKeyFile(join(dir, 'missing.key')), keyCode('ERR_KEY_FILE_UNREADABLE'));
  const junk = join(dir, 'junk.key');
  await writeFile(junk, 'not a key\n', { mode: 0o600 });
  await assert.rejects(readSignerKeyFile(junk), keyCode('ERR_KEY_INVALID'));
  await assert.rejects(readVerifierKey('nope+12345678+AAAA'), keyCode('ERR_KEY_INVALID'));
  await assert.rejects(readVerifierKey(join(dir, 'missing.vkey')), keyCode('ERR_KEY_INVALID'));
});

test('loadOrCreateSignerKey creates once, then loads the same key', async () => {
  const dir = await tempDir();
  const first = await loadOrCreateSignerKey(dir, 'svc');
  assert.equal(first.created, true);
  const second = await loadOrCreateSignerKey(dir, 'svc');
  assert.equal(second.created, false);
  assert.equal(second.signerKey, first.signerKey);
  assert.equal(second.verifierKey, first.verifierKey);
  assert.equal((await readFile(second.verifierKeyPath, 'utf8')).trim(), first.verifierKey);
});
