// Sizes and indexes arrive as number | bigint and are held as safe integers.
import { LedgerError } from './errors.js';

export type IntLike = number | bigint;

/** Convert to a non-negative safe integer or throw ERR_INVALID_ARGUMENT naming `what`. */
export function toIndex(value: IntLike, what: string): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof value === 'bigint' && (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))) {
    throw new LedgerError('ERR_INVALID_ARGUMENT', `${what} must be a non-negative safe integer, got ${value}.`);
  }
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new LedgerError('ERR_INVALID_ARGUMENT', `${what} must be a non-negative safe integer, got ${String(value)}.`);
  }
  return n;
}

/** Largest power of two strictly below n (n >= 2). */
export function largestPow2Below(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** Largest power of two <= n (n >= 1). */
export function largestPow2AtMost(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

export function log2Exact(p: number): number {
  let l = 0;
  while (2 ** l < p) l++;
  return l;
}
