import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, open, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LedgerError, generateKey, leafHash, openFileLedger, openLedgerReader, readCheckpointNote, readLedgerEntries, verifyConsistency,
  verifyInclusion, verifyLedger, verifyReceipt, openNote, parseCheckpoint,
} from '@agentrail/ledger';
import { refConsistency, refMth, refPath } from './reference.js';
import { dec, enc, hex, tempDir } from './helpers.js';

const key = generateKey('test.example/log');
const ledgerCode = (c: string) => (e: unknown): boolean => e instanceof LedgerError && e.code === c;

test('append, read back, prove and publish match the reference tree', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(join(dir, 'log'), { signerKey: key.signerKey });
  assert.equal(ledger.origin, 'test.example/log');
  assert.equal(ledger.size, 0);
  const data: Uint8Array[] = [];
  for (let b = 0; b < 9; b++) {
    const batch = Array.from({ length: b + 1 }, (_, i) => enc(`entry ${b}.${i}`));
    const { firstIndex } = await ledger.append(batch);
    assert.equal(firstIndex, data.length);
    data.push(...batch);
  }
  data.push(new Uint8Array(0));
  await ledger.append([new Uint8Array(0)]);
  const n = data.length;
  assert.equal(ledger.size, n);
  for (let i = 0; i < n; i++) assert.equal(dec(await ledger.readEntry(i)), dec(data[i]!));
  const root = refMth(data);
  for (let i = 0; i < n; i++) {
    const proof = await ledger.inclusionProof(i);
    assert.deepEqual(proof.map(hex), refPath(i, data).map(hex));
    verifyInclusion(leafHash(data[i]!), i, n, proof, root);
    const p13 = await ledger.inclusionProof(i % 13, 13n);
    assert.deepEqual(p13.map(hex), refPath(i % 13, data.slice(0, 13)).map(hex));
  }
  for (let m = 1; m <= n; m++) {
    const proof = await ledger.consistencyProof(m, n);
    assert.deepEqual(proof.map(hex), refConsistency(m, data).map(hex));
    verifyConsistency(m, n, proof, refMth(data.slice(0, m)), root);
  }
  const note = await ledger.publishCheckpoint();
  const cp = parseCheckpoint(openNote(note, [key.verifierKey]).text);
  assert.equal(cp.size, n);
  assert.equal(hex(cp.rootHash), hex(root));
  assert.equal(await readCheckpointNote(join(dir, 'log')), note);
  await assert.rejects(ledger.readEntry(n), ledgerCode('ERR_INDEX_OUT_OF_RANGE'));
  await assert.rejects(ledger.inclusionProof(0, n + 1), ledgerCode('ERR_INDEX_OUT_OF_RANGE'));
  await assert.rejects(ledger.consistencyProof(0, n), ledgerCode('ERR_INDEX_OUT_OF_RANGE'));
  await assert.rejects(ledger.append(['x' as unknown as Uint8Array]), ledgerCode('ERR_INVALID_ARGUMENT'));
  await ledger.close();
  await ledger.close();
  await assert.rejects(ledger.append([enc('late')]), ledgerCode('ERR_LEDGER_CLOSED'));
});

test('receipts verify with only the verifier key and the entry bytes', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, origin: 'audit.example', checkpointIntervalMs: 60_000 });
  await ledger.append(Array.from({ length: 37 }, (_, i) => enc(`r${i}`)));
  const receipt = await ledger.receipt(20);
  assert.match(receipt, /^c2sp\.org\/tlog-proof@v1\nindex 20\n/);
  const v = verifyReceipt(receipt, enc('r20'), [key.verifierKey], { origin: 'audit.example' });
  assert.deepEqual([v.index, v.size, v.checkpoint.origin], [20, 37, 'audit.example']);
  assert.throws(() => verifyReceipt(receipt, enc('r21'), [key.verifierKey]), { code: 'ERR_PROOF_ROOT_MISMATCH' });
  assert.throws(() => verifyReceipt(receipt.replace('index 20', 'index 21'), enc('r20'), [key.verifierKey]), { code: 'ERR_PROOF_ROOT_MISMATCH' });
  assert.throws(() => verifyReceipt(receipt, enc('r20'), [generateKey('test.example/log').verifierKey]), { code: 'ERR_NOTE_UNVERIFIED' });
  assert.throws(() => verifyReceipt(receipt.replace('\n\naudit', '\naudit'), enc('r20'), [key.verifierKey]), { code: 'ERR_RECEIPT_MALFORMED' });
  assert.throws(() => verifyReceipt('garbage', enc('r20'), [key.verifierKey]), { code: 'ERR_RECEIPT_MALFORMED' });
  // A receipt for an entry appended after the last checkpoint publishes a new one first.
  await ledger.append([enc('late')]);
  const late = await ledger.receipt(37);
  assert.equal(verifyReceipt(late, enc('late'), [key.verifierKey]).size, 38);
  await ledger.close();
});

test('concurrent appends share group commits and get distinct, ordered indexes', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey });
  const calls = 400;
  const results = await Promise.all(Array.from({ length: calls }, (_, i) => ledger.append([enc(`c${i}a`), enc(`c${i}b`)])));
  results.forEach((r, i) => assert.equal(r.firstIndex, 2 * i));
  const stats = ledger.stats;
  assert.equal(stats.appendCalls, calls);
  assert.equal(stats.entries, 2 * calls);
  assert.ok(stats.commits < calls / 4, `expected batching, got ${stats.commits} commits for ${calls} calls`);
  for (const i of [0, 1, 399 * 2 + 1]) assert.equal(dec(await ledger.readEntry(i)), `c${i >> 1}${i % 2 ? 'b' : 'a'}`);
  await ledger.close();
  await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
});

test('a second writer is refused with ERR_LEDGER_LOCKED; a dead writer does not block reopening', { timeout: 60_000 }, async () => {
  const dir = await tempDir();
  const first = await openFileLedger(dir, { signerKey: key.signerKey });
  await assert.rejects(openFileLedger(dir, { signerKey: key.signerKey }), (e: unknown) => {
    assert.ok(e instanceof LedgerError && e.code === 'ERR_LEDGER_LOCKED');
    assert.match(e.message, /already open in this process/);
    return true;
  });
  await first.close();

  const fixture = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture, dir, key.signerKey, '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  // Wait for an acknowledged append, not just the writer's "ready" line: under load the kill
  // could otherwise land before anything was appended.
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^\d+ \d+$/m.test(out)) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`)));
  });
  await assert.rejects(openFileLedger(dir, { signerKey: key.signerKey }), ledgerCode('ERR_LEDGER_LOCKED'));
  child.kill('SIGKILL');
  await exited;
  const again = await openFileLedger(dir, { signerKey: key.signerKey });
  assert.ok(again.size > 0);
  await again.close();
});

test('reopening cuts a torn tail and keeps every acknowledged entry', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 60_000 });
  await ledger.append(Array.from({ length: 50 }, (_, i) => enc(`t${i}`)));
  await ledger.publishCheckpoint();
  await ledger.append(Array.from({ length: 10 }, (_, i) => enc(`u${i}`)));
  await ledger.close();
  // Simulate a crash mid-write: half an index record, stray entry bytes, a record with a wrong hash.
  const fake = Buffer.alloc(40);
  fake.writeUInt32BE(0, 0);
  fake.writeUInt32BE((await stat(join(dir, 'entries'))).size + 3, 4);
  await appendFile(join(dir, 'entries'), 'xyz');
  await appendFile(join(dir, 'index'), Buffer.concat([fake, Buffer.alloc(17, 1)]));
  const reopened = await openFileLedger(dir, { signerKey: key.signerKey });
  assert.equal(reopened.size, 60);
  assert.equal(dec(await reopened.readEntry(59)), 'u9');
  assert.equal((await stat(join(dir, 'index'))).size, 60 * 40);
  await reopened.append([enc('after')]);
  await reopened.close();
  const all: string[] = [];
  for await (const e of readLedgerEntries(dir)) all.push(dec(e.data));
  assert.equal(all.length, 61);
  assert.equal(all[60], 'after');
  const some: number[] = [];
  for await (const e of readLedgerEntries(dir, { from: 5, to: 8n })) some.push(e.index);
  assert.deepEqual(some, [5, 6, 7]);
  await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
});

test('lost subtree hashes are rebuilt from the entries on reopen', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 60_000 });
  await ledger.append(Array.from({ length: 100 }, (_, i) => enc(`h${i}`)));
  await ledger.publishCheckpoint();
  await ledger.append(Array.from({ length: 30 }, (_, i) => enc(`k${i}`)));
  await ledger.close();
  const levels = await readdir(join(dir, 'tree'));
  for (const l of levels) await truncate(join(dir, 'tree', l), 0);
  const reopened = await openFileLedger(dir, { signerKey: key.signerKey });
  assert.equal(reopened.size, 130);
  await reopened.close();
  const report = await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
  assert.equal(report.size, 130);
});

test('subtree hashes ahead of the entries (written before a crash cut the entries) are cut back on reopen', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 60_000 });
  await ledger.append(Array.from({ length: 64 }, (_, i) => enc(`a${i}`)));
  const at64 = await ledger.publishCheckpoint();
  await ledger.append(Array.from({ length: 64 }, (_, i) => enc(`b${i}`)));
  await ledger.close();
  // The second batch's subtree hashes reached the disk, its entries, index records and the
  // checkpoint close() published did not.
  await writeFile(join(dir, 'checkpoint'), at64);
  await truncate(join(dir, 'index'), 64 * 40);
  const entries = await readFile(join(dir, 'entries'));
  await truncate(join(dir, 'entries'), entries.indexOf('b0'));
  const reopened = await openFileLedger(dir, { signerKey: key.signerKey });
  assert.equal(reopened.size, 64);
  const other = Array.from({ length: 64 }, (_, i) => enc(`c${i}`));
  await reopened.append(other);
  const cp = parseCheckpoint(openNote(await reopened.publishCheckpoint(), [key.verifierKey]).text);
  await reopened.close();
  // The tree is the one of a followed by c: the stale b hashes were not kept.
  const all = [...Array.from({ length: 64 }, (_, i) => enc(`a${i}`)), ...other];
  assert.equal(cp.size, 128);
  assert.equal(hex(cp.rootHash), hex(refMth(all)));
  await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
});

test('bad directories and options get clear errors', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'something'), 'x');
  await assert.rejects(openFileLedger(dir, { signerKey: key.signerKey }), ledgerCode('ERR_LEDGER_FORMAT'));
  const d2 = await tempDir();
  const l = await openFileLedger(d2, { signerKey: key.signerKey });
  await l.close();
  await assert.rejects(openFileLedger(d2, { signerKey: key.signerKey, origin: 'other' }), ledgerCode('ERR_LEDGER_ORIGIN_MISMATCH'));
  await writeFile(join(d2, 'format'), 'agentrail-ledger 99\n');
  await assert.rejects(openFileLedger(d2, { signerKey: key.signerKey }), ledgerCode('ERR_LEDGER_FORMAT'));
  await assert.rejects(openFileLedger(d2, { signerKey: 'nope' }), { code: 'ERR_KEY_INVALID' });
  assert.equal(await readFile(join(d2, 'format'), 'utf8'), 'agentrail-ledger 99\n');
});

test('verifyLedger and readLedgerEntries work next to a live writer', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 0 });
  await ledger.append([enc('first')]);
  let stop = false;
  const writer = (async () => {
    for (let i = 0; !stop; i++) await ledger.append(Array.from({ length: 1 + (i % 5) }, (_, k) => enc(`live ${i}.${k}`)));
  })();
  for (let round = 0; round < 5; round++) {
    const report = await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
    assert.ok(report.checkpointSize <= report.size);
    let count = 0;
    for await (const e of readLedgerEntries(dir)) {
      if (e.index === 0) assert.equal(dec(e.data), 'first');
      count++;
    }
    assert.ok(count >= report.size);
  }
  stop = true;
  await writer;
  await ledger.close();
  const final = await verifyLedger(dir, { verifierKeys: [key.verifierKey] });
  assert.equal(final.size, ledger.size);
  assert.equal(final.checkpointSize, ledger.size);
});

test('verifyLedger on a missing directory is a LedgerError, not a crash', async () => {
  const dir = await tempDir();
  await assert.rejects(verifyLedger(join(dir, 'nope'), { verifierKeys: [key.verifierKey] }), ledgerCode('ERR_LEDGER_NOT_FOUND'));
  await assert.rejects(verifyLedger(dir, { verifierKeys: [] }), ledgerCode('ERR_INVALID_ARGUMENT'));
});

test('a read-only reader proves entries while the writer holds the lock', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 60_000 });
  await ledger.append(Array.from({ length: 21 }, (_, i) => enc(`ro${i}`)));
  await ledger.publishCheckpoint();
  await ledger.append([enc('unpublished')]);
  const reader = await openLedgerReader(dir);
  assert.equal(reader.size, 21);
  assert.equal(reader.origin, 'test.example/log');
  assert.equal(dec(await reader.readEntry(20)), 'ro20');
  await assert.rejects(reader.readEntry(21), ledgerCode('ERR_INDEX_OUT_OF_RANGE'));
  const receipt = await reader.receipt(7);
  assert.equal(verifyReceipt(receipt, enc('ro7'), [key.verifierKey]).size, 21);
  assert.deepEqual((await reader.consistencyProof(5, 21)).map(hex), (await ledger.consistencyProof(5, 21)).map(hex));
  await reader.close();
  await ledger.close();
  await assert.rejects(openLedgerReader(join(dir, 'missing')), ledgerCode('ERR_LEDGER_NOT_FOUND'));
});

test('a broken end offset in the index is ERR_LEDGER_CORRUPT from the writer and the reader', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey });
  await ledger.append([enc('a'), enc('b'), enc('c')]);
  await ledger.publishCheckpoint();
  // Entry 1's end offset (u64 big-endian at the start of index record 1) now lies past entry 2's end.
  const fh = await open(join(dir, 'index'), 'r+');
  await fh.write(Buffer.from([0, 0, 0, 0, 0, 0, 1, 0]), 0, 8, 40);
  await fh.close();
  await assert.rejects(ledger.readEntry(2), ledgerCode('ERR_LEDGER_CORRUPT'));
  const reader = await openLedgerReader(dir);
  await assert.rejects(reader.readEntry(2), ledgerCode('ERR_LEDGER_CORRUPT'));
  assert.equal(dec(await reader.readEntry(0)), 'a');
  await reader.close();
  await ledger.close();
});

test('a lock naming this pid but not held here (pid reuse after a restart) is taken over', async () => {
  const dir = await tempDir();
  const l = await openFileLedger(dir, { signerKey: key.signerKey });
  await l.append([enc('a')]);
  await l.close();
  await writeFile(join(dir, 'lock'), `${process.pid} 1\n`);
  const again = await openFileLedger(dir, { signerKey: key.signerKey });
  assert.equal(again.size, 1);
  await assert.rejects(openFileLedger(dir, { signerKey: key.signerKey }), ledgerCode('ERR_LEDGER_LOCKED'));
  await again.close();
});

test('checkpoints are published in the background after appends, without an explicit call', async () => {
  const dir = await tempDir();
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 50 });
  await ledger.append([enc('one')]);
  await ledger.append([enc('two')]); // within the interval: published by the timer, not inline
  let size = -1;
  for (let i = 0; i < 400 && size !== 2; i++) {
    size = parseCheckpoint(openNote(await readCheckpointNote(dir), [key.verifierKey]).text).size;
    if (size !== 2) await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(size, 2);
  await ledger.close();
});

test('under a steady stream of appends, background checkpoints come at most once per interval', async () => {
  const dir = await tempDir();
  const interval = 200;
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: interval });
  const batch = Array.from({ length: 64 }, (_, i) => enc(`s${i}`.padEnd(1024, '.')));
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (Date.now() - t0 < 5 * interval) await ledger.append(batch);
  }));
  const elapsed = Date.now() - t0;
  const published = ledger.stats.checkpoints;
  await ledger.close();
  // One right away, then one per interval; each publication holds the next back until it is done.
  assert.ok(published >= 2, `published ${published}`);
  assert.ok(published <= Math.ceil(elapsed / interval) + 1, `${published} checkpoints in ${elapsed} ms at one per ${interval} ms`);
});

test('writers racing to open one directory: exactly one wins', { timeout: 120_000 }, async () => {
  const dir = await tempDir();
  const fixture = fileURLToPath(new URL('./fixtures/open-race.ts', import.meta.url));
  const racers = Array.from({ length: 4 }, () => spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture, dir, key.signerKey], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const answers = await Promise.all(racers.map((c) => new Promise<string>((resolve) => {
    let out = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    c.once('exit', () => resolve(out.trim()));
  })));
  const exits = racers.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))));
  for (const c of racers) c.stdin.end();
  await Promise.all(exits);
  assert.deepEqual(answers.slice().sort(), ['ERR_LEDGER_LOCKED', 'ERR_LEDGER_LOCKED', 'ERR_LEDGER_LOCKED', 'ok']);
  const after = await openFileLedger(dir, { signerKey: key.signerKey });
  await after.close();
});

test('precomputed leaf hashes give the same log; wrong ones are refused or caught by verify', async () => {
  const dir = await tempDir();
  const a = await openFileLedger(join(dir, 'a'), { signerKey: key.signerKey });
  const b = await openFileLedger(join(dir, 'b'), { signerKey: key.signerKey });
  const batch = Array.from({ length: 37 }, (_, i) => enc(`record ${i}`));
  await a.append(batch);
  await b.append(batch, { leafHashes: batch.map((e) => leafHash(e)) });
  const [na, nb] = [await a.publishCheckpoint(), await b.publishCheckpoint()];
  assert.equal(parseCheckpoint(openNote(na, [key.verifierKey]).text).rootHash.toString(), parseCheckpoint(openNote(nb, [key.verifierKey]).text).rootHash.toString());

  await assert.rejects(b.append([enc('x')], { leafHashes: [] }), ledgerCode('ERR_INVALID_ARGUMENT'));
  await assert.rejects(b.append([enc('x')], { leafHashes: [new Uint8Array(31)] }), ledgerCode('ERR_INVALID_ARGUMENT'));
  assert.equal(b.size, 37, 'a refused append changes nothing');

  // A caller that vouches for a wrong hash corrupts nothing silently: verification names the entry.
  await b.append([enc('honest bytes')], { leafHashes: [leafHash(enc('other bytes'))] });
  await a.close();
  await b.close();
  await verifyLedger(join(dir, 'a'), { verifierKeys: [key.verifierKey] });
  await assert.rejects(verifyLedger(join(dir, 'b'), { verifierKeys: [key.verifierKey] }), (e: unknown) => (e as { code?: string; index?: number }).code === 'ERR_ENTRY_CHANGED' && (e as { index?: number }).index === 37);
});

test('checkpoints published while appends keep arriving sign the tree at their own size', async () => {
  const dir = await tempDir();
  // Interval 0: a publication starts after every commit and runs beside the next appends.
  const ledger = await openFileLedger(dir, { signerKey: key.signerKey, checkpointIntervalMs: 0 });
  const data: Uint8Array[] = [];
  const seen = new Map<number, string>();
  let stop = false;
  const watcher = (async () => {
    while (!stop) {
      const cp = parseCheckpoint(openNote(await readCheckpointNote(dir).catch(() => ''), [key.verifierKey]).text);
      seen.set(cp.size, hex(cp.rootHash));
      await new Promise((r) => setImmediate(r));
    }
  })().catch((e: unknown) => { if (!stop) throw e; });
  await ledger.append([enc('first')]);
  data.push(enc('first'));
  for (let wave = 0; wave < 40; wave++) {
    const batches = Array.from({ length: 4 }, (_, b) => Array.from({ length: 1 + ((wave + b) % 7) }, (_, k) => enc(`w${wave}.${b}.${k}`)));
    const firsts = await Promise.all(batches.map((b) => ledger.append(b)));
    batches.forEach((b, i) => b.forEach((e, k) => (data[firsts[i]!.firstIndex + k] = e)));
  }
  stop = true;
  await watcher;
  await ledger.close();
  const final = parseCheckpoint(openNote(await readCheckpointNote(dir), [key.verifierKey]).text);
  seen.set(final.size, hex(final.rootHash));
  assert.equal(final.size, data.length);
  assert.ok(seen.size >= 3, `saw ${seen.size} checkpoints`);
  for (const [size, root] of seen) assert.equal(root, hex(refMth(data.slice(0, size))), `checkpoint at size ${size}`);
});
