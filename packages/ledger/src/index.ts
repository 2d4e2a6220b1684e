// @agentrail/ledger: a tamper-evident, append-only Merkle log (RFC 6962) with C2SP signed
// checkpoints and receipts. A leaf is bytes; this package knows nothing of agents.
export { leafHash, nodeHash, emptyRoot } from './hash.js';
export { CompactRange, rootHash, type NodeSink } from './compact-range.js';
export { inclusionPlan, consistencyPlan, assembleProof, type NodeId, type ProofStep } from './proof.js';
export { verifyInclusion, verifyConsistency, rootFromInclusionProof } from './verify-proof.js';
export { generateKey, verifierKeyFor, keyId } from './keys.js';
export { signNote, openNote, type OpenedNote, type NoteSignature } from './note.js';
export { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.js';
export { formatReceipt, parseReceipt, verifyReceipt, type Receipt, type VerifiedReceipt } from './receipt.js';
export { openFileLedger } from './file-store/file-ledger.js';
export { readLedgerEntries } from './file-store/read-entries.js';
export { openLedgerReader, type LedgerReader } from './file-store/ledger-reader.js';
export { readCheckpointNote } from './file-store/checkpoint-file.js';
export { verifyLedger, type VerifyLedgerOptions, type VerifyReport } from './verify-ledger.js';
export { writeKeyFiles, readSignerKeyFile, readVerifierKey, loadOrCreateSignerKey, keyFileBase } from './key-files.js';
export type { AppendOptions, Ledger, LedgerAppender, FileLedger, FileLedgerOptions, FileLedgerStats } from './types.js';
export type { IntLike } from './numbers.js';
export {
  ProofError, KeyError, NoteError, CheckpointError, ReceiptError, LedgerError, VerificationError,
  type ProofErrorCode, type KeyErrorCode, type NoteErrorCode, type LedgerErrorCode, type VerificationErrorCode,
} from './errors.js';
