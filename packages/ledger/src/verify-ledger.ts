// fsck for the file store, streaming in bounded memory: recompute every leaf from its entry,
// every stored subtree hash, the latest checkpoint's signature and root, and (with a state file)
// consistency with the last checkpoint this verifier trusted, which it then advances.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { LedgerError, VerificationError } from './errors.js';
import { bytesEqual, emptyRoot, toHex } from './hash.js';
import { openNote, type NoteSignature } from './note.js';
import { checkpointOfNote, readCheckpointNote } from './file-store/checkpoint-file.js';
import { writeFileDurable } from './file-store/durable.js';
import { openLedgerFile } from './file-store/read-entries.js';
import { ENTRIES_FILE, INDEX_FILE, INDEX_RECORD, TREE_RECORD, treeFile } from './file-store/layout.js';
import { TreeEdge } from './tree-edge.js';
import { CHUNK_BITS, CHUNK_ENTRIES, type ChunkResult } from './verify-chunk.js';
import { InProcessRunner, WorkerPool, type ChunkRunner, type WorkerSetup } from './verify-pool.js';

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
/** Each worker holds ~6 MiB of buffers and its own heap: past this, reads limit more than hashing. */
const MAX_WORKERS = 8;

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

  const handles: FileHandle[] = [];
  let runner: ChunkRunner | undefined;
  try {
    const levels: Array<FileHandle | undefined> = [];
    const levelCounts: number[] = [0];
    for (let level = 1; level < 64; level++) {
      let fh: FileHandle;
      try {
        fh = await open(treeFile(dir, level), 'r');
      } catch {
        break;
      }
      handles.push(fh);
      levels[level] = fh;
      levelCounts[level] = Math.floor((await fh.stat()).size / TREE_RECORD);
    }
    const index = await openLedgerFile(dir, INDEX_FILE);
    handles.push(index);
    const entries = await openLedgerFile(dir, ENTRIES_FILE);
    handles.push(entries);
    const size = Math.floor((await index.stat()).size / INDEX_RECORD);
    const entriesSize = (await entries.stat()).size;
    const storedBeyond = levelCounts.some((count, level) => level > 0 && count > Math.floor(size / 2 ** level));

    const trustedSize = trusted?.cp.size ?? -1;
    // A prefix that differs from the trusted checkpoint is a fork only if the signed checkpoint
    // commits to it; otherwise the entries were altered (root mismatch), reported at cp.size.
    let forkEvidence: VerificationError | undefined;
    const checkRoots = (n: number, root: () => Uint8Array): void => {
      if (n === trustedSize && trusted && n !== cp.size) {
        const r = root();
        if (!bytesEqual(r, trusted.cp.rootHash)) {
          forkEvidence = new VerificationError('ERR_LOG_FORKED', `The log forked: the signed checkpoint of size ${cp.size} does not extend the trusted checkpoint of size ${n}.`, { expected: trusted.cp.rootHash, computed: r });
        }
      }
      if (n === cp.size) {
        const r = root();
        if (!bytesEqual(r, cp.rootHash)) {
          throw new VerificationError('ERR_CHECKPOINT_ROOT_MISMATCH', `The entries do not match the signed checkpoint root of size ${n}.`, { expected: cp.rootHash, computed: r });
        }
        if (forkEvidence) throw forkEvidence;
      }
    };
    options.onProgress?.(0, size);
    checkRoots(0, emptyRoot);

    // Chunks are checked out of order on the workers and joined here in order. `edge` holds
    // the right edge of the tree over the chunks checked so far (levels >= CHUNK_BITS).
    const edge = new TreeEdge(async (level, idx, computed) => {
      const from = idx * 2 ** level;
      const fh = levels[level];
      if (!fh || idx >= (levelCounts[level] ?? 0)) {
        if (idx < Math.floor(cp.size / 2 ** level)) {
          throw new VerificationError('ERR_TREE_HASH_MISMATCH', `Stored tree hash ${level}/${idx} is missing although the checkpoint covers it.`, { index: from });
        }
        return;
      }
      const want = Buffer.alloc(TREE_RECORD);
      await fh.read(want, 0, TREE_RECORD, idx * TREE_RECORD);
      if (!bytesEqual(want, computed)) {
        if (storedBeyond) {
          throw new VerificationError('ERR_ENTRY_MISSING', `Entries were removed: stored tree hashes describe more entries than the log holds, first difference at entry ${from}.`, { index: from, expected: want, computed });
        }
        throw new VerificationError('ERR_TREE_HASH_MISMATCH', `Stored tree hash ${level}/${idx} (entries from ${from}) does not match the entries.`, { index: from, expected: want, computed });
      }
    });
    const setup: WorkerSetup = {
      files: { index: index.fd, entries: entries.fd, levels: levelCounts.map((_, level) => levels[level]?.fd ?? -1) },
      context: { size, entriesSize, levelCounts, checkpointSize: cp.size, storedBeyond },
    };
    const threads = Math.min(availableParallelism(), MAX_WORKERS);
    runner = size >= PARALLEL_FROM && threads > 1 ? new WorkerPool(threads, setup) : new InProcessRunner(setup);
    const chunks = Math.ceil(size / CHUNK_ENTRIES);
    const inFlight = new Map<number, Promise<ChunkResult>>();
    const window = runner instanceof WorkerPool ? 2 * threads : 1;
    let next = 0;
    for (let c = 0; c < chunks; c++) {
      for (; next < chunks && next < c + window; next++) {
        const first = next * CHUNK_ENTRIES;
        const last = Math.min(first + CHUNK_ENTRIES, size);
        const probes = [cp.size, trustedSize].filter((n) => n > first && n < last);
        const p = runner.run({ chunk: next, probes });
        p.catch(() => {}); // surfaced when awaited; avoids an unhandled rejection if we stop first
        inFlight.set(next, p);
      }
      const r = await inFlight.get(c)!;
      inFlight.delete(c);
      for (const probe of r.probes) checkRoots(probe.size, () => edge.rootWith(probe.hashes));
      if (r.failure) {
        const { code, message, ...details } = r.failure;
        throw new VerificationError(code, message, details);
      }
      const end = Math.min((c + 1) * CHUNK_ENTRIES, size);
      if (end - c * CHUNK_ENTRIES === CHUNK_ENTRIES) await edge.append(CHUNK_BITS, c, r.hashes);
      else edge.setTail(r.hashes);
      checkRoots(end, () => edge.rootWith());
      options.onProgress?.(end, size);
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
    const report: VerifyReport = { origin: cp.origin, size, checkpointSize: cp.size, rootHash: toHex(cp.rootHash), signatures };
    if (options.trustedStatePath) report.trusted = { previousSize: trusted ? trusted.cp.size : null, size: cp.size };
    return report;
  } finally {
    // Workers read through these descriptors: stop them before closing.
    await runner?.close().catch(() => {});
    for (const fh of handles) await fh.close().catch(() => {});
  }
}
