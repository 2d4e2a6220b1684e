// Salted payload commitments: sha256(salt ‖ payload) with a fresh random 32-byte salt.
import { createHash, hash, randomFillSync } from 'node:crypto';
import { canonicalize } from './canonical.js';

export const SALT_BYTES = 32;

// One getrandom call per 128 salts keeps the hot path cheap; slices are never reused.
const POOL_SIZE = SALT_BYTES * 128;
let pool = Buffer.allocUnsafe(0);
let poolOffset = 0;

/** Offset of `n` fresh random bytes in `pool` (each range is handed out once). */
function reserve(n: number): number {
  if (poolOffset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += n;
  return at;
}

/** `n` fresh random bytes as lowercase hex, read straight from the pool (no Buffer view per call). */
export function randomHexFromPool(n: number): string {
  const at = reserve(n);
  return pool.toString('hex', at, at + n);
}

/** A fresh random 32-byte salt (a view into the pool; every slice is handed out once). */
export function freshSalt(): Buffer {
  const at = reserve(SALT_BYTES);
  return pool.subarray(at, at + SALT_BYTES);
}

// salt ‖ payload is laid out in one reused buffer and hashed with the one-shot hash(): a Hash
// object per commitment (two per tool span) costs about as much as hashing 1 KiB. Payloads that
// would not fit are streamed instead, so the buffer stays small.
const SCRATCH_MAX = 64 * 1024;
let scratch = Buffer.allocUnsafe(4096);

/** `sha256:<hex>` of salt ‖ payload (a string is hashed as its UTF-8 bytes). */
export function commitmentOf(salt: Uint8Array, payload: Uint8Array | string): string {
  return commitPayload(salt, payload).commitment;
}

/** The commitment and the payload's length in bytes, which the hashing learns anyway. */
function commitPayload(salt: Uint8Array, payload: Uint8Array | string): { bytes: number; commitment: string } {
  // UTF-8 needs at most 3 bytes per UTF-16 unit
  const most = salt.length + (typeof payload === 'string' ? payload.length * 3 : payload.length);
  if (!roomInScratch(most)) {
    const h = createHash('sha256').update(salt);
    if (typeof payload === 'string') h.update(payload, 'utf8');
    else h.update(payload);
    const bytes = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length;
    return { bytes, commitment: 'sha256:' + h.digest('hex') };
  }
  scratch.set(salt, 0);
  return commitInScratch(salt.length, payload);
}

/** Whether `most` bytes fit the scratch buffer, grown to its largest size if need be. */
function roomInScratch(most: number): boolean {
  if (most > SCRATCH_MAX) return false;
  if (most > scratch.length) scratch = Buffer.allocUnsafe(SCRATCH_MAX);
  return true;
}

/** Write `payload` after the `saltLength` salt bytes already at the start of `scratch`; hash both. */
function commitInScratch(saltLength: number, payload: Uint8Array | string): { bytes: number; commitment: string } {
  const bytes = typeof payload === 'string' ? scratch.write(payload, saltLength, 'utf8') : (scratch.set(payload, saltLength), payload.length);
  // keys in canonical order, as records hold them
  return { bytes, commitment: 'sha256:' + hash('sha256', scratch.subarray(0, saltLength + bytes), 'hex') };
}

/** A commitment to `payload` under a fresh salt, and the salt as hex when the caller keeps evidence. */
export interface FreshCommitment {
  committed: { bytes: number; commitment: string };
  salt: string | null;
}

/**
 * Commit to a text payload under a fresh 32-byte salt. The salt goes from the random pool straight
 * into the hashing buffer: no Buffer object per salt on the hot path.
 */
export function commitWithFreshSalt(payload: string, keepSalt: boolean): FreshCommitment {
  if (!roomInScratch(SALT_BYTES + payload.length * 3)) {
    const salt = freshSalt();
    return { committed: commitPayload(salt, payload), salt: keepSalt ? salt.toString('hex') : null };
  }
  const at = reserve(SALT_BYTES);
  pool.copy(scratch, 0, at, at + SALT_BYTES);
  return { committed: commitInScratch(SALT_BYTES, payload), salt: keepSalt ? pool.toString('hex', at, at + SALT_BYTES) : null };
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
