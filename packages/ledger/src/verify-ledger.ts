// fsck for the file store, streaming in bounded memory: recompute every leaf from its entry,
// every stored subtree hash, the latest checkpoint's signature and root, and (with a state file)
// consistency with the last checkpoint this verifier trusted, which it then advances.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { CompactRange } from './compact-range.js';
import { LedgerError, VerificationError } from './errors.js';
import { bytesEqual, leafHash } from './hash.js';
import { openNote, type NoteSignature } from './note.js';
import { readChunks, type Chunk } from './file-store/chunks.js';
import { LeafCheckPool } from './leaf-hash-pool.js';
import { availableParallelism } from 'node:os';
import { checkpointOfNote, readCheckpointNote } from './file-store/checkpoint-file.js';
import { writeFileDurable } from './file-store/durable.js';
import { ENTRIES_FILE, INDEX_FILE, INDEX_RECORD, TREE_RECORD, readEnd, treeFile } from './file-store/layout.js';

export interface VerifyLedgerOptions {
  verifierKeys: readonly string[];
  /** File holding the last checkpoint this verifier trusted; created on first use, advanced on success. */
  trustedStatePath?: string;
  /** Called as entries are checked, e.g. for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface VerifyReport {
  origin: string;
  /** Entries checked (the log's size when verification started). */
  size: number;
  /** Size covered by the signed checkpoint; entries beyond it are checked against stored hashes only. */
  checkpointSize: number;
  /** Checkpoint root, lowercase hex. */
  rootHash: string;
  signatures: NoteSignature[];
  /** Present with a state file: the trusted size before and after this run. */
  trusted?: { previousSize: number | null; size: number };
}

/** Below this many entries, worker threads cost more than they save. */
const PARALLEL_FROM = 20_000;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

async function readTrusted(path: string): Promise<{ note: string; cp: Checkpoint } | undefined> {
  let note: string;
  try {
    note = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot read the trusted state file ${path}: ${(e as Error).message}.`, { cause: e });
  }
  try {
    return { note, cp: checkpointOfNote(note) };
  } catch (cause) {
    throw new VerificationError('ERR_STATE_MISMATCH', `Trusted state file ${path} does not hold a checkpoint.`, { cause });
  }
}

/** One stored tree level: its file and how many hashes it held when verification started. */
interface StoredLevel {
  fh: FileHandle;
  count: number;
}

export async function verifyLedger(dir: string, options: VerifyLedgerOptions): Promise<VerifyReport> {
  if (!options || !Array.isArray(options.verifierKeys) || options.verifierKeys.length === 0) {
    throw new LedgerError('ERR_INVALID_ARGUMENT', 'verifyLedger needs at least one verifier key.');
  }
  // Read order matters next to a live writer: checkpoint, then tree sizes, then the index.
  const note = await readCheckpointNote(dir);
  let cp: Checkpoint;
  let signatures: NoteSignature[];
  try {
    const opened = openNote(note, options.verifierKeys);
    cp = parseCheckpoint(opened.text);
    signatures = opened.signatures;
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_KEY_INVALID') throw cause;
    throw new VerificationError('ERR_CHECKPOINT_FORGED', `The checkpoint is not validly signed by the given key: ${(cause as Error).message}`, { cause });
  }
  const trusted = options.trustedStatePath ? await readTrusted(options.trustedStatePath) : undefined;
  if (trusted) {
    const t = trusted.cp;
    if (t.origin !== cp.origin) {
      throw new VerificationError('ERR_STATE_MISMATCH', `The trusted state is for log ${JSON.stringify(t.origin)}, this log is ${JSON.stringify(cp.origin)}.`);
    }
    if (cp.size < t.size) {
      throw new VerificationError('ERR_LOG_ROLLED_BACK', `The log was rolled back: its checkpoint has ${cp.size} entries, but ${t.size} were trusted before.`, { index: cp.size });
    }
    if (cp.size === t.size && !bytesEqual(cp.rootHash, t.rootHash)) {
      throw new VerificationError('ERR_LOG_FORKED', `The log forked: two signed checkpoints of size ${cp.size} have different roots.`, { expected: t.rootHash, computed: cp.rootHash });
    }
  }

  const levels: StoredLevel[] = [];
  const handles: FileHandle[] = [];
  try {
    for (let level = 1; level < 64; level++) {
      let fh: FileHandle;
      try {
        fh = await open(treeFile(dir, level), 'r');
      } catch {
        break;
      }
      handles.push(fh);
      levels[level] = { fh, count: Math.floor((await fh.stat()).size / TREE_RECORD) };
    }
    const index = await openLedgerFile(dir, INDEX_FILE);
    handles.push(index);
    const entries = await openLedgerFile(dir, ENTRIES_FILE);
    handles.push(entries);
    const size = Math.floor((await index.stat()).size / INDEX_RECORD);
    const entriesSize = (await entries.stat()).size;
    const storedBeyond = levels.some((r, level) => r && r.count > Math.floor(size / 2 ** level));

    const range = new CompactRange();
    const trustedSize = trusted?.cp.size ?? -1;
    // A prefix that differs from the trusted checkpoint is a fork only if the signed checkpoint
    // commits to it; otherwise the entries were altered (root mismatch), reported at cp.size.
    let forkEvidence: VerificationError | undefined;
    const checkRoots = (): void => {
      const n = range.size;
      if (n === trustedSize && trusted && n !== cp.size) {
        const root = range.root();
        if (!bytesEqual(root, trusted.cp.rootHash)) {
          forkEvidence = new VerificationError('ERR_LOG_FORKED', `The log forked: the signed checkpoint of size ${cp.size} does not extend the trusted checkpoint of size ${n}.`, { expected: trusted.cp.rootHash, computed: root });
        }
      }
      if (n === cp.size) {
        const root = range.root();
        if (!bytesEqual(root, cp.rootHash)) {
          throw new VerificationError('ERR_CHECKPOINT_ROOT_MISMATCH', `The entries do not match the signed checkpoint root of size ${n}.`, { expected: cp.rootHash, computed: root });
        }
        if (forkEvidence) throw forkEvidence;
      }
    };
    options.onProgress?.(0, size);
    checkRoots();
    // Stored subtree hashes for the current chunk, per level: [lo, lo + buf.length / 32).
    const stored: Array<{ lo: number; buf: Buffer } | undefined> = [];
    const sink = (level: number, idx: number, hash: Uint8Array): void => {
      const first = idx * 2 ** level;
      const have = stored[level];
      const count = levels[level]?.count ?? 0;
      if (!have || idx >= count) {
        if (idx < Math.floor(cp.size / 2 ** level)) {
          throw new VerificationError('ERR_TREE_HASH_MISMATCH', `Stored tree hash ${level}/${idx} is missing although the checkpoint covers it.`, { index: first });
        }
        return;
      }
      const o = (idx - have.lo) * TREE_RECORD;
      const want = have.buf.subarray(o, o + TREE_RECORD);
      if (!bytesEqual(want, hash)) {
        if (storedBeyond) {
          throw new VerificationError('ERR_ENTRY_MISSING', `Entries were removed: stored tree hashes describe more entries than the log holds, first difference at entry ${first}.`, { index: first, expected: want, computed: hash });
        }
        throw new VerificationError('ERR_TREE_HASH_MISMATCH', `Stored tree hash ${level}/${idx} (entries from ${first}) does not match the entries.`, { index: first, expected: want, computed: hash });
      }
    };
    const threads = availableParallelism();
    const pool = size >= PARALLEL_FROM && threads > 1 ? new LeafCheckPool(threads) : undefined;
    try {
      const chunks = readChunks(index, entries, 0, size, entriesSize, pool ? LeafCheckPool.alloc : undefined)[Symbol.asyncIterator]();
      // With workers, `firstBad` is the first entry whose leaf check failed there (-1: none);
      // entries before it have their recorded leaf hash confirmed. Two chunks stay in flight
      // (reads chained in order, checks on the workers) while the main thread builds the tree.
      type Prepared = { chunk: Chunk; firstBad: number | undefined } | undefined;
      const ahead: Promise<Prepared>[] = [];
      let lastRead: Promise<unknown> = Promise.resolve();
      const enqueue = (): void => {
        const read = lastRead.then(() => chunks.next());
        lastRead = read.catch(() => {});
        const p = read.then(async (r): Promise<Prepared> => {
          if (r.done) return undefined;
          const chunk = r.value;
          return { chunk, firstBad: pool ? await pool.check(chunk.index, chunk.count, chunk.data, chunk.dataStart) : undefined };
        });
        p.catch(() => {}); // surfaced when awaited; avoid an unhandled rejection if we throw first
        ahead.push(p);
      };
      enqueue();
      if (pool) enqueue();
      for (;;) {
        const cur = await ahead.shift()!;
        if (!cur) break;
        enqueue();
        const { chunk, firstBad } = cur;
        const chunkEnd = chunk.first + chunk.count;
        for (let level = 1; level < levels.length; level++) {
          const reader = levels[level];
          if (!reader) continue;
          const lo = Math.floor(chunk.first / 2 ** level);
          const hi = Math.min(Math.floor(chunkEnd / 2 ** level), reader.count);
          if (hi <= lo) {
            stored[level] = undefined;
            continue;
          }
          const buf = Buffer.alloc((hi - lo) * TREE_RECORD);
          await reader.fh.read(buf, 0, buf.length, lo * TREE_RECORD);
          stored[level] = { lo, buf };
        }
        let start = chunk.dataStart;
        for (let i = 0; i < chunk.count; i++) {
          const at = chunk.first + i;
          const end = readEnd(chunk.index, i * INDEX_RECORD);
          if (end < start) {
            throw new VerificationError('ERR_ENTRY_CHANGED', `Entry ${at} has a broken offset in the index.`, { index: at });
          }
          if (end - chunk.dataStart > chunk.data.length) {
            throw new VerificationError('ERR_ENTRY_MISSING', `Entry ${at} is missing: the entries file ends before it.`, { index: at });
          }
          const storedLeaf = chunk.index.subarray(i * INDEX_RECORD + 8, (i + 1) * INDEX_RECORD);
          let leaf: Uint8Array = storedLeaf;
          // Hash here without workers, and from a worker's first failure on (it stopped there).
          if (firstBad === undefined || (firstBad >= 0 && i >= firstBad)) {
            leaf = leafHash(chunk.data.subarray(start - chunk.dataStart, end - chunk.dataStart));
            if (!bytesEqual(leaf, storedLeaf)) throw leafMismatch(chunk.index, chunk.count, chunk.first, at, leaf, storedLeaf);
          }
          start = end;
          range.append(leaf, sink);
          checkRoots();
        }
        options.onProgress?.(chunkEnd, size);
      }
    } finally {
      await pool?.close();
    }
    if (range.size < size) {
      throw new VerificationError('ERR_ENTRY_MISSING', `Entry ${range.size} is missing: the entries file ends before it.`, { index: range.size });
    }
    if (cp.size > size) {
      throw new VerificationError('ERR_LOG_TRUNCATED', `The log was truncated: it holds ${size} entries but its checkpoint covers ${cp.size}.`, { index: size });
    }
    if (storedBeyond) {
      throw new VerificationError('ERR_ENTRY_MISSING', `Entries were removed from the end: stored tree hashes describe more than ${size} entries.`, { index: size });
    }
    if (options.trustedStatePath && (!trusted || cp.size > trusted.cp.size)) {
      try {
        await writeFileDurable(options.trustedStatePath, note, 0o644);
      } catch (cause) {
        throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot write the trusted state file ${options.trustedStatePath}: ${(cause as Error).message}.`, { cause });
      }
    }
    const report: VerifyReport = { origin: cp.origin, size, checkpointSize: cp.size, rootHash: hex(cp.rootHash), signatures };
    if (options.trustedStatePath) report.trusted = { previousSize: trusted ? trusted.cp.size : null, size: cp.size };
    return report;
  } finally {
    for (const fh of handles) await fh.close().catch(() => {});
  }
}

async function openLedgerFile(dir: string, name: string): Promise<FileHandle> {
  try {
    return await open(join(dir, name), 'r');
  } catch (cause) {
    throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot read ${name} in ${dir}: ${(cause as Error).message}.`, { cause });
  }
}

// A changed leaf whose hash belongs to another stored position means entries were swapped.
function leafMismatch(index: Buffer, count: number, first: number, at: number, leaf: Uint8Array, stored: Uint8Array): VerificationError {
  for (let j = 0; j < count; j++) {
    if (first + j === at) continue;
    if (bytesEqual(leaf, index.subarray(j * INDEX_RECORD + 8, (j + 1) * INDEX_RECORD))) {
      return new VerificationError('ERR_ENTRY_REORDERED', `Entry ${at} holds the bytes of entry ${first + j}: entries were reordered.`, { index: at, expected: stored, computed: leaf });
    }
  }
  return new VerificationError('ERR_ENTRY_CHANGED', `Entry ${at} was changed: its bytes no longer match its recorded hash.`, { index: at, expected: stored, computed: leaf });
}

