// The ledger contracts other packages rely on (see docs/internals.md).
import type { IntLike } from './numbers.js';

/** What the audit pipeline needs: durable appends. */
export interface LedgerAppender {
  /**
   * Append entries in order. Resolves once they are sequenced durably (written and fsynced),
   * with the index of the first one. Concurrent calls share one write and one fsync.
   */
  append(entries: readonly Uint8Array[], options?: AppendOptions): Promise<{ firstIndex: number }>;
}

export interface AppendOptions {
  /**
   * The entries' RFC 6962 leaf hashes, when the caller already computed them from the same bytes
   * (the audit pipeline does, for `agentrail.record.hash`): saves hashing every entry twice. The
   * caller vouches for them; a wrong one is not detected here but by `verifyLedger`
   * (ERR_ENTRY_CHANGED), so pass only hashes computed from exactly these bytes.
   */
  leafHashes?: readonly Uint8Array[];
}

export interface Ledger extends LedgerAppender {
  /** Entries durably sequenced and integrated into the tree. */
  readonly size: number;
  readonly origin: string;
  /** Sign and store a checkpoint for the current size; returns the signed note text. */
  publishCheckpoint(): Promise<string>;
  readEntry(index: IntLike): Promise<Uint8Array>;
  inclusionProof(index: IntLike, size?: IntLike): Promise<Uint8Array[]>;
  consistencyProof(size1: IntLike, size2: IntLike): Promise<Uint8Array[]>;
  /** A c2sp.org/tlog-proof@v1 receipt for the entry, against a published checkpoint. */
  receipt(index: IntLike): Promise<string>;
  /** Flush, publish a final checkpoint, release the lock. Idempotent. */
  close(): Promise<void>;
}

export interface FileLedgerOptions {
  /** Go sumdb/note signer key string (PRIVATE+KEY+...). */
  signerKey: string;
  /** Log origin (first checkpoint line). Default: the key name. */
  origin?: string;
  /** Publish a checkpoint after integrated batches at most this often. Default 1000 ms. */
  checkpointIntervalMs?: number;
}

/** Counters of a file ledger since it was opened. */
export interface FileLedgerStats {
  /** append() calls committed. */
  appendCalls: number;
  /** Entries committed. */
  entries: number;
  /** Group commits: each is one write per file and one fsync per file. */
  commits: number;
  /** Checkpoints published. */
  checkpoints: number;
}

export interface FileLedger extends Ledger {
  readonly stats: FileLedgerStats;
}
