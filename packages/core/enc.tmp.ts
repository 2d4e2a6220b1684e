import { hash } from 'node:crypto';
import { fromReadableSpan, toAuditRecord, encodeRecordWithHash } from './src/index.js';
import { recordJson } from './src/record-encoder.js';
const { makeSpans } = await import('./prof-spans.tmp.js');
const spans = makeSpans(2000);
const ctx = { via: 'exporter' as const, authenticated: { id: 'billing-agent', method: 'in-process' }, receivedAt: '2026-01-01T00:00:00.000000000Z' };
const records = spans.map((s: any) => toAuditRecord(fromReadableSpan(s), ctx, { keepEvidence: false })!.record);
let sink = 0;
function t(name: string, fn: (i: number) => void) {
  for (let i = 0; i < 6000; i++) fn(i % 2000);
  const xs: number[] = [];
  for (let r = 0; r < 25; r++) { const c0 = process.cpuUsage(); for (let i = 0; i < 2000; i++) fn(i); const c = process.cpuUsage(c0); xs.push((c.user + c.system) / 2000); }
  xs.sort((a, b) => a - b); console.log(name.padEnd(30), xs[12]!.toFixed(2));
}
t('recordJson', (i) => { sink += recordJson(records[i]!).length; });
t('recordJson+byteLength', (i) => { sink += Buffer.byteLength(recordJson(records[i]!)); });
t('recordJson+Buffer.from', (i) => { sink += Buffer.from(recordJson(records[i]!)).length; });
t('encodeRecordWithHash', (i) => { sink += encodeRecordWithHash(records[i]!).recordHash.length; });
t('hash of str', (i) => { sink += hash('sha256', recordJson(records[i]!), 'hex').length; });
console.log(sink > 0);
const sortedRecs = records.map((r: any) => { const a: any = {}; for (const k of Object.keys(r.attributes).sort()) a[k] = r.attributes[k]; return { ...r, attributes: a }; });
t('JSON.stringify', (i) => { sink += JSON.stringify(sortedRecs[i]).length; });
t('JSON.stringify+byteLength', (i) => { sink += Buffer.byteLength(JSON.stringify(sortedRecs[i])); });
t('sort 13 keys', (i) => { const r = records[i]!; const a: any = {}; for (const k of Object.keys(r.attributes).sort()) a[k] = r.attributes[k]; sink += Object.keys(a).length; });
console.log(sink > 0, JSON.stringify(sortedRecs[0]) === recordJson(records[0]!));
const { fastJoin } = await import('./fastjoin.tmp.js');
console.log(fastJoin(records[0]) === recordJson(records[0]!));
t('fastJoin+byteLength', (i) => { sink += Buffer.byteLength(fastJoin(records[i]!)); });
t('recordJson+byteLength', (i) => { sink += Buffer.byteLength(recordJson(records[i]!)); });
