// openAuditLog: one way to open a log for every door; pushback is a typed retryable error, and
// the one PipelineError table maps kinds to HTTP and gRPC statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, verifyLedger, type Ledger } from '@agentrail/ledger';
import { neutralSpan } from './support.js';
import { openAuditLog, PIPELINE_ERROR_STATUS, PipelineError, PushbackError, asPipelineError } from '@agentrail/core';

test('openAuditLog opens a file ledger, records through its pipeline and closes with a verifiable checkpoint', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'agentrail-open-log-'));
  try {
    const key = generateKey('open-log');
    const log = await openAuditLog({ store: { dir: join(dir, 'log') }, signerKey: key.signerKey });
    const results = await log.pipeline.consume(
      [await neutralSpan('execute_tool x', { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'x' })],
      { via: 'exporter' },
    );
    assert.equal(results[0]?.status, 'recorded');
    await log.close();
    assert.equal((await verifyLedger(join(dir, 'log'), { verifierKeys: [key.verifierKey] })).size, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('past the outstanding limit an append fails with a retryable PushbackError (a lone batch still goes through)', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let size = 0;
  const ledger = { append: async (e: readonly Uint8Array[]) => { await gate; size += e.length; return { firstIndex: size - e.length }; } } as unknown as Ledger;
  const log = await openAuditLog({ store: { ledger }, pushbackEntries: 3, retryAfterSeconds: 7 });
  const first = log.appender.append([new Uint8Array(1), new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)]);
  await assert.rejects(log.appender.append([new Uint8Array(1)]), (err: unknown) => {
    assert.ok(err instanceof PushbackError);
    assert.equal(err.code, 'ERR_PUSHBACK');
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterSeconds, 7);
    assert.equal(err.httpStatus, 429);
    assert.equal(err.grpcStatus, 8);
    return true;
  });
  release();
  assert.deepEqual(await first, { firstIndex: 0 });
  assert.deepEqual(await log.appender.append([new Uint8Array(1)]), { firstIndex: 4 });
});

test('one table: invalid 400/3, unauthenticated 401/16, overloaded 429/8, unavailable 503/14, bug 500/13; errors cross workers intact', () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(PIPELINE_ERROR_STATUS).map(([k, v]) => [k, [v.http, v.grpc, v.retryable]])),
    { invalid: [400, 3, false], unauthenticated: [401, 16, false], overloaded: [429, 8, true], unavailable: [503, 14, true], bug: [500, 13, false] },
  );
  const again = PipelineError.fromJSON(JSON.parse(JSON.stringify(new PushbackError('full', 2).toJSON())));
  assert.ok(again instanceof PushbackError && again.retryAfterSeconds === 2);
  assert.equal(asPipelineError(Object.assign(new Error('disk'), { code: 'EIO' })).kind, 'unavailable');
  assert.equal(asPipelineError(new TypeError('oops')).kind, 'bug');
});
