// C2SP tlog-checkpoint bodies: "<origin>\n<size>\n<base64 root>\n" then optional extension lines.
import { CheckpointError } from './errors.js';
import { HASH_SIZE } from './hash.js';
import { toIndex, type IntLike } from './numbers.js';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Extension lines after the root, without their newlines. */
  extensions: string[];
}

export function formatCheckpoint(c: { origin: string; size: IntLike; rootHash: Uint8Array; extensions?: readonly string[] }): string {
  if (typeof c.origin !== 'string' || c.origin.length === 0 || c.origin.includes('\n')) {
    throw new CheckpointError('Checkpoint origin must be a non-empty single line.');
  }
  if (!(c.rootHash instanceof Uint8Array) || c.rootHash.length !== HASH_SIZE) {
    throw new CheckpointError(`Checkpoint root must be a ${HASH_SIZE}-byte hash.`);
  }
  const ext = c.extensions ?? [];
  for (const line of ext) {
    if (line.length === 0 || line.includes('\n')) throw new CheckpointError('Checkpoint extension lines must be non-empty single lines.');
  }
  const size = toIndex(c.size, 'checkpoint size');
  const root = Buffer.from(c.rootHash.buffer, c.rootHash.byteOffset, c.rootHash.byteLength).toString('base64');
  return [c.origin, String(size), root, ...ext].join('\n') + '\n';
}

export function parseCheckpoint(text: string): Checkpoint {
  const bad = (why: string): CheckpointError => new CheckpointError(`Checkpoint is malformed: ${why}.`);
  if (typeof text !== 'string' || !text.endsWith('\n')) throw bad('it must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad('it needs an origin, a size and a root hash line');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw bad('the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw bad('the size must be a decimal number without leading zeros');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw bad('the size is too large');
  const root = /^[A-Za-z0-9+/]+={0,2}$/.test(rootLine) ? Buffer.from(rootLine, 'base64') : undefined;
  if (!root || root.length !== HASH_SIZE || root.toString('base64') !== rootLine) throw bad('the root must be a base64 32-byte hash');
  if (extensions.some((l) => l.length === 0)) throw bad('extension lines must not be empty');
  return { origin, size, rootHash: new Uint8Array(root), extensions };
}
