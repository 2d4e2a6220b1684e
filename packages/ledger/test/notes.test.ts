import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CheckpointError, KeyError, NoteError, formatCheckpoint, generateKey, keyId, openNote, parseCheckpoint, signNote, verifierKeyFor,
} from '@agentrail/ledger';

// Example key and note from the documentation and tests of Go's golang.org/x/mod/sumdb/note.
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const NOTE = `${TEXT}\n${SIG}`;

const noteCode = (c: string) => (e: unknown): boolean => e instanceof NoteError && e.code === c;

test('Go sumdb/note example key: key id, verifier key and signature match byte for byte', () => {
  assert.equal(verifierKeyFor(SKEY), VKEY);
  const pub = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1);
  assert.equal(keyId('PeterNeumann', pub).toString(16), 'c74f20a3');
  assert.equal(signNote(TEXT, SKEY), NOTE);
  assert.deepEqual(openNote(NOTE, [VKEY]), { text: TEXT, signatures: [{ name: 'PeterNeumann', keyId: 'c74f20a3' }], unverified: [] });
});

test('a generated key signs and verifies, and reads like a Go key string', () => {
  const { signerKey, verifierKey } = generateKey('example.com/log');
  assert.match(signerKey, /^PRIVATE\+KEY\+example\.com\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  assert.match(verifierKey, /^example\.com\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  assert.equal(verifierKeyFor(signerKey), verifierKey);
  const note = signNote('hello\n', signerKey);
  assert.equal(openNote(note, [verifierKey, VKEY]).text, 'hello\n');
  assert.throws(() => generateKey('bad name'), KeyError);
  assert.throws(() => generateKey('a+b'), KeyError);
});

test('unknown signers are ignored; a note with no known signer is refused', () => {
  const other = generateKey('witness.example');
  const text = NOTE.replace(SIG, '');
  const twoSigs = `${text}${SIG}${signNote(TEXT, other.signerKey).slice(TEXT.length + 1)}`;
  const opened = openNote(twoSigs, [VKEY]);
  assert.deepEqual(opened.signatures, [{ name: 'PeterNeumann', keyId: 'c74f20a3' }]);
  assert.equal(opened.unverified[0]!.name, 'witness.example');
  assert.throws(() => openNote(NOTE, [other.verifierKey]), noteCode('ERR_NOTE_UNVERIFIED'));
});

test('a known key with a bad signature is rejected; altered text fails', () => {
  assert.throws(() => openNote(NOTE.replace('cryptography', 'cryptographY'), [VKEY]), noteCode('ERR_NOTE_BAD_SIGNATURE'));
  const sig = Buffer.from(SIG.slice(15, -1), 'base64');
  sig[10]! ^= 1;
  assert.throws(() => openNote(`${TEXT}\n— PeterNeumann ${sig.toString('base64')}\n`, [VKEY]), noteCode('ERR_NOTE_BAD_SIGNATURE'));
});

test('malformed notes are refused, including more than 100 signature lines', () => {
  for (const bad of [TEXT, `${TEXT}\n`, `${TEXT}\n${SIG.slice(0, -1)}`, `${TEXT}\n- PeterNeumann x08go\n`, `${TEXT}\n— PeterNeumann\n`, `${TEXT}\u0001\n${SIG}`]) {
    assert.throws(() => openNote(bad, [VKEY]), noteCode('ERR_NOTE_MALFORMED'), JSON.stringify(bad));
  }
  const other = generateKey('other');
  const line = signNote(TEXT, other.signerKey).slice(TEXT.length + 1);
  assert.equal(openNote(`${TEXT}\n${line.repeat(99)}${SIG}`, [VKEY]).signatures.length, 1);
  assert.throws(() => openNote(`${TEXT}\n${line.repeat(100)}${SIG}`, [VKEY]), noteCode('ERR_NOTE_MALFORMED'));
  assert.throws(() => signNote('no newline', SKEY), noteCode('ERR_NOTE_MALFORMED'));
});

test('malformed keys are refused', () => {
  const bad = [
    'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // wrong key id
    'PeterNeumann+c74f20a3+AhpC2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // wrong algorithm / key
    'PeterNeumann+c74f20a3',
    'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    SKEY,
  ];
  for (const k of bad) assert.throws(() => openNote(NOTE, [k]), (e: unknown) => e instanceof KeyError && e.code === 'ERR_KEY_INVALID', k);
  assert.throws(() => signNote(TEXT, VKEY), KeyError);
  assert.throws(() => signNote(TEXT, SKEY.replace('c74f20a3', 'c74f20a4')), KeyError);
});

test('checkpoints format and parse strictly per tlog-checkpoint', () => {
  const root = new Uint8Array(32).fill(7);
  const text = formatCheckpoint({ origin: 'example.com/log', size: 10n, rootHash: root });
  assert.equal(text, `example.com/log\n10\n${Buffer.from(root).toString('base64')}\n`);
  const cp = parseCheckpoint(text);
  assert.deepEqual({ ...cp, rootHash: Buffer.from(cp.rootHash).toString('hex') }, { origin: 'example.com/log', size: 10, rootHash: Buffer.from(root).toString('hex'), extensions: [] });
  assert.deepEqual(parseCheckpoint(`${text}ext line\n`).extensions, ['ext line']);
  const r = Buffer.from(root).toString('base64');
  for (const bad of [`o\n10\n${r}`, `o\n010\n${r}\n`, `o\n-1\n${r}\n`, `\n1\n${r}\n`, `o\n1\n${r.slice(4)}\n`, `o\n1\n${r}\n\n`, `o\n1\n`, `o\n1e3\n${r}\n`]) {
    assert.throws(() => parseCheckpoint(bad), CheckpointError, JSON.stringify(bad));
  }
  assert.throws(() => formatCheckpoint({ origin: '', size: 1, rootHash: root }), CheckpointError);
  assert.throws(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: root.subarray(1) }), CheckpointError);
});
