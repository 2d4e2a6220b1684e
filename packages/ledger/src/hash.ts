// RFC 6962 / RFC 9162 hashing: leaf = H(0x00 ‖ data), node = H(0x01 ‖ l ‖ r), empty = H("").
import { createHash, hash } from 'node:crypto';

export const HASH_SIZE = 32;
const LEAF_PREFIX = new Uint8Array([0]);
// Node hashing reuses one scratch buffer: it is the hot path of integration and verification.
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);

nodeScratch[0] = 1;

// Leaves up to this size are hashed one-shot from a scratch copy: cheaper than a streaming hash.
const LEAF_SCRATCH_MAX = 64 * 1024;
const leafScratch = Buffer.alloc(1 + LEAF_SCRATCH_MAX);

export function leafHash(data: Uint8Array): Uint8Array {
  if (data.length > LEAF_SCRATCH_MAX) return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
  leafScratch.set(data, 1);
  return hash('sha256', leafScratch.subarray(0, 1 + data.length), 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeScratch, 'buffer');
}

export function emptyRoot(): Uint8Array {
  return createHash('sha256').digest();
}

/** Lowercase hex of the bytes (no copy of the underlying memory). */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
