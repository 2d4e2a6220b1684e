// createCollector's lifecycle and bind-safety rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createCollector, CollectorStateError, hashToken, InsecureBindError, CollectorConfigError } from '@agentrail/collector';
import { readCheckpointNote, openNote, parseCheckpoint, verifyLedger } from '@agentrail/ledger';
import { makeAgentSpans, toProtobuf } from './fixtures/spans.js';
import { post, startCollector, tempDir } from './fixtures/harness.js';

const PB = { 'content-type': 'application/x-protobuf' };

test('shutdown is safe before start and twice; start after shutdown is refused', async () => {
  const dir = await tempDir();
  try {
    const never = createCollector({ dataDir: dir, port: 0, log: { level: 'silent' } });
    await never.shutdown();
    await never.shutdown();
    assert.throws(() => never.start(), CollectorStateError);

    const c = createCollector({ dataDir: dir, port: 0, log: { level: 'silent' } });
    await c.start();
    assert.throws(() => c.start(), (e: unknown) => e instanceof CollectorStateError && e.code === 'ERR_COLLECTOR_STATE');
    await Promise.all([c.shutdown(), c.shutdown()]);
    await c.shutdown();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a non-loopback bind without credentials is refused unless marked insecure', () => {
  assert.throws(() => createCollector({ host: '0.0.0.0' }), (e: unknown) => e instanceof InsecureBindError && e.code === 'ERR_COLLECTOR_INSECURE_BIND' && /--insecure/.test(e.message));
  assert.throws(() => createCollector({ host: '10.1.2.3' }), InsecureBindError);
  assert.throws(() => createCollector({ host: '::' }), InsecureBindError);
  assert.doesNotThrow(() => createCollector({ host: '0.0.0.0', insecure: true }));
  assert.doesNotThrow(() => createCollector({ host: '0.0.0.0', auth: { credentials: [{ id: 'a', sha256: hashToken('x') }] } }));
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) assert.doesNotThrow(() => createCollector({ host }));
});

test('invalid configuration is refused at construction with every problem listed', () => {
  assert.throws(
    () => createCollector({ port: 70000, identity: 'maybe' as 'flag', limits: { maxBodyBytes: -1 } }),
    (e: unknown) => e instanceof CollectorConfigError && e.issues.length === 3 && /port/.test(e.message) && /identity/.test(e.message) && /limits\.maxBodyBytes/.test(e.message),
  );
});

test('graceful shutdown finishes the in-flight request and publishes a final checkpoint', { timeout: 60_000 }, async () => {
  const c = await startCollector({ checkpointIntervalMs: 60_000, workers: 1 });
  try {
    const body = toProtobuf(await makeAgentSpans(6));
    // Start a request whose body is still arriving, then ask for shutdown.
    const { request } = await import('node:http');
    const req = request(`${c.url}/v1/traces`, { method: 'POST', headers: { ...PB, 'content-length': String(body.length) } });
    const reply = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    req.write(body.subarray(0, 20));
    // Make sure the server is handling it before shutting down: a second full request completes first.
    assert.equal((await post(`${c.url}/v1/traces`, body, PB)).status, 200);
    const down = c.collector.shutdown();
    req.end(body.subarray(20));
    assert.equal(await reply, 200);
    await down;
    assert.equal(c.collector.ledgerSize, 12);
    const note = await readCheckpointNote(join(c.dir, 'log'));
    const opened = openNote(note, [c.collector.keys!.verifierKey]);
    assert.equal(parseCheckpoint(opened.text).size, 12, 'the final checkpoint covers every acknowledged record');
    await assert.rejects(post(`${c.url}/v1/traces`, body, PB), 'no longer accepting connections');
  } finally {
    await c.close();
  }
});

test('TLS: serves OTLP over https with the configured certificate', async (t) => {
  const dir = await tempDir();
  try {
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not available to make a test certificate');
      return;
    }
    const c = await startCollector({ tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } }, {}, dir);
    try {
      assert.match(c.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = await readFile(join(dir, 'cert.pem'));
      const body = toProtobuf(await makeAgentSpans(3));
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(`${c.url}/v1/traces`, { method: 'POST', ca, headers: { ...PB, 'content-length': String(body.length) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(status, 200);
      assert.equal(c.collector.ledgerSize, 3);
    } finally {
      await c.close();
    }
    const report = await verifyLedger(join(dir, 'log'), { verifierKeys: [(await readFile(join(dir, 'agentrail.vkey'), 'utf8')).trim()] });
    assert.equal(report.size, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the signing key is created once in the data dir and reused on restart', async () => {
  const dir = await tempDir();
  try {
    const a = await startCollector({}, {}, dir);
    const first = a.collector.keys;
    await a.close();
    assert.equal(first?.created, true);
    assert.equal(first?.verifierKeyPath, join(dir, 'agentrail.vkey'));
    const { stat } = await import('node:fs/promises');
    assert.equal((await stat(join(dir, 'agentrail.key'))).mode & 0o777, 0o600);
    const b = await startCollector({}, {}, dir);
    assert.equal(b.collector.keys?.created, false);
    assert.equal(b.collector.keys?.verifierKey, first?.verifierKey);
    await b.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failed start (port in use) releases the ledger, so the data dir can be used again', { timeout: 60_000 }, async () => {
  const first = await startCollector();
  const dir = await tempDir();
  try {
    const clash = createCollector({ dataDir: dir, port: first.collector.address!.port, workers: 1, log: { level: 'silent' } });
    await assert.rejects(clash.start(), (e: unknown) => (e as NodeJS.ErrnoException).code === 'EADDRINUSE');
    await clash.shutdown();
    const again = await startCollector({}, {}, dir);
    assert.equal((await post(`${again.url}/v1/traces`, toProtobuf(await makeAgentSpans(2)), PB)).status, 200);
    await again.close();
  } finally {
    await first.close();
    await rm(dir, { recursive: true, force: true });
  }
});
