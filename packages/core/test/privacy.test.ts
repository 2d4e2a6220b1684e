// Secrets never reach the ledger; payloads only as salted commitments; erasure keeps proofs valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { verifyLedger, verifyReceipt } from '@agentrail/ledger';
import { createAuditPipeline, createFileEvidenceStore, createRedactor, decodeRecord, EvidenceStoreError, toAuditRecord, type AttributeValue } from '@agentrail/core';
import { allBytesUnder, neutralSpan, tempLedger } from './support.js';

// Fake secrets in each supported format (never real credentials).
const SECRETS = {
  openai: 'sk-proj-Q3x9LmN2pR7tV5wY8zA1bC4dE6fG0hJ2kM',
  openaiLegacy: 'sk-4f9aB2cD7eF1gH3iJ5kL8mN0pQ6rS2tU9vW',
  anthropic: 'sk-ant-api03-Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg-AbCdEf',
  aws: 'AKIAQ7XK3Z5N2M4B6C8D',
  github: 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  githubPat: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
  slack: 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp',
  google: 'AIzaSyD4x9Q2w8E7r6T5y4U3i2O1p0AaSsDdFfG',
  stripe: 'sk_live_51H8xYzAbCdEfGhIjKlMnOpQr',
  bearer: 'opaqueTok3n.with-Chars_and~more',
  urlPassword: 'hunter2-very-secret',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTl9.c2lnbmF0dXJlLXBhcnQtaGVyZQ',
  pemBody: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  denied: 'plain-password-without-any-pattern',
  custom: 'ACME-INTERNAL-7731-TOKEN',
} as const;

function secretAttributes(): Record<string, string | string[]> {
  return {
    'agentrail.agent.id': 'agent-1',
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'deploy',
    'config.openai': `key=${SECRETS.openai}`,
    'config.legacy': SECRETS.openaiLegacy,
    'config.anthropic': SECRETS.anthropic,
    'config.aws': `aws ${SECRETS.aws} in text`,
    'config.github': [SECRETS.github, 'ok'],
    'config.pat': SECRETS.githubPat,
    'config.slack': SECRETS.slack,
    'config.google': SECRETS.google,
    'config.stripe': SECRETS.stripe,
    'http.request.header.x-trace': `Bearer ${SECRETS.bearer}`,
    'url.full': `postgres://deploy:${SECRETS.urlPassword}@db.internal:5432/app`,
    'auth.token_blob': SECRETS.jwt,
    'tls.key': `-----BEGIN PRIVATE KEY-----\n${SECRETS.pemBody}\n-----END PRIVATE KEY-----`,
    'db.password': SECRETS.denied,
    'internal.ref': `ref ${SECRETS.custom}`,
    'gen_ai.tool.call.arguments': JSON.stringify({ target: 'prod', apiKey: SECRETS.openai }),
  };
}

test('seeded secrets never appear anywhere in the ledger\'s bytes', async () => {
  const t = await tempLedger();
  try {
    const pipeline = createAuditPipeline({
      ledger: t.ledger,
      redaction: { patterns: [{ name: 'acme_token', pattern: /ACME-INTERNAL-\d+-TOKEN/g }] },
    });
    const span = await neutralSpan(`deploy with ${SECRETS.github}`, secretAttributes());
    const [r] = await pipeline.consume([span], { via: 'exporter' });
    assert.ok(r && r.status === 'recorded');
    assert.ok(r.flags.includes('secret_redacted'));
    const record = decodeRecord(await t.ledger.readEntry(r.index));
    // the record says what was redacted (names), never the secret
    assert.deepEqual(new Set(record.redacted), new Set([
      'config.openai', 'config.legacy', 'config.anthropic', 'config.aws', 'config.github', 'config.pat', 'config.slack',
      'config.google', 'config.stripe', 'http.request.header.x-trace', 'url.full', 'auth.token_blob', 'tls.key',
      'db.password', 'internal.ref', 'span.name', 'gen_ai.tool.call.arguments',
    ]));
    // what was removed, counted by rule id; the payload's key counts too (it is committed redacted)
    assert.deepEqual(record.redactions, {
      acme_token: 1, anthropic_key: 1, aws_access_key: 1, bearer_token: 1, credential_name: 2, github_token: 3, google_api_key: 1,
      openai_key: 3, private_key: 1, slack_token: 1, stripe_key: 1, url_password: 1,
    });
    assert.deepEqual(Object.keys(record.redactions!), Object.keys(record.redactions!).sort(), 'rule ids in canonical order');
    assert.equal(record.attributes['url.full'], 'postgres://deploy:[REDACTED:url_password]@db.internal:5432/app', 'the URL keeps its user');
    assert.equal(record.attributes['db.password'], '[REDACTED]');
    assert.deepEqual(record.attributes['config.github'], ['[REDACTED:github_token]', 'ok']);
    await pipeline.shutdown();
    await t.ledger.close();
    const bytes = allBytesUnder(t.dir);
    for (const [name, secret] of Object.entries(SECRETS)) {
      assert.equal(bytes.includes(secret), false, `${name} leaked into the ledger directory`);
    }
  } finally {
    await t.cleanup();
  }
});

test('redaction leaves ordinary values alone and can be turned off', () => {
  const r = createRedactor();
  for (const s of ['https://example.com/path?q=1', 'gen_ai.usage.input_tokens', 'sk-short', 'The bearer of news', 'eyJ alone', 'ASIA trip', 'user@example.com']) {
    assert.equal(r.redactString(s), s);
  }
  assert.equal(r.denies('gen_ai.usage.input_tokens'), false);
  assert.equal(r.denies('http.request.header.authorization'), true);
  assert.equal(r.denies('api.key'), true);
  assert.equal(r.denies('cache.key'), false);
  const off = createRedactor({ enabled: false });
  assert.equal(off.redactString(`x ${SECRETS.openai}`), `x ${SECRETS.openai}`);
  const deny = createRedactor({ denyAttributes: ['customer.ssn', /^internal\./], denyCredentialNames: false });
  assert.equal(deny.denies('customer.ssn'), true);
  assert.equal(deny.denies('internal.anything'), true);
  assert.equal(deny.denies('db.password'), false);
});

test('consecutive spans with the same attribute names each get their own redactor\'s denials', async () => {
  const attrs = { 'agentrail.agent.id': 'a', 'customer.ssn': '123-45-6789', 'db.password': 'hunter2hunter2' };
  const spans = await Promise.all([0, 1, 2, 3].map((i) => neutralSpan(`op ${i}`, attrs)));
  const ssnOnly = createRedactor({ denyAttributes: ['customer.ssn'], denyCredentialNames: false });
  // a redactor of the caller's own making, whose answers may change from call to call
  let denyAll = false;
  const custom = { ...createRedactor(), denies: (key: string) => denyAll && key !== 'agentrail.agent.id' };
  const redacted = (i: number, redaction: Parameters<typeof toAuditRecord>[2]) =>
    toAuditRecord(spans[i]!, { via: 'exporter' }, redaction)!.record.redacted;
  assert.deepEqual(redacted(0, {}), ['db.password']);
  assert.deepEqual(redacted(1, { redaction: ssnOnly }), ['customer.ssn']);
  assert.deepEqual(redacted(2, { redaction: custom }), []);
  denyAll = true;
  assert.deepEqual(redacted(3, { redaction: custom }), ['customer.ssn', 'db.password']);
  assert.deepEqual(redacted(0, { redaction: ssnOnly }), ['customer.ssn']);
});

test('a caller\'s redactor that keeps the built-in denies but redacts values its own way is always asked', async () => {
  const note = 'order ref 4111-xx';
  const spans = await Promise.all([0, 1, 2].map((i) => neutralSpan(`op ${i}`, { 'agentrail.agent.id': 'a', 'customer.note': note })));
  const base = createRedactor();
  const card = (v: string): string => (v.includes('4111-xx') ? '[CARD]' : base.redactString(v));
  const strict = { ...base, redactString: card, redactValue: (v: AttributeValue) => (typeof v === 'string' ? card(v) : base.redactValue(v)) };
  const noteOf = (i: number, redaction: typeof base) => toAuditRecord(spans[i]!, { via: 'exporter' }, { redaction })!.record.attributes['customer.note'];
  assert.equal(noteOf(0, base), note, 'the built-in rules leave it');
  assert.equal(noteOf(1, strict), '[CARD]', 'the same names and value, now with the caller\'s redactor');
  assert.equal(noteOf(2, base), note);
});

test('a value seen at the same place in the previous span is redacted as itself', async () => {
  const values = [`key=${SECRETS.openai}`, 'key=none', `key=${SECRETS.openai}`, `key=${SECRETS.openai}`, 'key=none'];
  const spans = await Promise.all(values.map((v, i) => neutralSpan(`op ${i}`, { 'agentrail.agent.id': 'a', 'config.note': v })));
  const notes = spans.map((s) => toAuditRecord(s, { via: 'exporter' })!.record);
  assert.deepEqual(notes.map((r) => r.attributes['config.note']), [
    'key=[REDACTED:openai_key]', 'key=none', 'key=[REDACTED:openai_key]', 'key=[REDACTED:openai_key]', 'key=none',
  ]);
  assert.deepEqual(notes.map((r) => r.redacted.length), [1, 0, 1, 1, 0]);
});

test('evidence: stored before acknowledgement, opens the commitment, erasure keeps every proof valid', async () => {
  const t = await tempLedger();
  const evidenceDir = join(t.dir, 'evidence');
  try {
    const evidence = createFileEvidenceStore(evidenceDir);
    const pipeline = createAuditPipeline({ ledger: t.ledger, evidence });
    const args = JSON.stringify({ patient: 'Jane Roe', diagnosis: 'confidential-dx-4471' });
    const spans = await Promise.all([0, 1, 2].map((i) => neutralSpan(`lookup ${i}`, {
      'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup', 'agentrail.agent.id': 'agent-1',
      'gen_ai.tool.call.arguments': i === 1 ? args : `{"i":${i}}`, 'gen_ai.tool.call.result': `{"ok":${i}}`,
    })));
    const results = await pipeline.consume(spans, { via: 'exporter' });
    const target = results[1]!;
    assert.ok(target.status === 'recorded');
    const record = decodeRecord(await t.ledger.readEntry(target.index));
    const stored = await evidence.get(record.id);
    assert.ok(stored, 'evidence is durable when consume resolves');
    const item = stored.items.find((i) => i.field === 'input')!;
    assert.equal(item.payload, args);
    assert.equal(record.input?.commitment, 'sha256:' + createHash('sha256').update(Buffer.from(item.salt, 'hex')).update(item.payload).digest('hex'));
    assert.equal(allBytesUnder(t.dir).includes('confidential-dx-4471'), true, 'payload is in the evidence store');

    await pipeline.shutdown();
    const receiptBefore = await t.ledger.receipt(target.index);
    assert.equal(await evidence.erase(record.id), true);
    assert.equal(await evidence.erase(record.id), false, 'erase is idempotent');
    assert.equal(await evidence.get(record.id), null);
    await t.ledger.close();

    // nothing links the commitment to the content any more
    const bytes = allBytesUnder(t.dir);
    assert.equal(bytes.includes('confidential-dx-4471'), false);
    assert.equal(bytes.includes(item.salt), false);
    // the log and the receipt still verify
    const report = await verifyLedger(join(t.dir, 'log'), { verifierKeys: [t.verifierKey] });
    assert.equal(report.size, 3);
    const { readLedgerEntries } = await import('@agentrail/ledger');
    let leaf: Uint8Array | undefined;
    for await (const e of readLedgerEntries(join(t.dir, 'log'), { from: target.index, to: target.index + 1 })) leaf = e.data;
    assert.ok(leaf);
    assert.equal(verifyReceipt(receiptBefore, leaf, [t.verifierKey]).index, target.index);
    const tampered = Buffer.from(leaf);
    tampered[tampered.indexOf('"bytes":') + 8] ^= 1;
    assert.throws(() => verifyReceipt(receiptBefore, tampered, [t.verifierKey]), 'a changed record no longer matches its receipt');
    // the other records' evidence is untouched
    const first = results[0]!;
    assert.ok(first.status === 'recorded');
    assert.ok(await evidence.get(decodeRecord(await readEntry(t.dir, first.index)).id));
  } finally {
    await t.cleanup();
  }
});

async function readEntry(dir: string, index: number): Promise<Uint8Array> {
  const { readLedgerEntries } = await import('@agentrail/ledger');
  for await (const e of readLedgerEntries(join(dir, 'log'), { from: index, to: index + 1 })) return e.data;
  throw new Error(`no entry ${index}`);
}

test('the evidence store refuses ids that are not record ids', async () => {
  const store = createFileEvidenceStore('/nonexistent-agentrail-dir');
  await assert.rejects(store.get('../../etc/passwd'), (e: unknown) => e instanceof EvidenceStoreError && e.code === 'ERR_EVIDENCE_STORE');
  await assert.rejects(store.erase('ABC'), EvidenceStoreError);
});
