import { hash } from 'node:crypto';
import { canonicalize, encodeRecordWithHash, fromReadableSpan, toAuditRecord } from './src/index.js';
import { recordJson } from './src/record-encoder.js';
const mk = await import('./prof-spans.tmp.js');
const spans = mk.makeSpans(2000);
const ctx = { via: 'exporter' as const, authenticated: { id: 'billing-agent', method: 'in-process' }, receivedAt: '2026-01-01T00:00:00.000000000Z' };
const opts = { keepEvidence: false };
const neutral = spans.map((s: any) => fromReadableSpan(s));
const records = neutral.map((n) => toAuditRecord(n, ctx, opts)!.record);
const jsons = records.map((r) => recordJson(r));
let sink = 0;
function t(name: string, fn: (i: number) => void) {
  for (let i = 0; i < 4000; i++) fn(i % 2000);
  const xs: number[] = [];
  for (let r = 0; r < 15; r++) { const c0 = process.cpuUsage(); for (let i = 0; i < 2000; i++) fn(i); const c = process.cpuUsage(c0); xs.push((c.user + c.system) / 2000); }
  xs.sort((a, b) => a - b); console.log(name.padEnd(40), xs[7]!.toFixed(3), 'µs cpu');
}
t('fromReadableSpan', (i) => { sink += fromReadableSpan(spans[i]).name.length; });
t('toAuditRecord', (i) => { sink += toAuditRecord(neutral[i]!, ctx, opts)!.record.flags.length; });
t('recordJson', (i) => { sink += recordJson(records[i]!).length; });
t('canonicalize', (i) => { sink += canonicalize(records[i]!).length; });
t('canonicalize(attributes)', (i) => { sink += canonicalize(records[i]!.attributes).length; });
t('JSON.stringify', (i) => { sink += JSON.stringify(records[i]!).length; });
t('bytes+hash from json', (i) => { const j = jsons[i]!; const b = Buffer.allocUnsafe(1 + Buffer.byteLength(j)); b[0] = 0; b.write(j, 1); sink += hash('sha256', b, 'hex').length; });
t('encodeRecordWithHash', (i) => { sink += encodeRecordWithHash(records[i]!).recordHash.length; });
t('all', (i) => { sink += encodeRecordWithHash(toAuditRecord(fromReadableSpan(spans[i]), ctx, opts)!.record).recordHash.length; });
console.log(sink > 0);
