// Sequential chunked reads of index records and their entry bytes, in bounded memory.
import type { FileHandle } from 'node:fs/promises';
import { INDEX_RECORD, readEnd } from './layout.js';

export const READ_CHUNK_RECORDS = 8192;
export const READ_CHUNK_BYTES = 16 * 1024 * 1024;

export interface Chunk {
  first: number;
  count: number;
  /** Index records of [first, first + count). */
  index: Buffer;
  /** Entry bytes from `dataStart` (the end offset of entry first - 1) up to the chunk's last valid end. */
  data: Buffer;
  dataStart: number;
}

/**
 * Read chunks of entries [from, to). Ends are checked only enough to size reads: a chunk stops
 * before a decreasing or out-of-file offset, which becomes the first record of the next chunk
 * with empty data, so the consumer sees it and reports it.
 */
export async function* readChunks(
  index: FileHandle, entries: FileHandle, from: number, to: number, entriesSize: number,
): AsyncGenerator<Chunk> {
  let prevEnd = 0;
  if (from > 0) {
    const rec = Buffer.alloc(INDEX_RECORD);
    await index.read(rec, 0, INDEX_RECORD, (from - 1) * INDEX_RECORD);
    prevEnd = readEnd(rec, 0);
  }
  for (let pos = from; pos < to; ) {
    const want = Math.min(READ_CHUNK_RECORDS, to - pos);
    const idx = Buffer.alloc(want * INDEX_RECORD);
    const { bytesRead } = await index.read(idx, 0, idx.length, pos * INDEX_RECORD);
    const avail = Math.floor(bytesRead / INDEX_RECORD);
    let count = 0;
    let last = prevEnd;
    for (let i = 0; i < avail; i++) {
      const end = readEnd(idx, i * INDEX_RECORD);
      if (end < last || end > entriesSize) {
        if (count === 0) count = 1; // a bad record alone: consumer reports it
        break;
      }
      if (count > 0 && end - prevEnd > READ_CHUNK_BYTES) break;
      last = end;
      count++;
    }
    if (count === 0) return;
    const data = Buffer.alloc(Math.max(0, last - prevEnd));
    if (data.length > 0) await entries.read(data, 0, data.length, prevEnd);
    yield { first: pos, count, index: idx.subarray(0, count * INDEX_RECORD), data, dataStart: prevEnd };
    prevEnd = last;
    pos += count;
  }
}
