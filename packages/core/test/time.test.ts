// Record times: RFC 3339, nanosecond precision, UTC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339Nano } from '@agentrail/core';

/** Reference: whole milliseconds from Date, the rest of the nanoseconds appended. */
function reference(ns: bigint): string {
  const ms = ns >= 0n ? ns / 1_000_000n : -((-ns + 999_999n) / 1_000_000n);
  const rest = ns - ms * 1_000_000n;
  return new Date(Number(ms)).toISOString().slice(0, -1) + String(rest).padStart(6, '0') + 'Z';
}

test('rfc3339Nano matches a Date-based reference, across seconds, before and after the epoch', () => {
  const values = [0n, 1n, 999_999_999n, 1_000_000_000n, -1n, -999_999_999n, -1_000_000_000n, -1_000_000_001n,
    1_700_000_000_123_456_789n, 253_402_300_799_999_999_999n];
  // consecutive spans inside one second, then across second boundaries (the formatted second is cached)
  for (let i = 0n; i < 3000n; i++) values.push(1_767_225_599_000_000_000n + i * 777_777n, 1_767_225_599_999_999_000n + i);
  for (const v of values) assert.equal(rfc3339Nano(v), reference(v), String(v));
});
