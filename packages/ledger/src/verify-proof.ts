// Pure proof checks (RFC 9162 §2.1.3.2 and §2.1.4.2). Strict: exact lengths, 32-byte hashes,
// bounds; they throw ProofError with the evidence and return normally on success.
import { ProofError } from './errors.js';
import { HASH_SIZE, bytesEqual, nodeHash } from './hash.js';
import { toIndex, type IntLike } from './numbers.js';

function checkHash(h: unknown, what: string): asserts h is Uint8Array {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    throw new ProofError('ERR_PROOF_MALFORMED', `${what} must be a ${HASH_SIZE}-byte hash.`);
  }
}

function checkProof(proof: readonly Uint8Array[]): void {
  if (!Array.isArray(proof)) throw new ProofError('ERR_PROOF_MALFORMED', 'proof must be an array of hashes.');
  proof.forEach((h, i) => checkHash(h, `proof hash ${i}`));
}

const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** The root implied by an inclusion proof; throws if the proof has the wrong length. */
export function rootFromInclusionProof(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array {
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new ProofError('ERR_PROOF_MALFORMED', `inclusion proof is too long for index ${index} in size ${size}.`);
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('ERR_PROOF_MALFORMED', `inclusion proof is too short for index ${index} in size ${size}.`);
  return r;
}

export function verifyInclusion(leafHash: Uint8Array, index: IntLike, size: IntLike, proof: readonly Uint8Array[], root: Uint8Array): void {
  const i = toProofInt(index, 'index');
  const n = toProofInt(size, 'size');
  checkHash(leafHash, 'leaf hash');
  checkHash(root, 'root');
  checkProof(proof);
  if (!(i < n)) throw new ProofError('ERR_PROOF_MALFORMED', `index ${i} is not below tree size ${n}.`);
  const computed = rootFromInclusionProof(leafHash, i, n, proof);
  if (!bytesEqual(computed, root)) {
    throw new ProofError('ERR_PROOF_ROOT_MISMATCH', `inclusion proof for index ${i} does not lead to the expected root of size ${n}.`, { expected: root, computed });
  }
}

export function verifyConsistency(size1: IntLike, size2: IntLike, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): void {
  const m = toProofInt(size1, 'size1');
  const n = toProofInt(size2, 'size2');
  checkHash(root1, 'root1');
  checkHash(root2, 'root2');
  checkProof(proof);
  if (m === 0) throw new ProofError('ERR_PROOF_MALFORMED', 'consistency from an empty tree (size1 = 0) is not accepted.');
  if (m > n) throw new ProofError('ERR_PROOF_MALFORMED', `size1 ${m} is larger than size2 ${n}.`);
  if (m === n) {
    if (proof.length !== 0) throw new ProofError('ERR_PROOF_MALFORMED', 'consistency proof between equal sizes must be empty.');
    if (!bytesEqual(root1, root2)) {
      throw new ProofError('ERR_PROOF_ROOT_MISMATCH', `trees of equal size ${m} have different roots.`, { expected: root1, computed: root2 });
    }
    return;
  }
  if (proof.length === 0) throw new ProofError('ERR_PROOF_MALFORMED', 'consistency proof is empty.');
  const hashes = [...proof];
  // When size1 is a power of two its root is a node of the larger tree and the proof omits it.
  if (isPow2(m)) hashes.unshift(root1);
  let fn = m - 1;
  let sn = n - 1;
  while (odd(fn)) { fn = half(fn); sn = half(sn); }
  let fr = hashes[0]!;
  let sr = hashes[0]!;
  for (let i = 1; i < hashes.length; i++) {
    const c = hashes[i]!;
    if (sn === 0) throw new ProofError('ERR_PROOF_MALFORMED', `consistency proof is too long for sizes ${m} to ${n}.`);
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('ERR_PROOF_MALFORMED', `consistency proof is too short for sizes ${m} to ${n}.`);
  if (!bytesEqual(fr, root1)) {
    throw new ProofError('ERR_PROOF_ROOT_MISMATCH', `consistency proof does not lead to the old root of size ${m}.`, { expected: root1, computed: fr });
  }
  if (!bytesEqual(sr, root2)) {
    throw new ProofError('ERR_PROOF_ROOT_MISMATCH', `consistency proof does not lead to the new root of size ${n}.`, { expected: root2, computed: sr });
  }
}

function isPow2(x: number): boolean {
  while (x > 1 && x % 2 === 0) x /= 2;
  return x === 1;
}

function toProofInt(v: IntLike, what: string): number {
  try {
    return toIndex(v, what);
  } catch {
    throw new ProofError('ERR_PROOF_MALFORMED', `${what} must be a non-negative safe integer.`);
  }
}
