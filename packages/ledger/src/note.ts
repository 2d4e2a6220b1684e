// C2SP signed-note: text (ending in "\n"), a blank line, then "— <name> <base64(keyid ‖ sig)>" lines.
import { sign, verify } from 'node:crypto';
import { NoteError } from './errors.js';
import { isValidKeyName, isWellFormed, parseSignerKey, parseVerifierKey, type VerifierKey } from './keys.js';

const SIG_PREFIX = '\u2014 ';
/** Go's note package refuses notes with more signature lines than this; so do we. */
export const MAX_NOTE_SIGNATURES = 100;

export interface NoteSignature {
  name: string;
  /** Key id as 8 lowercase hex digits. */
  keyId: string;
}

export interface OpenedNote {
  text: string;
  /** Signatures verified with one of the given keys. */
  signatures: NoteSignature[];
  /** Signature lines from keys we were not given (not verified). */
  unverified: NoteSignature[];
}

// Valid UTF-8 (well-formed string) with no ASCII control characters other than newline.
function isValidNoteText(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return isWellFormed(s) && !/[\u0000-\u0009\u000b-\u001f]/.test(s);
}

export function signNote(text: string, signerKey: string): string {
  if (typeof text !== 'string' || !text.endsWith('\n') || !isValidNoteText(text)) {
    throw new NoteError('ERR_NOTE_MALFORMED', 'Note text must be UTF-8 ending in a newline, without control characters.');
  }
  const key = parseSignerKey(signerKey);
  const sig = sign(null, Buffer.from(text, 'utf8'), key.privateKey);
  const blob = Buffer.alloc(4 + sig.length);
  blob.writeUInt32BE(key.keyId, 0);
  sig.copy(blob, 4);
  return `${text}\n${SIG_PREFIX}${key.name} ${blob.toString('base64')}\n`;
}

export function openNote(note: string, verifierKeys: readonly string[]): OpenedNote {
  const malformed = (why: string): NoteError => new NoteError('ERR_NOTE_MALFORMED', `Signed note is malformed: ${why}.`);
  if (typeof note !== 'string' || !isValidNoteText(note)) throw malformed('not UTF-8 text without control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const sigBlock = note.slice(split + 2);
  if (sigBlock.length === 0 || !sigBlock.endsWith('\n')) throw malformed('signature block must end in a newline');

  const keys = new Map<string, VerifierKey>();
  for (const k of verifierKeys) {
    const v = parseVerifierKey(k);
    keys.set(`${v.name}+${v.keyId}`, v);
  }
  const textBytes = Buffer.from(text, 'utf8');
  const signatures: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  const lines = sigBlock.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signature lines`);
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) throw malformed('signature line does not start with an em dash and a space');
    const rest = line.slice(SIG_PREFIX.length);
    const sp = rest.lastIndexOf(' ');
    const name = sp < 0 ? rest : rest.slice(0, sp);
    const b64 = sp < 0 ? '' : rest.slice(sp + 1);
    const blob = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : undefined;
    if (!blob || blob.toString('base64') !== b64 || !isValidKeyName(name) || blob.length < 5) throw malformed('bad signature line');
    const id = blob.readUInt32BE(0);
    const entry = { name, keyId: id.toString(16).padStart(8, '0') };
    const key = keys.get(`${name}+${id}`);
    const seenKey = `${name}+${id}`;
    if (seen.has(seenKey)) continue;
    seen.add(seenKey);
    if (!key) {
      unverified.push(entry);
      continue;
    }
    if (!verify(null, textBytes, key.publicKey, blob.subarray(4))) {
      throw new NoteError('ERR_NOTE_BAD_SIGNATURE', `Signature by ${name}+${entry.keyId} does not verify: the note was altered or forged.`);
    }
    signatures.push(entry);
  }
  if (signatures.length === 0) {
    throw new NoteError('ERR_NOTE_UNVERIFIED', 'Signed note has no signature from a known key.');
  }
  return { text, signatures, unverified };
}
