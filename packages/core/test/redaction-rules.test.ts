// Each built-in rule catches its format wherever it sits in a string, counts what it removed,
// and leaves ids, hashes and ordinary prose alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_SECRET_RULES, createRedactor, InvalidOptionError, type RedactionCounts } from '@agentrail/core';
import { BENIGN_LOOKALIKES, SECRET_CORPUS } from '../../../test/fixtures/secret-corpus.js';

test('every corpus secret is removed by the rule for its format, and counted under that rule', () => {
  const r = createRedactor();
  assert.ok(new Set(SECRET_CORPUS.map((c) => c.format)).size >= 30, 'at least 30 formats');
  for (const c of SECRET_CORPUS) {
    const counts: RedactionCounts = {};
    const out = r.redactString(c.text, counts);
    assert.equal(out.includes(c.secret), false, `${c.format}: ${out}`);
    assert.ok((counts[c.rule] ?? 0) >= 1, `${c.format}: counted under ${c.rule}, got ${JSON.stringify(counts)} (${out})`);
    assert.ok(out.includes(`[REDACTED:${c.rule}]`), `${c.format}: marker names the rule`);
    // no fragment of the secret longer than a few characters survives either
    for (let i = 0; i + 8 <= c.secret.length; i += 4) {
      const piece = c.secret.slice(i, i + 8);
      if (/^[\w-]+$/.test(piece) && c.text.indexOf(piece) === c.text.indexOf(c.secret) + i) assert.equal(out.includes(piece), false, `${c.format}: fragment ${piece}`);
    }
  }
});

test('benign look-alikes (UUIDs, hashes, trace and span ids, timestamps, prose) are kept as they are', () => {
  const r = createRedactor();
  for (const b of BENIGN_LOOKALIKES) {
    const counts: RedactionCounts = {};
    assert.equal(r.redactString(b, counts), b);
    assert.deepEqual(counts, {}, b);
    assert.equal(r.redactString(`id=${b} ok`), `id=${b} ok`);
  }
});

test('the rule table has unique ids and global patterns', () => {
  const ids = BUILTIN_SECRET_RULES.map((x) => x.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of BUILTIN_SECRET_RULES) assert.ok(rule.pattern.global, rule.id);
  assert.ok(ids.length >= 30);
});

test('a secret twice in one value counts twice; markers are not redacted again', () => {
  const r = createRedactor();
  const key = 'sk-proj-Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg9Fe8Dc7Ba6';
  const counts: RedactionCounts = {};
  const once = r.redactString(`a=${key} b=${key} password=${key}`, counts);
  assert.equal(once, 'a=[REDACTED:openai_key] b=[REDACTED:openai_key] password=[REDACTED:openai_key]');
  assert.deepEqual(counts, { openai_key: 3 });
  const again: RedactionCounts = {};
  assert.equal(r.redactString(once, again), once);
  assert.deepEqual(again, {});
});

test('configurable: extra patterns, an allow-list of texts and patterns, rules turned off', () => {
  const card = '4111 1111 1111 1111';
  const testKey = 'sk_test_51Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk';
  const r = createRedactor({
    patterns: [{ name: 'acme_ticket', pattern: /ACME-\d{6}/g }],
    allow: [testKey, /^AKIAIOSFODNN7EXAMPLE$/],
    disableRules: ['card_number'],
  });
  const counts: RedactionCounts = {};
  assert.equal(r.redactString(`ticket ACME-123456 card ${card} key ${testKey} AKIAIOSFODNN7EXAMPLE`, counts), `ticket [REDACTED:acme_ticket] card ${card} key ${testKey} AKIAIOSFODNN7EXAMPLE`);
  assert.deepEqual(counts, { acme_ticket: 1 });
  assert.throws(() => createRedactor({ disableRules: ['no_such_rule'] }), InvalidOptionError);
  assert.throws(() => createRedactor({ patterns: [{ name: 'bad name!', pattern: /x/g }] }), InvalidOptionError);
  const names = createRedactor({ allowAttributes: ['app.token_count'], denyAttributes: [/^customer\./] });
  assert.equal(names.denies('app.token_count'), false);
  assert.equal(names.denies('app.session_token'), true);
  assert.equal(names.denies('customer.ssn'), true);
  assert.equal(names.denies('gen_ai.usage.output_tokens'), false);
  assert.equal(names.denies('http.request.header.x-api-key'), true);
  assert.equal(names.denies('aws.secret_access_key'), true);
});
