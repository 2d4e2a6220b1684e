import { fromReadableSpan, toAuditRecord } from '@agentrail/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
function makeSpans(n) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'billing-agent', 'service.version': '2.3.1', 'host.name': 'worker-3' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('bench', '1.0.0');
  for (let i = 0; i < n; i++) {
    const args = JSON.stringify({ invoiceId: `inv-${i}`, customer: 'ACME GmbH', lines: 'x'.repeat(960) });
    const span = tracer.startSpan('execute_tool create_invoice', { attributes: {
        'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'create_invoice', 'gen_ai.tool.call.id': `call_${i}`,
        'gen_ai.tool.type': 'function', 'gen_ai.tool.call.arguments': args, 'gen_ai.tool.call.result': `{"ok":true,"id":"inv-${i}"}`,
        'gen_ai.conversation.id': 'conv-8842', 'agentrail.agent.id': 'billing-agent', 'agentrail.principal.id': 'alice@example.com',
        'agentrail.principal.tenant': 'acme', 'agentrail.action.kind': 'write', 'agentrail.action.risk': 'medium',
        'agentrail.resource.type': 'invoice', 'server.address': 'erp.internal', 'http.response.status_code': 200 } });
    span.end();
  }
  return exporter.getFinishedSpans();
}
const spans = makeSpans(2000);
const ctx = { via: 'exporter', authenticated: { id: 'billing-agent', method: 'in-process' }, receivedAt: '2026-01-01T00:00:00.000000000Z' };
const opts = { keepEvidence: false };
const neutral = spans.map((s) => fromReadableSpan(s));
let sink = 0;
for (let r = 0; r < 150; r++) for (const n of neutral) sink += toAuditRecord(n, ctx, opts).record.flags.length;
console.log(sink);
