// Reading entries without a lock (safe next to a live writer): iteration, one entry by position.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError } from '../errors.js';
import { toIndex, type IntLike } from '../numbers.js';
import { readChunks } from './chunks.js';
import { ENTRIES_FILE, INDEX_FILE, INDEX_RECORD, readEnd } from './layout.js';

/** Open one of a ledger's files read-only; a missing or unreadable one is ERR_LEDGER_NOT_FOUND. */
export async function openLedgerFile(dir: string, name: string): Promise<FileHandle> {
  try {
    return await open(join(dir, name), 'r');
  } catch (cause) {
    throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot read ${name} in ${dir}: ${(cause as Error).message}.`, { cause });
  }
}

/** Entry `i` by position: its end offsets from the index, then its bytes. */
export async function readEntryAt(index: FileHandle, entries: FileHandle, i: number, dir: string): Promise<Buffer> {
  const rec = Buffer.alloc(2 * INDEX_RECORD);
  await index.read(rec, 0, i === 0 ? INDEX_RECORD : 2 * INDEX_RECORD, i === 0 ? 0 : (i - 1) * INDEX_RECORD);
  const start = i === 0 ? 0 : readEnd(rec, 0);
  const end = readEnd(rec, i === 0 ? 0 : INDEX_RECORD);
  if (end < start) throw new LedgerError('ERR_LEDGER_CORRUPT', `Entry ${i} has a broken offset in ${dir}; run verify.`);
  const out = Buffer.alloc(end - start);
  const { bytesRead } = await entries.read(out, 0, out.length, start);
  if (bytesRead !== out.length) throw new LedgerError('ERR_LEDGER_CORRUPT', `Entry ${i} is cut short in ${dir}; run verify.`);
  return out;
}

/** Entries [from, to) of the ledger in `dir`; `to` defaults to the current size. */
export async function* readLedgerEntries(dir: string, range: { from?: IntLike; to?: IntLike } = {}): AsyncIterable<{ index: number; data: Uint8Array }> {
  const index = await openLedgerFile(dir, INDEX_FILE);
  const entries = await openLedgerFile(dir, ENTRIES_FILE).catch(async (e: unknown) => {
    await index.close();
    throw e;
  });
  try {
    const size = Math.floor((await index.stat()).size / INDEX_RECORD);
    const entriesSize = (await entries.stat()).size;
    const from = range.from === undefined ? 0 : toIndex(range.from, 'from');
    const to = range.to === undefined ? size : toIndex(range.to, 'to');
    if (to > size || from > to) {
      throw new LedgerError('ERR_INDEX_OUT_OF_RANGE', `Range [${from}, ${to}) is outside the ledger's ${size} entries.`);
    }
    for await (const chunk of readChunks(index, entries, from, to, entriesSize)) {
      let start = chunk.dataStart;
      for (let i = 0; i < chunk.count; i++) {
        const end = readEnd(chunk.index, i * INDEX_RECORD);
        if (end < start || end - chunk.dataStart > chunk.data.length) {
          throw new LedgerError('ERR_LEDGER_CORRUPT', `Entry ${chunk.first + i} in ${dir} has a broken offset; run verify.`);
        }
        yield { index: chunk.first + i, data: chunk.data.subarray(start - chunk.dataStart, end - chunk.dataStart) };
        start = end;
      }
    }
  } finally {
    await index.close();
    await entries.close();
  }
}

