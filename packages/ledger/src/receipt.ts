// Receipts in the c2sp.org/tlog-proof@v1 text format: header, optional extra, index, the
// inclusion proof (one base64 hash a line), a blank line, then the signed checkpoint verbatim.
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { ReceiptError } from './errors.js';
import { HASH_SIZE, leafHash } from './hash.js';
import { openNote, type NoteSignature } from './note.js';
import { verifyInclusion } from './verify-proof.js';

export const RECEIPT_HEADER = 'c2sp.org/tlog-proof@v1';

export interface Receipt {
  index: number;
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  checkpointNote: string;
  extra?: Uint8Array;
}

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

export function formatReceipt(r: Receipt): string {
  const lines = [RECEIPT_HEADER];
  if (r.extra) lines.push(`extra ${b64(r.extra)}`);
  lines.push(`index ${r.index}`);
  for (const h of r.proof) lines.push(b64(h));
  return lines.join('\n') + '\n\n' + r.checkpointNote;
}

export function parseReceipt(text: string): Receipt {
  const bad = (why: string): ReceiptError => new ReceiptError(`Receipt is malformed: ${why}.`);
  if (typeof text !== 'string') throw bad('not text');
  const lines = text.split('\n');
  let i = 0;
  if (lines[i++] !== RECEIPT_HEADER) throw bad(`the first line must be ${RECEIPT_HEADER}`);
  let extra: Uint8Array | undefined;
  if (lines[i]?.startsWith('extra ')) {
    const e = lines[i++]!.slice(6);
    const buf = Buffer.from(e, 'base64');
    if (buf.toString('base64') !== e) throw bad('extra data is not base64');
    extra = new Uint8Array(buf);
  }
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[i++] ?? '');
  if (!m) throw bad('expected an "index N" line');
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index)) throw bad('index is too large');
  const proof: Uint8Array[] = [];
  for (;;) {
    const line = lines[i++];
    if (line === undefined) throw bad('missing the blank line before the checkpoint');
    if (line === '') break;
    const h = /^[A-Za-z0-9+/]+={0,2}$/.test(line) ? Buffer.from(line, 'base64') : undefined;
    if (!h || h.length !== HASH_SIZE || h.toString('base64') !== line) throw bad(`proof line ${proof.length + 1} is not a base64 32-byte hash`);
    proof.push(new Uint8Array(h));
  }
  const checkpointNote = lines.slice(i).join('\n');
  if (checkpointNote.length === 0) throw bad('the checkpoint is missing');
  return extra ? { index, proof, checkpointNote, extra } : { index, proof, checkpointNote };
}

export interface VerifiedReceipt {
  index: number;
  size: number;
  checkpoint: Checkpoint;
  signatures: NoteSignature[];
}

/**
 * Check a receipt with only the verifier keys and the entry bytes: the checkpoint signature,
 * the inclusion proof against its root, and the entry's leaf hash. Throws ReceiptError,
 * NoteError, CheckpointError or ProofError.
 */
export function verifyReceipt(receipt: string, entry: Uint8Array, verifierKeys: readonly string[], opts: { origin?: string } = {}): VerifiedReceipt {
  const r = parseReceipt(receipt);
  const opened = openNote(r.checkpointNote, verifierKeys);
  const checkpoint = parseCheckpoint(opened.text);
  if (opts.origin !== undefined && checkpoint.origin !== opts.origin) {
    throw new ReceiptError(`Receipt checkpoint is from log ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(opts.origin)}.`);
  }
  verifyInclusion(leafHash(entry), r.index, checkpoint.size, r.proof, checkpoint.rootHash);
  return { index: r.index, size: checkpoint.size, checkpoint, signatures: opened.signatures };
}
