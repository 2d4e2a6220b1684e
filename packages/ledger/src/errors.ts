// One error class per failure family, each with a stable `code` callers can switch on.
import { toHex as hex } from './hash.js';

export type ProofErrorCode = 'ERR_PROOF_MALFORMED' | 'ERR_PROOF_ROOT_MISMATCH';

/** A Merkle proof failed to verify. Carries the evidence when roots differ. */
export class ProofError extends Error {
  override readonly name = 'ProofError';
  readonly code: ProofErrorCode;
  /** The root the caller expected (hex), on ERR_PROOF_ROOT_MISMATCH. */
  readonly expected?: string;
  /** The root computed from the proof (hex), on ERR_PROOF_ROOT_MISMATCH. */
  readonly computed?: string;
  constructor(code: ProofErrorCode, message: string, evidence?: { expected: Uint8Array; computed: Uint8Array }) {
    super(message);
    this.code = code;
    if (evidence) {
      this.expected = hex(evidence.expected);
      this.computed = hex(evidence.computed);
    }
  }
}

export type KeyErrorCode =
  | 'ERR_KEY_INVALID'
  | 'ERR_KEY_FILE_PERMISSIONS'
  | 'ERR_KEY_FILE_EXISTS'
  | 'ERR_KEY_FILE_UNREADABLE';

/** A key string or key file is malformed, unreadable or unsafe. */
export class KeyError extends Error {
  override readonly name = 'KeyError';
  readonly code: KeyErrorCode;
  constructor(code: KeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export type NoteErrorCode = 'ERR_NOTE_MALFORMED' | 'ERR_NOTE_UNVERIFIED' | 'ERR_NOTE_BAD_SIGNATURE';

/** A signed note is malformed, carries no signature from a known key, or a known key's signature fails. */
export class NoteError extends Error {
  override readonly name = 'NoteError';
  readonly code: NoteErrorCode;
  constructor(code: NoteErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A checkpoint body does not follow c2sp.org/tlog-checkpoint. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  readonly code = 'ERR_CHECKPOINT_MALFORMED' as const;
}

/** A receipt does not follow c2sp.org/tlog-proof@v1. */
export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
  readonly code = 'ERR_RECEIPT_MALFORMED' as const;
}

export type LedgerErrorCode =
  | 'ERR_LEDGER_LOCKED'
  | 'ERR_LEDGER_CLOSED'
  | 'ERR_LEDGER_FAILED'
  | 'ERR_LEDGER_NOT_FOUND'
  | 'ERR_LEDGER_FORMAT'
  | 'ERR_LEDGER_CORRUPT'
  | 'ERR_LEDGER_ORIGIN_MISMATCH'
  | 'ERR_INDEX_OUT_OF_RANGE'
  | 'ERR_INVALID_ARGUMENT';

/** Opening, writing or reading a ledger failed. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  readonly code: LedgerErrorCode;
  constructor(code: LedgerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export type VerificationErrorCode =
  | 'ERR_ENTRY_CHANGED'
  | 'ERR_ENTRY_MISSING'
  | 'ERR_ENTRY_REORDERED'
  | 'ERR_LOG_TRUNCATED'
  | 'ERR_TREE_HASH_MISMATCH'
  | 'ERR_CHECKPOINT_FORGED'
  | 'ERR_CHECKPOINT_ROOT_MISMATCH'
  | 'ERR_LOG_ROLLED_BACK'
  | 'ERR_LOG_FORKED'
  | 'ERR_STATE_MISMATCH';

/** `verifyLedger` found the log does not match what was signed or trusted. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  readonly code: VerificationErrorCode;
  /** First bad entry index, where one applies. */
  readonly index?: number;
  readonly expected?: string;
  readonly computed?: string;
  constructor(
    code: VerificationErrorCode,
    message: string,
    details: { index?: number; expected?: Uint8Array; computed?: Uint8Array; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.index !== undefined) this.index = details.index;
    if (details.expected) this.expected = hex(details.expected);
    if (details.computed) this.computed = hex(details.computed);
  }
}
