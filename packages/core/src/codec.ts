// Records ⇄ leaf bytes.
import { hash } from 'node:crypto';
import { RecordDecodeError } from './errors.js';
import type { AuditRecord } from './record.js';
import { recordJson } from './record-encoder.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Canonical UTF-8 bytes of a record: the Merkle leaf. */
export function encodeRecord(record: AuditRecord): Uint8Array {
  return Buffer.from(recordJson(record), 'utf8');
}

// The leaf is hashed as 0x00 ‖ bytes. Records are written straight into a shared slab, each
// after a 0x00 byte, hashed there, and handed out as a view: one UTF-8 pass, no copy, and one
// ArrayBuffer per slab instead of one per handful of records (Buffer's own pool is 8 KiB). A
// slab stays alive while any view into it does, like Buffer's pool.
const SLAB_SIZE = 128 * 1024;
const LARGE = 16 * 1024;
let slab = Buffer.allocUnsafe(SLAB_SIZE);
let slabOffset = 0;

// Leaf hashes are taken as hex (the record hash callers get) and written into a slab of their
// own: a raw digest from hash() would be a fresh ArrayBuffer per record, which costs more than
// the hex round trip.
const HASH_SLAB_SIZE = 32 * 4096;
let hashSlab = Buffer.allocUnsafe(HASH_SLAB_SIZE);
let hashSlabOffset = 0;

/** A record's leaf bytes, and their RFC 6962 leaf hash as hex and raw. */
export interface EncodedRecord {
  bytes: Uint8Array;
  recordHash: string;
  leafHash: Uint8Array;
}

/** `leaf` is 0x00 ‖ bytes. */
function withHash(leaf: Uint8Array): EncodedRecord {
  const recordHash = hash('sha256', leaf, 'hex');
  if (hashSlabOffset === HASH_SLAB_SIZE) {
    hashSlab = Buffer.allocUnsafe(HASH_SLAB_SIZE);
    hashSlabOffset = 0;
  }
  const at = hashSlabOffset;
  hashSlab.write(recordHash, at, 'hex');
  hashSlabOffset = at + 32;
  return { bytes: leaf.subarray(1), recordHash, leafHash: hashSlab.subarray(at, at + 32) };
}

/** Leaf bytes and their RFC 6962 leaf hash (hex and raw) in one pass. */
export function encodeRecordWithHash(record: AuditRecord): EncodedRecord {
  const json = recordJson(record);
  // UTF-8 needs at most 3 bytes per UTF-16 unit
  const most = 1 + json.length * 3;
  if (most > LARGE) return encodeLarge(json);
  if (slabOffset + most > SLAB_SIZE) {
    slab = Buffer.allocUnsafe(SLAB_SIZE);
    slabOffset = 0;
  }
  const start = slabOffset;
  slab[start] = 0;
  const n = slab.write(json, start + 1, 'utf8');
  // the next record starts 8-byte aligned
  slabOffset = (start + 1 + n + 7) & ~7;
  return withHash(slab.subarray(start, start + 1 + n));
}

function encodeLarge(json: string): EncodedRecord {
  const buf = Buffer.allocUnsafe(1 + Buffer.byteLength(json, 'utf8'));
  buf[0] = 0;
  buf.write(json, 1, 'utf8');
  return withHash(buf);
}

/** Parse leaf bytes back into a record. Checks the envelope (version, kind, id), not every field. */
export function decodeRecord(bytes: Uint8Array): AuditRecord {
  let text: string;
  let parsed: unknown;
  try {
    text = decoder.decode(bytes);
    parsed = JSON.parse(text);
  } catch (err) {
    throw new RecordDecodeError(`The entry is not UTF-8 JSON: ${(err as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RecordDecodeError('The entry is not a JSON object.');
  }
  const r = parsed as Record<string, unknown>;
  if (r.v !== 1) throw new RecordDecodeError(`Unsupported audit record version ${JSON.stringify(r.v)}; this reader knows version 1.`);
  if (r.kind !== 'agent.action') throw new RecordDecodeError(`Unknown record kind ${JSON.stringify(r.kind)}.`);
  if (typeof r.id !== 'string') throw new RecordDecodeError('The record has no id.');
  return parsed as AuditRecord;
}
