// Positional reads of stored hashes: leaf hashes live in the index file, level >= 1 subtree
// hashes in tree/<level>. Proofs need O(log n) of these 32-byte reads, done synchronously
// because each is a page-cache hit far cheaper than an async round trip.
import { closeSync, openSync, readSync } from 'node:fs';
import { LedgerError } from '../errors.js';
import type { NodeId } from '../proof.js';
import { INDEX_FILE, INDEX_RECORD, TREE_RECORD, treeFile } from './layout.js';
import { join } from 'node:path';

export class NodeReader {
  readonly #dir: string;
  readonly #fds = new Map<number, number>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  #fd(level: number): number {
    let fd = this.#fds.get(level);
    if (fd === undefined) {
      fd = openSync(level === 0 ? join(this.#dir, INDEX_FILE) : treeFile(this.#dir, level), 'r');
      this.#fds.set(level, fd);
    }
    return fd;
  }

  read(id: NodeId): Uint8Array {
    const out = Buffer.allocUnsafe(32);
    const pos = id.level === 0 ? id.index * INDEX_RECORD + 8 : id.index * TREE_RECORD;
    const n = readSync(this.#fd(id.level), out, 0, 32, pos);
    if (n !== 32) {
      throw new LedgerError('ERR_LEDGER_CORRUPT', `Stored hash ${id.level}/${id.index} is missing in ${this.#dir}; run verify.`);
    }
    return out;
  }

  close(): void {
    for (const fd of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
  }
}
