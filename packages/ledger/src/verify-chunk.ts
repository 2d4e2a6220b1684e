// Full verification of one aligned chunk of the file store: 2^CHUNK_BITS entries starting at a
// multiple of that size. It reads the chunk's index records and entry bytes itself (by file
// descriptor, so a worker thread needs nothing copied to it), recomputes every leaf and every
// subtree hash inside the chunk and compares them with what is stored. Chunks are independent,
// so worker threads verify them in parallel; the caller joins the chunk roots.
//
// Findings are reported exactly as a sequential pass over the entries would: the failure found
// at the lowest entry (a leaf before the subtree hashes completed at that entry, lower levels
// first) wins, and nothing after it is looked at.
import { createHash, hash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';
import type { VerificationErrorCode } from './errors.js';
import { INDEX_RECORD, TREE_RECORD, readEnd } from './file-store/layout.js';

/** log2 of the entries per chunk. 2^14 keeps a worker's buffers near 6 MiB. */
export const CHUNK_BITS = 14;
export const CHUNK_ENTRIES = 2 ** CHUNK_BITS;
/** Entry bytes are read in pieces of this size; larger entries are hashed as a stream. */
const READ_BYTES = 4 * 1024 * 1024;
/** Entries up to this size are hashed one-shot from a copy behind the 0x00 prefix. */
const LEAF_COPY_MAX = 64 * 1024;

const readAt = promisify(read);

/** What is fixed about the log when verification starts (sizes read before any chunk). */
export interface ChunkContext {
  /** Entries in the log (index records). */
  size: number;
  /** Bytes in the entries file. */
  entriesSize: number;
  /** Stored hashes per tree level (index 0 unused; missing levels count 0). */
  levelCounts: number[];
  /** Size the signed checkpoint covers: stored hashes below it must exist. */
  checkpointSize: number;
  /** Stored tree hashes describe more entries than the index holds (entries were removed). */
  storedBeyond: boolean;
}

/** Open file descriptors of the log, owned by the caller. `levels[k]` is -1 where none is stored. */
export interface ChunkFiles {
  index: number;
  entries: number;
  levels: number[];
}

export interface ChunkJob {
  chunk: number;
  /** Tree sizes strictly inside the chunk whose root the caller needs (checkpoint, trusted state). */
  probes: number[];
}

/** The first failure in a chunk, as the fields of a VerificationError. */
export interface ChunkFailure {
  code: VerificationErrorCode;
  message: string;
  index: number;
  expected?: Uint8Array;
  computed?: Uint8Array;
}

export interface ChunkResult {
  chunk: number;
  /** Without a failure: subtree hashes of the chunk's entries, largest first, 32 bytes each. */
  hashes: Uint8Array;
  /** Subtree hashes of [chunk start, size), largest first, for each probe reached before a failure. */
  probes: { size: number; hashes: Uint8Array }[];
  failure: ChunkFailure | null;
}

interface Found extends ChunkFailure {
  /** The entry at which a sequential pass detects it. */
  at: number;
}

/** Checks chunks one at a time, reusing its buffers; one per thread. */
export class ChunkVerifier {
  readonly #files: ChunkFiles;
  readonly #ctx: ChunkContext;
  readonly #index: Buffer;
  /** Entry bytes; an entry longer than this is hashed as a stream. */
  readonly #data: Buffer;
  readonly #stored: Buffer;
  /** #levels[k]: the chunk's computed level-k hashes (k >= 1). */
  readonly #levels: Buffer[] = [];
  readonly #node = Buffer.alloc(1 + 2 * TREE_RECORD);
  /** 0x00 ‖ entry bytes; #leafView is its prefix for the last entry length, reused while lengths repeat. */
  readonly #leaf = Buffer.alloc(1 + LEAF_COPY_MAX);
  #leafView = this.#leaf.subarray(0, 1);

  constructor(files: ChunkFiles, ctx: ChunkContext) {
    this.#files = files;
    this.#ctx = ctx;
    // Sized for the log, so verifying a small log allocates little.
    const entries = Math.min(CHUNK_ENTRIES, ctx.size);
    this.#index = Buffer.alloc(entries * INDEX_RECORD);
    this.#data = Buffer.alloc(Math.max(1, Math.min(READ_BYTES, ctx.entriesSize)));
    this.#stored = Buffer.alloc((entries >> 1) * TREE_RECORD);
    for (let k = 1; k <= CHUNK_BITS; k++) this.#levels[k] = Buffer.alloc((entries >> k) * TREE_RECORD);
    this.#node[0] = 1;
  }

  async verify(job: ChunkJob): Promise<ChunkResult> {
    const first = job.chunk * CHUNK_ENTRIES;
    const end = Math.min(first + CHUNK_ENTRIES, this.#ctx.size);
    if (end <= first) throw new RangeError(`chunk ${job.chunk} is beyond the log`);
    const records = await this.#readFully(this.#files.index, this.#index, (end - first) * INDEX_RECORD, first * INDEX_RECORD);
    const avail = Math.floor(records / INDEX_RECORD);
    let found: Found | null = null;
    if (first + avail < end) found = missing(first + avail); // the index shrank under us
    found = (await this.#checkLeaves(first, avail)) ?? found;
    found = (await this.#checkNodes(first, found ? found.at : end)) ?? found;
    const reached = found ? found.at : end; // entries [first, reached) passed every check
    const probes: ChunkResult['probes'] = [];
    for (const size of job.probes) {
      if (size > first && size < end && size <= reached) probes.push({ size, hashes: this.#decomposition(first, size) });
    }
    if (found) {
      const { at: _at, ...failure } = found;
      return { chunk: job.chunk, hashes: new Uint8Array(0), probes, failure };
    }
    return { chunk: job.chunk, hashes: this.#decomposition(first, end), probes, failure: null };
  }

  /** Recompute each leaf from its entry bytes and compare with the index record; stop at the first bad one. */
  async #checkLeaves(first: number, count: number): Promise<Found | null> {
    const idx = this.#index;
    const { entriesSize } = this.#ctx;
    let start = first === 0 ? 0 : await this.#endOf(first - 1);
    // Read no further than the chunk's own bytes.
    const dataEnd = count > 0 ? Math.min(entriesSize, readEnd(idx, (count - 1) * INDEX_RECORD)) : 0;
    let bufAt = 0;
    let bufLen = 0;
    for (let i = 0; i < count; i++) {
      const at = first + i;
      const rec = i * INDEX_RECORD;
      const end = readEnd(idx, rec);
      if (end < start) {
        return { at, code: 'ERR_ENTRY_CHANGED', index: at, message: `Entry ${at} has a broken offset in the index.` };
      }
      if (end > entriesSize) return missing(at);
      let leaf: Uint8Array | null;
      if (end - start > this.#data.length) {
        leaf = await this.#hashLarge(start, end);
        if (!leaf) return missing(at);
      } else {
        if (start < bufAt || end > bufAt + bufLen) {
          const want = Math.max(end, Math.min(start + this.#data.length, dataEnd)) - start;
          bufLen = await this.#readFully(this.#files.entries, this.#data, want, start);
          bufAt = start;
          if (bufLen < end - start) return missing(at); // the file shrank under us
        }
        leaf = this.#leafHash(start - bufAt, end - bufAt);
      }
      if (!sameHash(leaf, 0, idx, rec + 8)) return this.#leafMismatch(first, count, i, leaf);
      start = end;
    }
    return null;
  }

  /**
   * Compute the chunk's subtree hashes, level by level, for subtrees that end before entry
   * `reached` (where an earlier failure was found), and compare them with the stored ones.
   */
  async #checkNodes(first: number, reached: number): Promise<Found | null> {
    const { levelCounts, checkpointSize, storedBeyond } = this.#ctx;
    let found: Found | null = null;
    for (let k = 1; k <= CHUNK_BITS; k++) {
      const width = 2 ** k;
      const lo = first / width;
      const hi = Math.floor(reached / width);
      if (hi <= lo) break;
      const storedCount = levelCounts[k] ?? 0;
      const storedHi = Math.min(hi, storedCount);
      if (storedHi > lo) {
        const want = (storedHi - lo) * TREE_RECORD;
        const got = await this.#readFully(this.#files.levels[k]!, this.#stored, want, lo * TREE_RECORD);
        // A tree file shrank under us: what it no longer holds compares as zeros, i.e. mismatches.
        this.#stored.fill(0, got, want);
      }
      const out = this.#levels[k]!;
      const below = k === 1 ? this.#index : this.#levels[k - 1]!;
      const stride = k === 1 ? INDEX_RECORD : TREE_RECORD;
      const skip = k === 1 ? 8 : 0;
      const node = this.#node;
      for (let j = lo; j < hi; j++) {
        const local = j - lo;
        const left = 2 * local * stride + skip;
        below.copy(node, 1, left, left + TREE_RECORD);
        below.copy(node, 1 + TREE_RECORD, left + stride, left + stride + TREE_RECORD);
        const h = hash('sha256', node, 'buffer');
        h.copy(out, local * TREE_RECORD);
        const from = j * width;
        const at = from + width - 1;
        if (j >= storedCount) {
          if (j < Math.floor(checkpointSize / width)) {
            found = { at, code: 'ERR_TREE_HASH_MISMATCH', index: from, message: `Stored tree hash ${k}/${j} is missing although the checkpoint covers it.` };
            reached = at;
            break;
          }
          continue;
        }
        const o = local * TREE_RECORD;
        if (!sameHash(h, 0, this.#stored, o)) {
          const expected = new Uint8Array(this.#stored.subarray(o, o + TREE_RECORD));
          const computed = new Uint8Array(h);
          found = storedBeyond
            ? { at, code: 'ERR_ENTRY_MISSING', index: from, expected, computed, message: `Entries were removed: stored tree hashes describe more entries than the log holds, first difference at entry ${from}.` }
            : { at, code: 'ERR_TREE_HASH_MISMATCH', index: from, expected, computed, message: `Stored tree hash ${k}/${j} (entries from ${from}) does not match the entries.` };
          reached = at;
          break;
        }
      }
    }
    return found;
  }

  /** Subtree hashes covering [first, size), largest first, from the levels computed for the chunk. */
  #decomposition(first: number, size: number): Uint8Array {
    const parts: Array<[Buffer, number]> = [];
    let pos = first;
    for (let k = CHUNK_BITS; k >= 0; k--) {
      const width = 2 ** k;
      if (size - pos < width) continue;
      const local = (pos - first) / width;
      parts.push(k === 0 ? [this.#index, local * INDEX_RECORD + 8] : [this.#levels[k]!, local * TREE_RECORD]);
      pos += width;
    }
    const out = new Uint8Array(parts.length * TREE_RECORD);
    parts.forEach(([buf, o], i) => out.set(buf.subarray(o, o + TREE_RECORD), i * TREE_RECORD));
    return out;
  }

  // A changed leaf whose hash belongs to another position of the chunk means entries were swapped.
  #leafMismatch(first: number, count: number, i: number, leaf: Uint8Array): Found {
    const at = first + i;
    const expected = new Uint8Array(this.#index.subarray(i * INDEX_RECORD + 8, (i + 1) * INDEX_RECORD));
    const computed = new Uint8Array(leaf);
    for (let j = 0; j < count; j++) {
      if (j !== i && sameHash(leaf, 0, this.#index, j * INDEX_RECORD + 8)) {
        return { at, code: 'ERR_ENTRY_REORDERED', index: at, expected, computed, message: `Entry ${at} holds the bytes of entry ${first + j}: entries were reordered.` };
      }
    }
    return { at, code: 'ERR_ENTRY_CHANGED', index: at, expected, computed, message: `Entry ${at} was changed: its bytes no longer match its recorded hash.` };
  }

  /**
   * RFC 6962 leaf hash of #data[from, to): hash.ts leafHash, but hashing in place of its two
   * views per call (the view is kept while lengths repeat), since it runs once per entry.
   */
  #leafHash(from: number, to: number): Buffer {
    const len = to - from;
    if (len > LEAF_COPY_MAX) return createHash('sha256').update(this.#leaf.subarray(0, 1)).update(this.#data.subarray(from, to)).digest();
    this.#data.copy(this.#leaf, 1, from, to);
    if (this.#leafView.length !== len + 1) this.#leafView = this.#leaf.subarray(0, len + 1);
    return hash('sha256', this.#leafView, 'buffer');
  }

  async #endOf(entry: number): Promise<number> {
    const rec = Buffer.alloc(8);
    await this.#readFully(this.#files.index, rec, 8, entry * INDEX_RECORD);
    return readEnd(rec, 0);
  }

  /** Leaf hash of an entry larger than the read buffer, streamed; null if the file ends early. */
  async #hashLarge(start: number, end: number): Promise<Uint8Array | null> {
    const h = createHash('sha256').update(new Uint8Array([0]));
    for (let at = start; at < end; ) {
      const n = await this.#readFully(this.#files.entries, this.#data, Math.min(this.#data.length, end - at), at);
      if (n === 0) return null;
      h.update(this.#data.subarray(0, n));
      at += n;
    }
    return h.digest();
  }

  /** Read up to `length` bytes at `position`; fewer only at the end of the file. */
  async #readFully(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await readAt(fd, buf, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }
}

function missing(at: number): Found {
  return { at, code: 'ERR_ENTRY_MISSING', index: at, message: `Entry ${at} is missing: the entries file ends before it.` };
}

/** The 32-byte hashes at a[ao] and b[bo] are equal (a plain loop beats Buffer.compare's call cost here). */
function sameHash(a: Uint8Array, ao: number, b: Uint8Array, bo: number): boolean {
  for (let i = 0; i < TREE_RECORD; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}
