// Read-only access to a ledger directory, pinned to its latest published checkpoint. Takes no
// lock, so `prove` and friends work while a writer (collector) holds the log open.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '../checkpoint.js';
import { LedgerError } from '../errors.js';
import { toIndex, type IntLike } from '../numbers.js';
import { assembleProof, consistencyPlan, inclusionPlan } from '../proof.js';
import { formatReceipt } from '../receipt.js';
import { checkpointOfNote, readCheckpointNote } from './checkpoint-file.js';
import { ENTRIES_FILE, INDEX_FILE, INDEX_RECORD } from './layout.js';
import { NodeReader } from './node-reader.js';
import { readEntryAt } from './read-entries.js';

export interface LedgerReader {
  /** Size of the latest published checkpoint; reads and proofs are limited to it. */
  readonly size: number;
  readonly origin: string;
  /** The signed checkpoint note this reader is pinned to (not verified here). */
  readonly checkpointNote: string;
  readonly checkpoint: Checkpoint;
  readEntry(index: IntLike): Promise<Uint8Array>;
  inclusionProof(index: IntLike, size?: IntLike): Promise<Uint8Array[]>;
  consistencyProof(size1: IntLike, size2: IntLike): Promise<Uint8Array[]>;
  /** c2sp.org/tlog-proof@v1 receipt against the pinned checkpoint. */
  receipt(index: IntLike): Promise<string>;
  close(): Promise<void>;
}

export async function openLedgerReader(dir: string): Promise<LedgerReader> {
  const checkpointNote = await readCheckpointNote(dir);
  let checkpoint: Checkpoint;
  try {
    checkpoint = checkpointOfNote(checkpointNote);
  } catch (cause) {
    throw new LedgerError('ERR_LEDGER_CORRUPT', `The checkpoint in ${dir} is unreadable; run verify.`, { cause });
  }
  let index: FileHandle | undefined;
  let entries: FileHandle | undefined;
  try {
    index = await open(join(dir, INDEX_FILE), 'r');
    entries = await open(join(dir, ENTRIES_FILE), 'r');
    if ((await index.stat()).size < checkpoint.size * INDEX_RECORD) {
      throw new LedgerError('ERR_LEDGER_CORRUPT', `Ledger ${dir} holds fewer entries than its checkpoint (${checkpoint.size}); run verify.`);
    }
  } catch (e) {
    await index?.close();
    await entries?.close();
    if (e instanceof LedgerError) throw e;
    throw new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot read the ledger in ${dir}: ${(e as Error).message}.`, { cause: e });
  }
  return new Reader(dir, checkpointNote, checkpoint, index, entries);
}

class Reader implements LedgerReader {
  readonly size: number;
  readonly origin: string;
  readonly #nodes: NodeReader;
  #closed = false;

  constructor(
    readonly dir: string,
    readonly checkpointNote: string,
    readonly checkpoint: Checkpoint,
    private readonly index: FileHandle,
    private readonly entries: FileHandle,
  ) {
    this.size = checkpoint.size;
    this.origin = checkpoint.origin;
    this.#nodes = new NodeReader(dir);
  }

  #check(value: IntLike, what: string, limit: number): number {
    if (this.#closed) throw new LedgerError('ERR_LEDGER_CLOSED', 'The ledger reader is closed.');
    const i = toIndex(value, what);
    if (i >= limit) throw new LedgerError('ERR_INDEX_OUT_OF_RANGE', `${what} ${i} is out of range: the checkpoint covers ${this.size} entries.`);
    return i;
  }

  async readEntry(value: IntLike): Promise<Uint8Array> {
    return readEntryAt(this.index, this.entries, this.#check(value, 'index', this.size), this.dir);
  }

  async inclusionProof(value: IntLike, size?: IntLike): Promise<Uint8Array[]> {
    const n = size === undefined ? this.size : this.#check(size, 'size', this.size + 1);
    const i = this.#check(value, 'index', n);
    return assembleProof(inclusionPlan(i, n), (id) => this.#nodes.read(id));
  }

  async consistencyProof(size1: IntLike, size2: IntLike): Promise<Uint8Array[]> {
    const n = this.#check(size2, 'size2', this.size + 1);
    const m = toIndex(size1, 'size1');
    if (m === 0 || m > n) throw new LedgerError('ERR_INDEX_OUT_OF_RANGE', `Consistency needs 0 < size1 <= size2; got ${m} and ${n}.`);
    return assembleProof(consistencyPlan(m, n), (id) => this.#nodes.read(id));
  }

  async receipt(value: IntLike): Promise<string> {
    const i = this.#check(value, 'index', this.size);
    return formatReceipt({ index: i, proof: await this.inclusionProof(i), checkpointNote: this.checkpointNote });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#nodes.close();
    await this.index.close();
    await this.entries.close();
  }
}
