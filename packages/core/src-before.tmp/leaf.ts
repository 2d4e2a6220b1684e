// The record hash: RFC 6962 leaf hash of the record bytes, as lowercase hex.
import { leafHash } from '@agentrail/ledger';

export function leafHashHex(data: Uint8Array): string {
  const h = leafHash(data);
  return Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('hex');
}
