// Reopen-time recovery: trust everything a published checkpoint covers, check the tail beyond
// it entry by entry (offsets and leaf hashes), cut a torn tail, and rebuild subtree hashes that
// were not yet durable. Work is bounded by what was appended since the last checkpoint.
import { type FileHandle } from 'node:fs/promises';
import { CompactRange } from '../compact-range.js';
import { LedgerError } from '../errors.js';
import { bytesEqual, leafHash } from '../hash.js';
import { rangeNodes } from '../proof.js';
import { INDEX_RECORD, MAX_ENTRY_BYTES, TREE_RECORD, readEnd } from './layout.js';
import type { NodeReader } from './node-reader.js';

export const CHUNK_RECORDS = 4096;
const CHUNK_BYTES = 8 * 1024 * 1024;

async function fileSize(fh: FileHandle): Promise<number> {
  return (await fh.stat()).size;
}

/** Cut the index and entries files back to the last intact entry beyond `checkpointSize`. */
export async function recoverTail(dir: string, entries: FileHandle, index: FileHandle, checkpointSize: number): Promise<{ size: number; entriesEnd: number }> {
  const indexBytes = await fileSize(index);
  const entriesBytes = await fileSize(entries);
  const records = Math.floor(indexBytes / INDEX_RECORD);
  if (checkpointSize > records) {
    throw new LedgerError('ERR_LEDGER_CORRUPT', `Ledger ${dir} has ${records} entries but its checkpoint covers ${checkpointSize}; it was truncated. Run verify.`);
  }
  let prevEnd = 0;
  if (checkpointSize > 0) {
    const rec = Buffer.alloc(INDEX_RECORD);
    await index.read(rec, 0, INDEX_RECORD, (checkpointSize - 1) * INDEX_RECORD);
    prevEnd = readEnd(rec, 0);
    if (prevEnd > entriesBytes) {
      throw new LedgerError('ERR_LEDGER_CORRUPT', `Ledger ${dir} is missing entry data its checkpoint covers. Run verify.`);
    }
  }
  let size = checkpointSize;
  scan: while (size < records) {
    const count = Math.min(CHUNK_RECORDS, records - size);
    const idx = Buffer.alloc(count * INDEX_RECORD);
    await index.read(idx, 0, idx.length, size * INDEX_RECORD);
    // Entry bytes for this chunk, bounded by what the file holds.
    let lastEnd = prevEnd;
    let usable = 0;
    let invalid = false;
    for (let i = 0; i < count; i++) {
      const end = readEnd(idx, i * INDEX_RECORD);
      if (end < lastEnd || end > entriesBytes || end - lastEnd > MAX_ENTRY_BYTES) {
        invalid = true;
        break;
      }
      if (usable > 0 && end - prevEnd > CHUNK_BYTES) break;
      lastEnd = end;
      usable++;
    }
    if (usable > 0) {
      const data = Buffer.alloc(lastEnd - prevEnd);
      await entries.read(data, 0, data.length, prevEnd);
      let off = 0;
      for (let i = 0; i < usable; i++) {
        const end = readEnd(idx, i * INDEX_RECORD) - prevEnd;
        const stored = idx.subarray(i * INDEX_RECORD + 8, (i + 1) * INDEX_RECORD);
        if (!bytesEqual(leafHash(data.subarray(off, end)), stored)) {
          prevEnd += off;
          break scan;
        }
        off = end;
        size++;
      }
      prevEnd += off;
    }
    if (invalid) break;
  }
  if (indexBytes !== size * INDEX_RECORD) {
    await index.truncate(size * INDEX_RECORD);
    await index.sync();
  }
  if (entriesBytes !== prevEnd) {
    await entries.truncate(prevEnd);
    await entries.sync();
  }
  return { size, entriesEnd: prevEnd };
}

/**
 * Largest size <= checkpointSize whose subtree hashes are all stored, given per-level counts.
 * Hashes beyond it are dropped and rebuilt from the leaves.
 */
export function integratedPrefix(checkpointSize: number, treeCounts: ReadonlyMap<number, number>): number {
  let s = checkpointSize;
  for (let changed = true; changed; ) {
    changed = false;
    for (let level = 1; 2 ** level <= s; level++) {
      const have = treeCounts.get(level) ?? 0;
      if (have < Math.floor(s / 2 ** level)) {
        s = have * 2 ** level;
        changed = true;
      }
    }
  }
  return s;
}

/** Truncate tree levels to `prefix` and return the compact range at that size. */
export async function prepareTree(trees: ReadonlyMap<number, FileHandle>, prefix: number, reader: NodeReader): Promise<CompactRange> {
  for (const [level, fh] of trees) {
    const keep = Math.floor(prefix / 2 ** level) * TREE_RECORD;
    if ((await fileSize(fh)) > keep) {
      await fh.truncate(keep);
      await fh.sync();
    }
  }
  return CompactRange.fromHashes(prefix, rangeNodes(0, prefix).map((id) => reader.read(id)));
}

