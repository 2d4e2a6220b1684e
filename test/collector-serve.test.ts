// serveCommand in-process: prints where it listens and the verifier key, and returns once
// stopped (here by an abort signal; SIGTERM is covered by the process tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { serveCommand } from 'agentrail';
import { makeAgentSpans, toProtobuf } from '../packages/collector/test/fixtures/spans.js';

test('serveCommand prints the address and verifier key, serves, and stops on abort', { timeout: 60_000 }, async () => {
  const data = await mkdtemp(join(tmpdir(), 'agentrail-serve-'));
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.resume();
  const abort = new AbortController();
  const running = serveCommand({ data, port: 0 }, { stdout, stderr, signal: abort.signal, env: { AGENTRAIL_WORKERS: '0', AGENTRAIL_LOG_LEVEL: 'warn' } });
  let ended = false;
  void running.then(() => (ended = true), () => (ended = true));
  try {
    // A failed start surfaces as its own error, not as a timeout.
    while (!/verify with:/.test(out)) {
      if (ended) await running;
      await new Promise((r) => setTimeout(r, 10));
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, out);
    const vkeyPath = join(data, 'agentrail.vkey');
    assert.match(out, new RegExp(`verifier key: ${vkeyPath} \\(new key created\\)`));
    const vkey = (await readFile(vkeyPath, 'utf8')).trim();
    assert.ok(out.includes(vkey), 'the verifier key itself is printed');
    const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: toProtobuf(await makeAgentSpans(3)) });
    assert.equal(res.status, 200);
    abort.abort();
    const result = await running;
    assert.equal(result.stoppedBy, 'abort');
    assert.equal(result.ledgerSize, 3);
    assert.equal(result.verifierKey, vkey);
    assert.match(out, /stopped \(abort\); ledger holds 3 records, final checkpoint published/);
  } finally {
    abort.abort();
    await running.catch(() => undefined);
    await rm(data, { recursive: true, force: true });
  }
});

test('serveCommand reports configuration mistakes as a usage error (exit code 2)', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  await assert.rejects(
    serveCommand({ port: 'eighty' }, { stdout, stderr, env: {} }),
    (e: unknown) => (e as { exitCode?: number }).exitCode === 2 && /port: must be a port number/.test((e as Error).message),
  );
});
