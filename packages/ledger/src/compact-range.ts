// The right edge of a Merkle tree: one hash per set bit of the size, so appending is
// O(log n) memory. Each append reports the complete subtree hashes it creates, in order per level.
import { nodeHash, emptyRoot } from './hash.js';

/** Called for every new complete subtree: `level` >= 1, `index` = its position on that level. */
export type NodeSink = (level: number, index: number, hash: Uint8Array) => void;

export class CompactRange {
  #size = 0;
  /** hashes[level] is set when bit `level` of size is set. */
  readonly #hashes: (Uint8Array | undefined)[] = [];

  /** Start from stored subtree roots: `hashes` are the decomposition of [0, size), largest first. */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): CompactRange {
    const r = new CompactRange();
    let rem = size;
    let i = 0;
    for (let level = 53; level >= 0; level--) {
      const p = 2 ** level;
      if (rem >= p) {
        const h = hashes[i++];
        if (!h) throw new RangeError('compact range: too few hashes for size');
        r.#hashes[level] = h;
        rem -= p;
      }
    }
    if (i !== hashes.length) throw new RangeError('compact range: too many hashes for size');
    r.#size = size;
    return r;
  }

  get size(): number {
    return this.#size;
  }

  append(leaf: Uint8Array, onNode?: NodeSink): void {
    let carry = leaf;
    let level = 0;
    let index = this.#size;
    while (this.#hashes[level] !== undefined) {
      carry = nodeHash(this.#hashes[level]!, carry);
      this.#hashes[level] = undefined;
      level++;
      index = Math.floor(index / 2);
      onNode?.(level, index, carry);
    }
    this.#hashes[level] = carry;
    this.#size++;
  }

  root(): Uint8Array {
    let acc: Uint8Array | undefined;
    for (let level = 0; level < this.#hashes.length; level++) {
      const h = this.#hashes[level];
      if (h) acc = acc ? nodeHash(h, acc) : h;
    }
    return acc ?? emptyRoot();
  }
}

/** Merkle tree hash over already-hashed leaves (empty list: SHA-256 of nothing). */
export function rootHash(leafHashes: readonly Uint8Array[]): Uint8Array {
  const range = new CompactRange();
  for (const h of leafHashes) range.append(h);
  return range.root();
}
