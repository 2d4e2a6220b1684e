// Proof construction as pure tree maths: which stored subtree hashes make up each proof step
// (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF). Storage fetches the hashes; `assembleProof`
// folds them. Every step is a right-edge range of aligned complete subtrees, so a proof reads
// O(log n) stored hashes and never rehashes the log.
import { nodeHash } from './hash.js';
import { largestPow2AtMost, largestPow2Below, log2Exact } from './numbers.js';

/** A complete subtree: leaves [index * 2^level, (index + 1) * 2^level). Level 0 is a leaf hash. */
export interface NodeId {
  level: number;
  index: number;
}

/** One proof hash = the fold (from the right) of these subtree hashes, largest first. */
export type ProofStep = NodeId[];

/** Decompose [lo, hi) into aligned complete subtrees, largest first. */
export function rangeNodes(lo: number, hi: number): NodeId[] {
  const out: NodeId[] = [];
  let pos = lo;
  while (pos < hi) {
    const p = largestPow2AtMost(hi - pos);
    if (pos % p !== 0) throw new RangeError(`range [${lo}, ${hi}) is not right-edge aligned`);
    out.push({ level: log2Exact(p), index: pos / p });
    pos += p;
  }
  return out;
}

/** Stored hashes needed for the inclusion proof of leaf `index` in the tree of `size` leaves. */
export function inclusionPlan(index: number, size: number): ProofStep[] {
  if (!(index < size)) throw new RangeError(`index ${index} is not below size ${size}`);
  const out: ProofStep[] = [];
  const path = (lo: number, hi: number): void => {
    const n = hi - lo;
    if (n <= 1) return;
    const k = largestPow2Below(n);
    if (index - lo < k) {
      path(lo, lo + k);
      out.push(rangeNodes(lo + k, hi));
    } else {
      path(lo + k, hi);
      out.push([{ level: log2Exact(k), index: lo / k }]);
    }
  };
  path(0, size);
  return out;
}

/** Stored hashes needed for the consistency proof from size1 to size2 (0 < size1 <= size2). */
export function consistencyPlan(size1: number, size2: number): ProofStep[] {
  if (!(size1 > 0 && size1 <= size2)) throw new RangeError(`bad consistency sizes ${size1}, ${size2}`);
  const out: ProofStep[] = [];
  const sub = (m: number, lo: number, hi: number, complete: boolean): void => {
    const n = hi - lo;
    if (m === n) {
      if (!complete) out.push(rangeNodes(lo, hi));
      return;
    }
    const k = largestPow2Below(n);
    if (m <= k) {
      sub(m, lo, lo + k, complete);
      out.push(rangeNodes(lo + k, hi));
    } else {
      sub(m - k, lo + k, hi, false);
      out.push([{ level: log2Exact(k), index: lo / k }]);
    }
  };
  if (size1 < size2) sub(size1, 0, size2, true);
  return out;
}

/** Every distinct node a plan reads, for batching storage reads. */
export function planNodes(plan: readonly ProofStep[]): NodeId[] {
  const seen = new Set<string>();
  const out: NodeId[] = [];
  for (const step of plan) {
    for (const id of step) {
      const key = `${id.level}/${id.index}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(id);
      }
    }
  }
  return out;
}

/** Fold fetched subtree hashes into proof hashes. */
export function assembleProof(plan: readonly ProofStep[], get: (id: NodeId) => Uint8Array): Uint8Array[] {
  return plan.map((step) => {
    let acc = get(step[step.length - 1]!);
    for (let i = step.length - 2; i >= 0; i--) acc = nodeHash(get(step[i]!), acc);
    return acc;
  });
}
