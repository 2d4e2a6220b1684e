// The right edge of a Merkle tree grown by whole subtrees (verifyLedger's chunk roots) rather
// than by leaves: one hash per level, plus the subtrees of a final partial chunk.
import { emptyRoot, HASH_SIZE, nodeHash } from './hash.js';

/** Called for every subtree hash the edge computes, so the caller can compare it with a stored one. */
export type EdgeCheck = (level: number, index: number, hash: Uint8Array) => Promise<void>;

export class TreeEdge {
  readonly #check: EdgeCheck;
  /** #levels[k] is set when the edge holds a complete level-k subtree not yet joined. */
  readonly #levels: (Uint8Array | undefined)[] = [];
  #tail: Uint8Array[] = [];

  constructor(check: EdgeCheck) {
    this.#check = check;
  }

  /** Add the next subtree: `hash` covers level-`level` position `index`, right after the edge. */
  async append(level: number, index: number, hash: Uint8Array): Promise<void> {
    let carry = hash;
    while (this.#levels[level] !== undefined) {
      carry = nodeHash(this.#levels[level]!, carry);
      this.#levels[level] = undefined;
      level++;
      index = Math.floor(index / 2);
      await this.#check(level, index, carry);
    }
    this.#levels[level] = carry;
  }

  /** Subtree hashes (packed, largest first) of the entries after the last whole subtree. */
  setTail(packed: Uint8Array): void {
    this.#tail = unpack(packed);
  }

  /** Root of the tree: the edge, the tail, then `extra` subtree hashes (packed, largest first). */
  rootWith(extra: Uint8Array = new Uint8Array(0)): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let k = this.#levels.length - 1; k >= 0; k--) {
      const h = this.#levels[k];
      if (h) parts.push(h);
    }
    parts.push(...this.#tail, ...unpack(extra));
    let acc = parts.pop();
    if (!acc) return emptyRoot();
    while (parts.length > 0) acc = nodeHash(parts.pop()!, acc);
    return acc;
  }
}

function unpack(packed: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o + HASH_SIZE <= packed.length; o += HASH_SIZE) out.push(packed.subarray(o, o + HASH_SIZE));
  return out;
}
