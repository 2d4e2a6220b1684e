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

/**
 * Leaf bytes and their RFC 6962 leaf hash (hex) in one pass: the record is written after a 0x00
 * byte so the leaf hash needs no second buffer.
 */
export function encodeRecordWithHash(record: AuditRecord): { bytes: Uint8Array; recordHash: string; leafHash: Uint8Array } {
  const json = recordJson(record);
  const buf = Buffer.allocUnsafe(1 + Buffer.byteLength(json, 'utf8'));
  buf[0] = 0;
  buf.write(json, 1, 'utf8');
  const leafHash = hash('sha256', buf, 'buffer');
  return { bytes: buf.subarray(1), recordHash: leafHash.toString('hex'), leafHash };
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
