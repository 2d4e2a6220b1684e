// The embedded file store. Entry states: sequenced (entries + index written and fsynced; the
// append resolves) → integrated (subtree hashes written) → published (signed checkpoint on disk,
// after tree files are fsynced). Concurrent appends share one write and one fsync (group commit).
import { constants as fsc } from 'node:fs';
import { mkdir, open, readFile, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCheckpoint } from '../checkpoint.js';
import { CompactRange } from '../compact-range.js';
import { LedgerError } from '../errors.js';
import { HASH_SIZE, leafHash } from '../hash.js';
import { parseSignerKey } from '../keys.js';
import { signNote } from '../note.js';
import { toIndex, type IntLike } from '../numbers.js';
import { assembleProof, consistencyPlan, inclusionPlan, type ProofStep } from '../proof.js';
import { formatReceipt } from '../receipt.js';
import type { AppendOptions, FileLedger, FileLedgerOptions, FileLedgerStats } from '../types.js';
import { checkpointOfNote } from './checkpoint-file.js';
import { fsyncDir, writeFileDurable } from './durable.js';
import {
  CHECKPOINT_FILE, CHECKPOINT_TMP, ENTRIES_FILE, FORMAT_FILE, FORMAT_TEXT, INDEX_FILE, INDEX_RECORD,
  LOCK_FILE, MAX_ENTRY_BYTES, TREE_DIR, TREE_RECORD, treeFile, writeEnd,
} from './layout.js';
import { acquireLock } from './lock.js';
import { NodeReader } from './node-reader.js';
import { readEntryAt } from './read-entries.js';
import { CHUNK_RECORDS, integratedPrefix, prepareTree, recoverTail } from './recover.js';

const RW_CREATE = fsc.O_RDWR | fsc.O_CREAT;

interface Pending {
  data: Buffer;
  lengths: number[];
  /** Leaf hashes, 32 bytes each, computed at append time so hashing overlaps the previous fsync. */
  leaves: Buffer;
  resolve: (r: { firstIndex: number }) => void;
  reject: (e: unknown) => void;
}

export async function openFileLedger(dir: string, options: FileLedgerOptions): Promise<FileLedger> {
  if (typeof dir !== 'string' || dir.length === 0) throw new LedgerError('ERR_INVALID_ARGUMENT', 'Ledger directory must be a non-empty path.');
  if (!options || typeof options !== 'object') throw new LedgerError('ERR_INVALID_ARGUMENT', 'openFileLedger needs an options object with signerKey.');
  const key = parseSignerKey(options.signerKey);
  const origin = options.origin ?? key.name;
  if (typeof origin !== 'string' || origin.length === 0 || origin.includes('\n')) {
    throw new LedgerError('ERR_INVALID_ARGUMENT', 'origin must be a non-empty single line.');
  }
  const interval = options.checkpointIntervalMs ?? 1000;
  if (!Number.isFinite(interval) || interval < 0) {
    throw new LedgerError('ERR_INVALID_ARGUMENT', 'checkpointIntervalMs must be a non-negative number of milliseconds.');
  }

  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot create ledger directory ${dir}: ${(cause as Error).message}.`, { cause });
  }
  const release = await acquireLock(dir);
  const handles: FileHandle[] = [];
  try {
    await ensureFormat(dir);
    await rm(join(dir, CHECKPOINT_TMP), { force: true });
    const entries = await open(join(dir, ENTRIES_FILE), RW_CREATE, 0o644);
    handles.push(entries);
    const index = await open(join(dir, INDEX_FILE), RW_CREATE, 0o644);
    handles.push(index);

    let note: string | undefined;
    try {
      note = await readFile(join(dir, CHECKPOINT_FILE), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    let checkpointSize = 0;
    if (note !== undefined) {
      let cp;
      try {
        cp = checkpointOfNote(note);
      } catch (cause) {
        throw new LedgerError('ERR_LEDGER_CORRUPT', `The checkpoint in ${dir} is unreadable; run verify.`, { cause });
      }
      if (cp.origin !== origin) {
        throw new LedgerError('ERR_LEDGER_ORIGIN_MISMATCH', `Ledger ${dir} belongs to log ${JSON.stringify(cp.origin)}, not ${JSON.stringify(origin)}.`);
      }
      checkpointSize = cp.size;
    }

    const tail = await recoverTail(dir, entries, index, checkpointSize);
    const trees = new Map<number, FileHandle>();
    const counts = new Map<number, number>();
    for (const name of await readdir(join(dir, TREE_DIR))) {
      const level = Number(name);
      if (!/^[1-9][0-9]?$/.test(name)) continue;
      const fh = await open(treeFile(dir, level), RW_CREATE, 0o644);
      handles.push(fh);
      trees.set(level, fh);
      counts.set(level, Math.floor((await fh.stat()).size / TREE_RECORD));
    }
    const reader = new NodeReader(dir);
    const prefix = integratedPrefix(checkpointSize, counts);
    const range = await prepareTree(trees, prefix, reader);
    for (const [level, fh] of trees) counts.set(level, Math.floor((await fh.stat()).size / TREE_RECORD));

    const ledger = new FileLedgerImpl(dir, options.signerKey, origin, interval, release, entries, index, trees, counts, reader, range, tail.entriesEnd, note, checkpointSize);
    await ledger.integrateStored(prefix, tail.size);
    if (note === undefined || tail.size !== checkpointSize) await ledger.publishCheckpoint();
    return ledger;
  } catch (e) {
    for (const fh of handles) await fh.close().catch(() => {});
    await release();
    throw e;
  }
}

async function ensureFormat(dir: string): Promise<void> {
  let text: string | undefined;
  try {
    text = await readFile(join(dir, FORMAT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text === undefined) {
    // The lock, and the files other writers racing for it create beside it for a moment
    // (lock.<pid>.<random>, lock.stale.<pid>.<random>), are not the directory's contents.
    const others = (await readdir(dir)).filter((n) => n !== LOCK_FILE && !n.startsWith(`${LOCK_FILE}.`));
    if (others.length > 0) {
      throw new LedgerError('ERR_LEDGER_FORMAT', `Directory ${dir} is not empty and is not a ledger (no ${FORMAT_FILE} file).`);
    }
    await mkdir(join(dir, TREE_DIR), { recursive: true });
    for (const f of [ENTRIES_FILE, INDEX_FILE]) await (await open(join(dir, f), RW_CREATE, 0o644)).close();
    await writeFileDurable(join(dir, FORMAT_FILE), FORMAT_TEXT);
    return;
  }
  if (text !== FORMAT_TEXT) {
    throw new LedgerError('ERR_LEDGER_FORMAT', `Ledger ${dir} has format ${JSON.stringify(text.trim())}; this version reads ${JSON.stringify(FORMAT_TEXT.trim())}.`);
  }
  await stat(join(dir, TREE_DIR)).catch(async () => mkdir(join(dir, TREE_DIR)));
}

class FileLedgerImpl implements FileLedger {
  readonly origin: string;
  readonly #dir: string;
  readonly #signerKey: string;
  readonly #interval: number;
  readonly #release: () => Promise<void>;
  readonly #entries: FileHandle;
  readonly #index: FileHandle;
  readonly #trees: Map<number, FileHandle>;
  readonly #treeCounts: Map<number, number>;
  readonly #dirtyTrees = new Set<number>();
  readonly #reader: NodeReader;
  readonly #range: CompactRange;
  #size: number;
  #entriesEnd: number;
  #note: string | undefined;
  #publishedSize: number;
  #lastPublishAt = 0;
  /** Publications run one at a time, beside appends rather than between them. */
  #publishTail: Promise<unknown> = Promise.resolve();
  /** A background publication (#maybePublish) is queued or running. */
  #publishing = false;
  #timer: NodeJS.Timeout | undefined;
  #queue: Pending[] = [];
  #scheduled = false;
  #tail: Promise<unknown> = Promise.resolve();
  #failed: LedgerError | undefined;
  #closing: Promise<void> | undefined;
  readonly #stats = { appendCalls: 0, entries: 0, commits: 0, checkpoints: 0 };

  constructor(
    dir: string, signerKey: string, origin: string, interval: number, release: () => Promise<void>,
    entries: FileHandle, index: FileHandle, trees: Map<number, FileHandle>, treeCounts: Map<number, number>,
    reader: NodeReader, range: CompactRange, entriesEnd: number, note: string | undefined, publishedSize: number,
  ) {
    this.#dir = dir;
    this.#signerKey = signerKey;
    this.origin = origin;
    this.#interval = interval;
    this.#release = release;
    this.#entries = entries;
    this.#index = index;
    this.#trees = trees;
    this.#treeCounts = treeCounts;
    this.#reader = reader;
    this.#range = range;
    this.#size = range.size;
    this.#entriesEnd = entriesEnd;
    this.#note = note;
    this.#publishedSize = publishedSize;
  }

  get size(): number {
    return this.#size;
  }

  get stats(): FileLedgerStats {
    return { ...this.#stats };
  }

  /** Recovery: integrate leaves already sequenced on disk, [from, to). */
  async integrateStored(from: number, to: number): Promise<void> {
    for (let pos = from; pos < to; ) {
      const count = Math.min(CHUNK_RECORDS, to - pos);
      const buf = Buffer.alloc(count * INDEX_RECORD);
      await this.#index.read(buf, 0, buf.length, pos * INDEX_RECORD);
      const leaves: Uint8Array[] = [];
      for (let i = 0; i < count; i++) leaves.push(buf.subarray(i * INDEX_RECORD + 8, (i + 1) * INDEX_RECORD));
      await this.#writeNodes(this.#computeNodes(leaves));
      this.#size = this.#range.size;
      pos += count;
    }
    await this.#syncTrees();
  }

  append(entries: readonly Uint8Array[], options?: AppendOptions): Promise<{ firstIndex: number }> {
    if (this.#closing) return Promise.reject(new LedgerError('ERR_LEDGER_CLOSED', 'The ledger is closed.'));
    if (this.#failed) return Promise.reject(this.#failed);
    if (!Array.isArray(entries)) return Promise.reject(new LedgerError('ERR_INVALID_ARGUMENT', 'append expects an array of Uint8Array entries.'));
    const given = options?.leafHashes;
    if (given !== undefined) {
      if (!Array.isArray(given) || given.length !== entries.length) {
        return Promise.reject(new LedgerError('ERR_INVALID_ARGUMENT', 'leafHashes must have one hash per entry.'));
      }
      for (const h of given) {
        if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
          return Promise.reject(new LedgerError('ERR_INVALID_ARGUMENT', `Every leaf hash must be a ${HASH_SIZE}-byte Uint8Array.`));
        }
      }
    }
    const lengths: number[] = [];
    for (const e of entries) {
      if (!(e instanceof Uint8Array)) return Promise.reject(new LedgerError('ERR_INVALID_ARGUMENT', 'Every entry must be a Uint8Array.'));
      if (e.length > MAX_ENTRY_BYTES) return Promise.reject(new LedgerError('ERR_INVALID_ARGUMENT', `An entry of ${e.length} bytes exceeds the ${MAX_ENTRY_BYTES}-byte limit.`));
      lengths.push(e.length);
    }
    // Copy now: the caller may reuse its buffers before the batch is written.
    const data = Buffer.concat(entries);
    const leaves = Buffer.allocUnsafe(lengths.length * HASH_SIZE);
    let off = 0;
    for (let i = 0; i < lengths.length; i++) {
      leaves.set(given ? given[i]! : leafHash(data.subarray(off, off + lengths[i]!)), i * HASH_SIZE);
      off += lengths[i]!;
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ data, lengths, leaves, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        void this.#exclusive(() => this.#flush());
      }
    });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn);
    this.#tail = run.catch(() => {});
    return run;
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    if (this.#failed) {
      for (const p of batch) p.reject(this.#failed);
      return;
    }
    let sequenced: { firstIndexes: number[]; integrated: Promise<void> };
    try {
      sequenced = await this.#sequence(batch);
    } catch (cause) {
      this.#fail('Writing to', cause);
      for (const p of batch) p.reject(this.#failed);
      return;
    }
    // The entries are durable from here on: callers get their indexes even if integration fails.
    try {
      await sequenced.integrated;
      this.#size = this.#range.size;
    } catch (cause) {
      this.#fail('Integrating', cause);
    }
    batch.forEach((p, i) => p.resolve({ firstIndex: sequenced.firstIndexes[i]! }));
    if (!this.#failed) this.#maybePublish();
  }

  #fail(what: string, cause: unknown): void {
    this.#failed ??= new LedgerError('ERR_LEDGER_FAILED', `${what} ledger ${this.#dir} failed (${(cause as Error).message}); reopen it to recover.`, { cause });
  }

  /**
   * Write and fsync entries and index records; returns each call's first index and the writing
   * of the new subtree hashes, computed while the entries are written and written while they are
   * fsynced. (Tree files are fsynced only before a checkpoint is published, and reopening cuts
   * them back to the last checkpoint and rebuilds the rest, so they may run ahead of the entries.)
   */
  async #sequence(batch: Pending[]): Promise<{ firstIndexes: number[]; integrated: Promise<void> }> {
    let total = 0;
    for (const p of batch) total += p.lengths.length;
    const idx = Buffer.allocUnsafe(total * INDEX_RECORD);
    const leaves: Uint8Array[] = new Array(total);
    const firstIndexes: number[] = [];
    let end = this.#entriesEnd;
    let r = 0;
    for (const p of batch) {
      firstIndexes.push(this.#size + r);
      for (let k = 0; k < p.lengths.length; k++) {
        const leaf = p.leaves.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE);
        end += p.lengths[k]!;
        writeEnd(idx, r * INDEX_RECORD, end);
        idx.set(leaf, r * INDEX_RECORD + 8);
        leaves[r++] = leaf;
      }
    }
    if (total === 0) return { firstIndexes, integrated: Promise.resolve() };
    const dataBytes = end - this.#entriesEnd;
    const writes = Promise.all([
      this.#entries.writev(batch.map((p) => p.data), this.#entriesEnd),
      this.#index.write(idx, 0, idx.length, this.#size * INDEX_RECORD),
    ]);
    // Tree hashing overlaps the writes. If they fail the ledger is marked failed, so the compact
    // range running ahead of the files does not matter; reopening rebuilds from the files.
    const nodes = this.#computeNodes(leaves);
    const [w1, w2] = await writes;
    if (w1.bytesWritten !== dataBytes) throw new Error(`short write to entries (${w1.bytesWritten} of ${dataBytes} bytes)`);
    if (w2.bytesWritten !== idx.length) throw new Error('short write to index');
    const integrated = this.#writeNodes(nodes);
    integrated.catch(() => {}); // awaited by #flush, unless the fsync below fails first
    // Both files are fsynced before anyone is told; recovery checks the unpublished tail.
    await Promise.all([this.#entries.datasync(), this.#index.datasync()]);
    this.#entriesEnd = end;
    this.#stats.commits++;
    this.#stats.appendCalls += batch.length;
    this.#stats.entries += total;
    return { firstIndexes, integrated };
  }

  /** Advance the compact range; returns the new subtree hashes per level, concatenated. */
  #computeNodes(leaves: readonly Uint8Array[]): Map<number, Buffer> {
    const lists = new Map<number, Uint8Array[]>();
    const sink = (level: number, _index: number, hash: Uint8Array): void => {
      let list = lists.get(level);
      if (!list) lists.set(level, (list = []));
      list.push(hash);
    };
    for (const leaf of leaves) this.#range.append(leaf, sink);
    const out = new Map<number, Buffer>();
    for (const [level, hashes] of lists) out.set(level, Buffer.concat(hashes));
    return out;
  }

  /**
   * Append computed subtree hashes to their level files (fsynced before the next checkpoint).
   * A commit touches about log2(size) levels: their writes go out together, not one after another.
   */
  async #writeNodes(nodes: ReadonlyMap<number, Buffer>): Promise<void> {
    // New levels first, so no write is in flight (and unobserved) while a file is opened.
    for (const level of nodes.keys()) {
      if (this.#trees.has(level)) continue;
      this.#trees.set(level, await open(treeFile(this.#dir, level), RW_CREATE, 0o644));
      await fsyncDir(join(this.#dir, TREE_DIR));
    }
    const writes: Promise<void>[] = [];
    for (const [level, buf] of nodes) {
      const at = this.#treeCounts.get(level) ?? 0;
      // Counted now: a failed write fails the ledger, and reopening rebuilds from the files.
      this.#treeCounts.set(level, at + buf.length / TREE_RECORD);
      writes.push(
        this.#trees.get(level)!.write(buf, 0, buf.length, at * TREE_RECORD).then((w) => {
          if (w.bytesWritten !== buf.length) throw new Error(`short write to tree level ${level}`);
          // Dirty once written: a checkpoint's fsync of the level must come after this write.
          this.#dirtyTrees.add(level);
        }),
      );
    }
    await Promise.all(writes);
  }

  async #syncTrees(): Promise<void> {
    const levels = [...this.#dirtyTrees];
    this.#dirtyTrees.clear();
    await Promise.all(levels.map((l) => this.#trees.get(l)!.datasync()));
  }

  // A checkpoint costs several fsyncs (tree levels, the file, its directory). It runs beside the
  // append chain, not in it, so appends arriving meanwhile are not held up; it signs the size
  // and root integrated when it started, read between two commits of the append chain (the compact
  // range runs ahead of #size while a commit is under way).
  #maybePublish(): void {
    // One background publication at a time: it sets #lastPublishAt only when done, so commits
    // meanwhile would each queue another. When it is done it looks again.
    if (this.#size === this.#publishedSize || this.#publishing) return;
    const wait = this.#lastPublishAt + this.#interval - Date.now();
    if (wait <= 0) {
      this.#publishing = true;
      this.#publish()
        .catch(() => {}) // failure is recorded in #failed
        .finally(() => {
          this.#publishing = false;
          if (!this.#closing && !this.#failed) this.#maybePublish();
        });
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (!this.#closing && !this.#failed) this.#maybePublish();
      }, wait);
      this.#timer.unref();
    }
  }

  /** Publishes the tree as of the end of the appends queued so far. */
  #publish(): Promise<string> {
    return this.#exclusive(async () => this.#integrated()).then((tree) => this.#publishTree(tree));
  }

  /** Size and root of the integrated tree; only between commits (inside the append chain). */
  #integrated(): { size: number; root: Uint8Array } {
    return { size: this.#size, root: this.#range.root() };
  }

  /** Signs `tree`; publications run one at a time, in order. */
  #publishTree(tree: { size: number; root: Uint8Array }): Promise<string> {
    const run = this.#publishTail.then(() => this.#signAndWrite(tree.size, tree.root));
    this.#publishTail = run.catch(() => {});
    return run;
  }

  async #signAndWrite(size: number, root: Uint8Array): Promise<string> {
    if (this.#failed) throw this.#failed;
    if (this.#note !== undefined && size === this.#publishedSize) return this.#note;
    try {
      // Every node of the tree at `size` was written before its commit left the append chain.
      await this.#syncTrees();
      const note = signNote(formatCheckpoint({ origin: this.origin, size, rootHash: root }), this.#signerKey);
      await writeFileDurable(join(this.#dir, CHECKPOINT_FILE), note);
      this.#note = note;
      this.#publishedSize = size;
      this.#lastPublishAt = Date.now();
      this.#stats.checkpoints++;
      return note;
    } catch (cause) {
      this.#fail('Publishing a checkpoint of', cause);
      throw this.#failed;
    }
  }

  publishCheckpoint(): Promise<string> {
    if (this.#closing) return Promise.reject(new LedgerError('ERR_LEDGER_CLOSED', 'The ledger is closed.'));
    // After the appends already queued, so the checkpoint covers every append made before this call.
    return this.#publish();
  }

  #checkIndex(value: IntLike, what: string, limit: number): number {
    const i = toIndex(value, what);
    if (i >= limit) throw new LedgerError('ERR_INDEX_OUT_OF_RANGE', `${what} ${i} is out of range: the ledger holds ${limit} entries.`);
    return i;
  }

  async readEntry(index: IntLike): Promise<Uint8Array> {
    this.#checkOpen();
    return readEntryAt(this.#index, this.#entries, this.#checkIndex(index, 'index', this.#size), this.#dir);
  }

  #prove(plan: readonly ProofStep[]): Uint8Array[] {
    return assembleProof(plan, (id) => this.#reader.read(id));
  }

  async inclusionProof(index: IntLike, size?: IntLike): Promise<Uint8Array[]> {
    this.#checkOpen();
    const n = size === undefined ? this.#size : toIndex(size, 'size');
    if (n > this.#size) throw new LedgerError('ERR_INDEX_OUT_OF_RANGE', `size ${n} is beyond the ledger size ${this.#size}.`);
    const i = this.#checkIndex(index, 'index', n);
    return this.#prove(inclusionPlan(i, n));
  }

  async consistencyProof(size1: IntLike, size2: IntLike): Promise<Uint8Array[]> {
    this.#checkOpen();
    const m = toIndex(size1, 'size1');
    const n = toIndex(size2, 'size2');
    if (m === 0 || m > n || n > this.#size) {
      throw new LedgerError('ERR_INDEX_OUT_OF_RANGE', `Consistency needs 0 < size1 <= size2 <= ${this.#size}; got ${m} and ${n}.`);
    }
    return this.#prove(consistencyPlan(m, n));
  }

  async receipt(index: IntLike): Promise<string> {
    this.#checkOpen();
    const i = this.#checkIndex(index, 'index', this.#size);
    if (this.#publishedSize <= i || this.#note === undefined) await this.publishCheckpoint();
    const note = this.#note!;
    const size = this.#publishedSize;
    return formatReceipt({ index: i, proof: this.#prove(inclusionPlan(i, size)), checkpointNote: note });
  }

  #checkOpen(): void {
    if (this.#closing) throw new LedgerError('ERR_LEDGER_CLOSED', 'The ledger is closed.');
  }

  close(): Promise<void> {
    this.#closing ??= this.#exclusive(async () => {
      await this.#flush();
      if (this.#timer) clearTimeout(this.#timer);
      // Inside the append chain already: read the tree here rather than queue behind ourselves.
      if (!this.#failed) await this.#publishTree(this.#integrated());
      else await this.#publishTail;
    }).finally(async () => {
      this.#reader.close();
      for (const fh of [this.#entries, this.#index, ...this.#trees.values()]) await fh.close().catch(() => {});
      await this.#release();
    });
    return this.#closing;
  }
}
