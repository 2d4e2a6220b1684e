const which = process.argv[2]!;
const m = await import(which === 'before' ? './src-before.tmp/index.js' : './src/index.js');
const { makeSpans } = await import('./prof-spans.tmp.js');
const spans = makeSpans(2000);
const ctx = { via: 'exporter' as const, authenticated: { id: 'billing-agent', method: 'in-process' }, receivedAt: '2026-01-01T00:00:00.000000000Z' };
const opts = { keepEvidence: false };
const neutral = spans.map((s: any) => m.fromReadableSpan(s));
let sink = 0;
function t(name: string, fn: (i: number) => void) {
  for (let i = 0; i < 6000; i++) fn(i % 2000);
  const xs: number[] = [];
  for (let r = 0; r < 25; r++) { const c0 = process.cpuUsage(); for (let i = 0; i < 2000; i++) fn(i); const c = process.cpuUsage(c0); xs.push((c.user + c.system) / 2000); }
  xs.sort((a, b) => a - b); return xs[12]!;
}
const a = t('toAuditRecord', (i) => { sink += m.toAuditRecord(neutral[i]!, ctx, opts)!.record.flags.length; });
const b = t('all', (i) => { sink += m.encodeRecordWithHash(m.toAuditRecord(m.fromReadableSpan(spans[i]), ctx, opts)!.record).recordHash.length; });
console.log(which.padEnd(7), 'toAuditRecord', a.toFixed(2), 'all', b.toFixed(2), sink > 0);
