// RFC 8785: our encoder must equal the reference implementation (npm `canonicalize`) on a large
// randomized corpus, and reproduce the RFC's own examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { canonicalize, CanonicalizationError } from '@agentrail/core';

const require = createRequire(import.meta.url);
const reference = require('canonicalize') as (v: unknown) => string | undefined;

// Deterministic PRNG so a failure can be reproduced from the seed.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL_NUMBERS = [0, -0, 1, -1, 1e21, 1e-7, 5e-324, -5e-324, Number.MAX_VALUE, Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 + 2, 0.1 + 0.2, 1e20, 1e-6, 123456789012345680000,
  4.5, 333333333.3333333, 1.7976931348623157e308, -1e-300, 9007199254740993];

// Code points that stress escaping and ordering: controls, quotes, backslash, DEL, C1, BMP
// characters above surrogates (which sort after astral chars by code unit), astral chars,
// lone surrogates, U+2028/2029, BOM, combining marks.
const CHAR_POOL = ['\u0000', '\u0001', '\u001f', '\b', '\f', '\n', '\r', '\t', '"', '\\', '/', '\u007f', '\u0080',
  '\u00e9', 'e\u0301', '\u2028', '\u2029', '\ufeff', '\uffff', '\ue000', '\ud800', '\udfff', '\ud83d\ude00',
  '\u{10ffff}', '\u{1f600}', 'a', 'B', 'z', '0', ' ', '€', '日本', '\u05d0'];

function randomString(r: () => number): string {
  const n = Math.floor(r() * 8);
  let s = '';
  for (let i = 0; i < n; i++) {
    const pick = r();
    if (pick < 0.5) s += CHAR_POOL[Math.floor(r() * CHAR_POOL.length)];
    else if (pick < 0.8) s += String.fromCharCode(0x20 + Math.floor(r() * 95));
    else s += String.fromCodePoint(Math.floor(r() * 0x110000));
  }
  return s;
}

function randomNumber(r: () => number): number {
  const pick = r();
  if (pick < 0.3) return SPECIAL_NUMBERS[Math.floor(r() * SPECIAL_NUMBERS.length)]!;
  if (pick < 0.5) return Math.floor((r() - 0.5) * 2 ** 40);
  if (pick < 0.7) return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
  // arbitrary doubles from random bits
  const buf = new DataView(new ArrayBuffer(8));
  buf.setUint32(0, Math.floor(r() * 2 ** 32));
  buf.setUint32(4, Math.floor(r() * 2 ** 32));
  const d = buf.getFloat64(0);
  return Number.isFinite(d) ? d : 0.5;
}

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 3 || pick < 0.45) {
    const p = r();
    if (p < 0.4) return randomString(r);
    if (p < 0.8) return randomNumber(r);
    if (p < 0.9) return r() < 0.5;
    return null;
  }
  if (pick < 0.7) return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) o[randomString(r)] = randomValue(r, depth + 1);
  return o;
}

test('equals the reference JCS implementation on 20,000 random values', () => {
  const r = prng(0xa6e47);
  for (let i = 0; i < 20_000; i++) {
    const v = randomValue(r, 0);
    const ours = canonicalize(v);
    const theirs = reference(v);
    if (ours !== theirs) assert.fail(`value #${i} differs:\n ours   ${JSON.stringify(ours)}\n theirs ${JSON.stringify(theirs)}`);
  }
});

test('keys sort by UTF-16 code units, not code points', () => {
  // U+FF61 (BMP, above surrogates) sorts AFTER U+1F600 (astral, starts with D83D) by code unit
  const v = { '\uff61': 1, '\u{1f600}': 2, 'a': 3, '\u00e9': 4 };
  assert.equal(canonicalize(v), '{"a":3,"é":4,"😀":2,"｡":1}');
  assert.equal(canonicalize(v), reference(v));
});

test('RFC 8785 examples', () => {
  // Section 3.2.2 sample input and canonical output
  const input = {
    numbers: [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"\/',
    literals: [null, true, false],
  };
  assert.equal(canonicalize(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  // Section 3.2.3 sorting example
  const sorting = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh',
    '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
  assert.equal(canonicalize(sorting),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}');
  // Appendix B number samples
  const numbers: [number, string][] = [
    [0, '0'], [-0, '0'], [5e-324, '5e-324'], [-5e-324, '-5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    [9007199254740992, '9007199254740992'], [9007199254740994, '9007199254740994'], [295147905179352830000, '295147905179352830000'],
    [1e21, '1e+21'], [9.999999999999997e22, '9.999999999999997e+22'], [1e23, '1e+23'], [0.000001, '0.000001'],
    [1e-7, '1e-7'], [-1e-7, '-1e-7'], [333333333.3333333, '333333333.3333333'],
  ];
  for (const [n, s] of numbers) assert.equal(canonicalize(n), s, String(n));
});

test('values without a JSON form: defined behaviour', () => {
  for (const bad of [NaN, Infinity, -Infinity, 10n, { a: [1, NaN] }]) {
    assert.throws(() => canonicalize(bad), (e: unknown) => e instanceof CanonicalizationError && e.code === 'ERR_NOT_CANONICALIZABLE');
  }
  assert.throws(() => canonicalize(undefined), CanonicalizationError);
  // like JSON.stringify: undefined properties are left out, undefined array items become null
  assert.equal(canonicalize({ b: undefined, a: [undefined, 1] }), '{"a":[null,1]}');
  assert.equal(canonicalize({ t: new Date(0) }), '{"t":"1970-01-01T00:00:00.000Z"}');
});
