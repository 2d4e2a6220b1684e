import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectorConfigError, hashToken, loadCollectorConfig, parseCollectorConfig } from '@agentrail/collector';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'agentrail-config-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('embedded defaults: loopback, port 4318, ./agentrail-data, no credentials, 20 MiB bodies', async () => {
  const c = await loadCollectorConfig({ env: {}, cwd: '/srv/app' });
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 4318);
  assert.equal(c.dataDir, '/srv/app/agentrail-data');
  assert.deepEqual(c.auth.credentials, []);
  assert.equal(c.limits.maxBodyBytes, 20 * 1024 * 1024);
  assert.equal(c.identity, 'flag');
  assert.equal(c.forward, undefined);
});

test('flags > environment > YAML file > defaults; file paths are relative to the file', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'agentrail.yaml');
    await writeFile(file, [
      'host: 127.0.0.2',
      'port: 5000',
      'dataDir: data',
      'identity: reject',
      'auth:',
      '  credentials:',
      `    - { id: bot, sha256: "${hashToken('t').toUpperCase()}", tenant: acme, agentIds: [agent-a] }`,
      'limits:',
      '  maxBodyBytes: 8MiB',
      'forward:',
      '  url: http://127.0.0.1:14318',
      '  spoolMaxBytes: 1 GiB',
      'log: { level: warn }',
    ].join('\n'));
    const fileOnly = await loadCollectorConfig({ file, env: {}, cwd: '/elsewhere' });
    assert.equal(fileOnly.host, '127.0.0.2');
    assert.equal(fileOnly.port, 5000);
    assert.equal(fileOnly.dataDir, join(dir, 'data'));
    assert.equal(fileOnly.identity, 'reject');
    assert.deepEqual(fileOnly.auth.credentials, [{ id: 'bot', sha256: hashToken('t'), tenant: 'acme', agentIds: ['agent-a'] }]);
    assert.equal(fileOnly.limits.maxBodyBytes, 8 * 1024 * 1024);
    assert.equal(fileOnly.forward?.spoolMaxBytes, 1024 ** 3);
    assert.equal(fileOnly.log.level, 'warn');

    const withEnv = await loadCollectorConfig({ file, env: { AGENTRAIL_PORT: '6000', AGENTRAIL_DATA: 'envdata', AGENTRAIL_FORWARD: 'http://127.0.0.1:9999' }, cwd: '/work' });
    assert.equal(withEnv.port, 6000);
    assert.equal(withEnv.dataDir, '/work/envdata');
    assert.equal(withEnv.forward?.url, 'http://127.0.0.1:9999');
    assert.equal(withEnv.forward?.spoolMaxBytes, 1024 ** 3, 'env overrides one key and keeps the rest of forward');

    const withFlags = await loadCollectorConfig({ file, env: { AGENTRAIL_PORT: '6000' }, flags: { port: '7000', dataDir: 'flagdata', insecure: true }, cwd: '/work' });
    assert.equal(withFlags.port, 7000);
    assert.equal(withFlags.dataDir, '/work/flagdata');
    assert.equal(withFlags.insecure, true);
    assert.equal(withFlags.host, '127.0.0.2');
  });
});

test('JSON config files are read too', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'c.json');
    await writeFile(file, JSON.stringify({ port: 4999, limits: { maxInFlightBytes: 10000 } }));
    const c = await loadCollectorConfig({ file, env: {} });
    assert.equal(c.port, 4999);
    assert.equal(c.limits.maxInFlightBytes, 10000);
  });
});

test('every mistake is reported with its path in one clear error', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, [
      'prot: 4318',
      'port: "http"',
      'auth:',
      '  credentials:',
      '    - { id: bot, token: plain-text }',
      'limits: { maxBodyBytes: lots }',
      'forward: { url: "ftp://x" }',
    ].join('\n'));
    await assert.rejects(loadCollectorConfig({ file, env: {} }), (e: unknown) => {
      assert.ok(e instanceof CollectorConfigError);
      assert.equal(e.code, 'ERR_COLLECTOR_CONFIG');
      const joined = e.issues.join('\n');
      assert.match(joined, /\(root\): Unrecognized key: "prot"/);
      assert.match(joined, /^port: must be a port number/m);
      assert.match(joined, /^auth\.credentials\[0\]: Unrecognized key: "token"/m);
      assert.match(joined, /^auth\.credentials\[0\]\.sha256: /m);
      assert.match(joined, /^limits\.maxBodyBytes: must be a positive byte count/m);
      assert.match(joined, /^forward\.url: must be an http\(s\) URL/m);
      assert.match(e.message, /^invalid configuration \(file .*bad\.yaml, environment and flags\): /);
      return true;
    });
  });
});

test('unreadable files, bad YAML and bad environment values are clear errors', async () => {
  await withDir(async (dir) => {
    await assert.rejects(loadCollectorConfig({ file: join(dir, 'missing.yaml'), env: {} }), /cannot read config file .*missing\.yaml: ENOENT/);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'port: [unclosed');
    await assert.rejects(loadCollectorConfig({ file: bad, env: {} }), /is not valid YAML/);
    const list = join(dir, 'list.yaml');
    await writeFile(list, '- a\n- b\n');
    await assert.rejects(loadCollectorConfig({ file: list, env: {} }), /must hold a mapping/);
    await assert.rejects(loadCollectorConfig({ env: { AGENTRAIL_INSECURE: 'maybe' } }), /AGENTRAIL_INSECURE: must be true or false/);
    await assert.rejects(loadCollectorConfig({ env: { AGENTRAIL_PORT: 'eighty' } }), /port: must be a port number/);
  });
});

test('parseCollectorConfig accepts sizes as numbers or unit strings', () => {
  assert.equal(parseCollectorConfig({ limits: { maxBodyBytes: 1000 } }).limits.maxBodyBytes, 1000);
  assert.equal(parseCollectorConfig({ limits: { maxBodyBytes: '512KB' } }).limits.maxBodyBytes, 512_000);
  assert.equal(parseCollectorConfig({ limits: { maxBodyBytes: '1.5 MiB' } }).limits.maxBodyBytes, 1.5 * 1024 * 1024);
});

test('gRPC listener: 4317 beside 4318 by default, ephemeral beside an ephemeral HTTP port, off with grpc: false or --no-grpc', async () => {
  const { grpcListen } = await import('../src/config.js');
  assert.deepEqual(grpcListen(parseCollectorConfig({})), { host: '127.0.0.1', port: 4317 });
  assert.deepEqual(grpcListen(parseCollectorConfig({ port: 0 })), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(grpcListen(parseCollectorConfig({ grpc: { port: 9000, host: '::1' } })), { host: '::1', port: 9000 });
  assert.equal(grpcListen(parseCollectorConfig({ grpc: false })), null);
  assert.equal(grpcListen(await loadCollectorConfig({ env: {}, flags: { grpcPort: false } })), null);
  assert.deepEqual(grpcListen(await loadCollectorConfig({ env: {}, flags: { grpcPort: '5317' } })), { host: '127.0.0.1', port: 5317 });
  assert.throws(() => parseCollectorConfig({ grpc: { port: 70000 } }), /grpc\.port/);
});
