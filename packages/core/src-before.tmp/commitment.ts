// Salted payload commitments: sha256(salt ‖ payload) with a fresh random 32-byte salt.
import { createHash, randomFillSync } from 'node:crypto';
import { canonicalize } from './canonical.js';

export const SALT_BYTES = 32;

// One getrandom call per 128 salts keeps the hot path cheap; slices are never reused.
const POOL_SIZE = SALT_BYTES * 128;
let pool = Buffer.allocUnsafe(0);
let poolOffset = 0;

/** `n` fresh random bytes (a view into a pool; every slice is handed out once). */
export function randomBytesFromPool(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/** A fresh random 32-byte salt. */
export function freshSalt(): Buffer {
  return randomBytesFromPool(SALT_BYTES);
}

/** `sha256:<hex>` of salt ‖ payload (a string is hashed as its UTF-8 bytes). */
export function commitmentOf(salt: Uint8Array, payload: Uint8Array | string): string {
  const h = createHash('sha256').update(salt);
  // a string is fed as UTF-8 without building a Buffer first
  if (typeof payload === 'string') h.update(payload, 'utf8');
  else h.update(payload);
  return 'sha256:' + h.digest('hex');
}

/**
 * `sha256:<hex>` of the RFC 8785 canonical JSON of tool arguments. A string is parsed as JSON
 * first (spans carry arguments as JSON text); a string that is not JSON is digested as a JSON
 * string. Unsalted on purpose: an approver and the agent compute it independently.
 */
export function argumentsDigest(args: unknown): string {
  let value = args;
  if (typeof args === 'string') {
    try {
      value = JSON.parse(args);
    } catch {
      value = args;
    }
  }
  return 'sha256:' + createHash('sha256').update(canonicalize(value)).digest('hex');
}
