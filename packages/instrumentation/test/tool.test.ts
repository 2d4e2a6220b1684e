import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  InvalidDecisionError,
  InvalidToolError,
  recordApproval,
  recordAuthorization,
  traceTool,
  withAgent,
} from '../src/index.js';
import { argumentsDigest } from '@agentrail/core';
import { setupTracing } from './setup-tracing.js';

const tracing = setupTracing();
after(() => tracing.close());
beforeEach(() => tracing.exporter.reset());

function onlySpan() {
  const spans = tracing.exporter.getFinishedSpans();
  assert.equal(spans.length, 1);
  return spans[0]!;
}

describe('traceTool', () => {
  it('wraps an async tool in an execute_tool span with GenAI and agentrail attributes', async () => {
    const refund = traceTool(
      'issue_refund',
      async (args: { invoiceId: string; amount: number }) => ({ refunded: args.amount, ok: true }),
      { resource: (a) => ({ type: 'invoice', id: a.invoiceId }), kind: 'write', risk: 'high', description: 'Refund an invoice' },
    );
    const out = await withAgent({ id: 'billing-agent', name: 'Billing' }, () => refund({ invoiceId: 'inv-42', amount: 30 }));
    assert.deepEqual(out, { refunded: 30, ok: true });
    const span = onlySpan();
    assert.equal(span.name, 'execute_tool issue_refund');
    const a = span.attributes;
    assert.equal(a['gen_ai.operation.name'], 'execute_tool');
    assert.equal(a['gen_ai.tool.name'], 'issue_refund');
    assert.equal(a['gen_ai.tool.type'], 'function');
    assert.equal(a['gen_ai.tool.description'], 'Refund an invoice');
    assert.match(String(a['gen_ai.tool.call.id']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(JSON.parse(String(a['gen_ai.tool.call.arguments'])), { invoiceId: 'inv-42', amount: 30 });
    assert.deepEqual(JSON.parse(String(a['gen_ai.tool.call.result'])), { refunded: 30, ok: true });
    assert.equal(a['agentrail.resource.type'], 'invoice');
    assert.equal(a['agentrail.resource.id'], 'inv-42');
    assert.equal(a['agentrail.action.kind'], 'write');
    assert.equal(a['agentrail.action.risk'], 'high');
    assert.equal(a['agentrail.agent.id'], 'billing-agent');
    assert.equal(a['gen_ai.agent.id'], 'billing-agent');
    assert.equal(span.status.code, SpanStatusCode.OK);
  });

  it('works for sync tools and keeps `this` and the return value', () => {
    const counter = {
      n: 10,
      add: traceTool('add', function (this: { n: number }, x: number, y: number) {
        return this.n + x + y;
      }),
    };
    assert.equal(counter.add(1, 2), 13);
    const a = onlySpan().attributes;
    assert.equal(a['gen_ai.tool.call.arguments'], '[1,2]');
    assert.equal(a['gen_ai.tool.call.result'], '13');
  });

  it('sets ERROR status and error.type on a throw and rethrows the same error', () => {
    class QuotaError extends Error {
      override name = 'QuotaError';
    }
    const boom = new QuotaError('quota exceeded');
    const tool = traceTool('send_email', (_to: string) => {
      throw boom;
    });
    assert.throws(() => tool('a@example.com'), (e: unknown) => e === boom);
    const span = onlySpan();
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.status.message, 'quota exceeded');
    assert.equal(span.attributes['error.type'], 'QuotaError');
    assert.equal(span.attributes['gen_ai.tool.call.result'], undefined);
    assert.equal(span.events[0]?.name, 'exception');
  });

  it('sets ERROR status on a rejection and rejects with the same reason', async () => {
    const reason = new TypeError('bad input');
    const tool = traceTool('lookup', async (_q: string) => {
      await Promise.resolve();
      throw reason;
    });
    await assert.rejects(tool('x'), (e: unknown) => e === reason);
    const span = onlySpan();
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['error.type'], 'TypeError');
  });

  it('makes its span the active span inside the tool, so nested spans are children', async () => {
    const tool = traceTool('fetch_page', async (url: string) => {
      trace.getTracer('http').startSpan(`GET ${url}`).end();
      return 'ok';
    });
    await tool('/x');
    const spans = tracing.exporter.getFinishedSpans();
    const toolSpan = spans.find((s) => s.name === 'execute_tool fetch_page')!;
    const child = spans.find((s) => s.name === 'GET /x')!;
    assert.equal(child.parentSpanContext?.spanId, toolSpan.spanContext().spanId);
  });

  it('uses argumentsOf / callId, serializes awkward values and can skip the result', () => {
    const circular: Record<string, unknown> = { big: 10n };
    circular.self = circular;
    const tool = traceTool('t', (input: Record<string, unknown>, _opts: { toolCallId: string }) => 'secret-result', {
      argumentsOf: (input) => input,
      callId: (_input, opts) => opts.toolCallId,
      recordResult: false,
    });
    tool(circular, { toolCallId: 'call_123' });
    const a = onlySpan().attributes;
    assert.equal(a['gen_ai.tool.call.id'], 'call_123');
    assert.deepEqual(JSON.parse(String(a['gen_ai.tool.call.arguments'])), { big: '10', self: '[Circular]' });
    assert.equal(a['gen_ai.tool.call.result'], undefined);
  });

  it('rejects a bad name or function', () => {
    assert.throws(() => traceTool('', () => 1), InvalidToolError);
    assert.throws(() => traceTool('x', 42 as unknown as () => void), InvalidToolError);
  });
});

describe('recordAuthorization / recordApproval', () => {
  it('attach the decision and the approval (with the approved arguments digest) to the tool span', async () => {
    const args = { to: 'ceo@example.com', amount: 500 };
    const pay = traceTool('pay', async (a: typeof args) => {
      assert.equal(recordAuthorization({ decision: 'allow', policyId: 'payments', policyVersion: '7', scopes: ['pay:write'], reason: 'under limit' }), true);
      assert.equal(recordApproval({ status: 'approved', approverId: 'carol', approvalId: 'apr-1', time: Date.UTC(2026, 0, 2, 3, 4, 5), args: { amount: 500, to: 'ceo@example.com' } }), true);
      return a.amount;
    });
    await pay(args);
    const a = onlySpan().attributes;
    assert.equal(a['agentrail.authz.decision'], 'allow');
    assert.equal(a['agentrail.authz.policy.id'], 'payments');
    assert.equal(a['agentrail.authz.policy.version'], '7');
    assert.deepEqual(a['agentrail.authz.scopes'], ['pay:write']);
    assert.equal(a['agentrail.authz.reason'], 'under limit');
    assert.equal(a['agentrail.approval.status'], 'approved');
    assert.equal(a['agentrail.approval.approver.id'], 'carol');
    assert.equal(a['agentrail.approval.id'], 'apr-1');
    assert.equal(a['agentrail.approval.time'], '2026-01-02T03:04:05.000Z');
    // same arguments in another key order: the digest matches the digest of what the tool got
    assert.match(String(a['agentrail.approval.args_digest']), /^sha256:[0-9a-f]{64}$/);
    assert.equal(a['agentrail.approval.args_digest'], argumentsDigest(String(a['gen_ai.tool.call.arguments'])));
  });

  it('an approval of different arguments carries a different digest', async () => {
    const pay = traceTool('pay', async (a: { amount: number }) => {
      recordApproval({ status: 'approved', approverId: 'carol', args: { amount: 50 } });
      return a.amount;
    });
    await pay({ amount: 5000 });
    const a = onlySpan().attributes;
    // The digest is of what was approved, and so differs from the digest of what was called.
    assert.equal(a['agentrail.approval.args_digest'], argumentsDigest({ amount: 50 }));
    assert.notEqual(a['agentrail.approval.args_digest'], argumentsDigest(String(a['gen_ai.tool.call.arguments'])));
  });

  it('return false outside a span and throw typed errors on malformed input', () => {
    assert.equal(recordAuthorization({ decision: 'deny', policyId: 'p' }), false);
    assert.equal(recordApproval({ status: 'pending', approverId: 'x' }), false);
    assert.throws(() => recordAuthorization({ decision: 'maybe' as 'allow', policyId: 'p' }), InvalidDecisionError);
    assert.throws(() => recordApproval({ status: 'approved', approverId: '' }), InvalidDecisionError);
    assert.throws(() => recordApproval({ status: 'approved', approverId: 'a', time: 'not a date' }), (e: unknown) => e instanceof InvalidDecisionError && e.code === 'ERR_AGENTRAIL_INVALID_DECISION');
  });
});
