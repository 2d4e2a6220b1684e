// Read-only iteration over a ledger's entries (no lock; safe next to a live writer).
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError } from '../errors.js';
import { toIndex, type IntLike } from '../numbers.js';
import { readChunks } from './chunks.js';
import { ENTRIES_FILE, INDEX_FILE, INDEX_RECORD, readEnd } from './layout.js';

async function openForRead(dir: string, name: string) {
  try {
    return await open(join(dir, name), 'r');
  } catch (cause) {
    throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot read ${name} in ${dir}: is it a ledger directory?`, { cause });
  }
}

/** Entries [from, to) of the ledger in `dir`; `to` defaults to the current size. */
export async function* readLedgerEntries(dir: string, range: { from?: IntLike; to?: IntLike } = {}): AsyncIterable<{ index: number; data: Uint8Array }> {
  const index = await openForRead(dir, INDEX_FILE);
  const entries = await openForRead(dir, ENTRIES_FILE).catch(async (e: unknown) => {
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

