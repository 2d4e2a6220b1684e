// On-disk layout of the file store (documented in README.md "File layout").
import { join } from 'node:path';

export const FORMAT_FILE = 'format';
export const FORMAT_TEXT = 'agentrail-ledger 1\n';
export const LOCK_FILE = 'lock';
export const ENTRIES_FILE = 'entries';
export const INDEX_FILE = 'index';
export const TREE_DIR = 'tree';
export const CHECKPOINT_FILE = 'checkpoint';
export const CHECKPOINT_TMP = 'checkpoint.tmp';

/** Index record: u64 big-endian end offset of the entry in `entries`, then its 32-byte leaf hash. */
export const INDEX_RECORD = 40;
export const TREE_RECORD = 32;
/** Largest accepted entry (bytes). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

export const treeFile = (dir: string, level: number): string => join(dir, TREE_DIR, String(level));

export function readEnd(buf: Buffer, recordOffset: number): number {
  return buf.readUInt32BE(recordOffset) * 2 ** 32 + buf.readUInt32BE(recordOffset + 4);
}

export function writeEnd(buf: Buffer, recordOffset: number, end: number): void {
  buf.writeUInt32BE(Math.floor(end / 2 ** 32), recordOffset);
  buf.writeUInt32BE(end >>> 0, recordOffset + 4);
}
