// The Vercel AI SDK bridge with the SDK's own mock model scripted to call real tools: identity
// travels in `experimental_telemetry.metadata`, tool annotations and decisions land on the SDK's
// `ai.toolCall` spans, and the agentrail semconv adapter reads all of it back.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { fromReadableSpan } from '@agentrail/core';
import { normalizeSpan } from '@agentrail/semconv';
import {
  InvalidIdentityError,
  InvalidToolError,
  onBehalfOf,
  recordApproval,
  recordAuthorization,
  withAgent,
} from '@agentrail/instrumentation';
import { aiSdkTelemetry, auditTool } from '@agentrail/instrumentation/ai-sdk';

type LanguageModelV3GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

function toolCallStep(toolCallId: string, toolName: string, input: unknown): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'tool-call', toolCallId, toolName, input: JSON.stringify(input) }],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage,
    warnings: [],
  };
}

function textStep(text: string): LanguageModelV3GenerateResult {
  return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] };
}

const contextManager = new AsyncLocalStorageContextManager();
let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;

before(() => {
  context.setGlobalContextManager(contextManager.enable());
});
after(() => {
  context.disable();
});
beforeEach(() => {
  exporter = new InMemorySpanExporter();
  // Deliberately no AgentContextSpanProcessor: the metadata alone must carry identity.
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
});

const toolSpans = (spans: readonly ReadableSpan[]) => spans.filter((s) => s.name === 'ai.toolCall');
const attr = (s: ReadableSpan, k: string): Attributes[string] => s.attributes[k];

function makeTools(calls: string[]) {
  return {
    lookup_customer: auditTool(
      tool({
        description: 'Look up a customer',
        inputSchema: z.object({ customerId: z.string() }),
        execute: async ({ customerId }) => {
          calls.push(`lookup ${customerId}`);
          return { id: customerId, name: 'Ada Lovelace' };
        },
      }),
      { kind: 'read', risk: 'low', resource: ({ customerId }) => ({ type: 'customer', id: customerId }) },
    ),
    send_email: auditTool(
      tool({
        description: 'Email a customer',
        inputSchema: z.object({ to: z.string(), body: z.string() }),
        execute: async (input) => {
          recordApproval({ status: 'approved', approverId: 'supervisor-1', approvalId: 'apr-1', args: input });
          calls.push(`email ${input.to}`);
          return { sent: true };
        },
      }),
      { kind: 'send', risk: 'high', resource: ({ to }) => ({ type: 'email', id: to }) },
    ),
    refund: auditTool(
      tool({
        description: 'Refund an order',
        inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
        execute: async ({ orderId }): Promise<{ refunded: number }> => {
          recordAuthorization({ decision: 'deny', policyId: 'refunds', policyVersion: '3', reason: 'over limit' });
          calls.push(`refund ${orderId}`);
          throw new Error('refund denied by policy');
        },
      }),
      { kind: 'write', risk: 'high', resource: ({ orderId }) => ({ type: 'order', id: orderId }) },
    ),
  };
}

describe('aiSdkTelemetry + auditTool', () => {
  test('tool calls carry identity, action, authorization and approval, and normalize as execute_tool', async () => {
    const calls: string[] = [];
    const model = new MockLanguageModelV3({
      doGenerate: [
        toolCallStep('tc-1', 'lookup_customer', { customerId: 'c-42' }),
        toolCallStep('tc-2', 'send_email', { to: 'ada@example.com', body: 'Your order shipped.' }),
        toolCallStep('tc-3', 'refund', { orderId: 'o-7', amount: 80 }),
        textStep('Done.'),
      ],
    });
    const result = await withAgent({ id: 'support-bot', name: 'Support Bot', version: '2.0.0' }, () =>
      onBehalfOf({ id: 'user-7', type: 'user', tenant: 'acme' }, () =>
        generateText({
          model,
          tools: makeTools(calls),
          prompt: 'Help with order o-7',
          stopWhen: stepCountIs(6),
          experimental_telemetry: aiSdkTelemetry({ tracer: provider.getTracer('ai'), conversationId: 'conv-1' }),
        }),
      ),
    );
    assert.equal(result.text, 'Done.');
    assert.deepEqual(calls, ['lookup c-42', 'email ada@example.com', 'refund o-7']);

    const spans = exporter.getFinishedSpans();
    const tools = toolSpans(spans);
    assert.equal(tools.length, 3, 'one ai.toolCall span per call, no duplicates');
    for (const span of spans) {
      assert.equal(attr(span, 'ai.telemetry.metadata.agentrail.agent.id'), 'support-bot', span.name);
      assert.equal(attr(span, 'ai.telemetry.metadata.agentrail.principal.id'), 'user-7', span.name);
      assert.equal(attr(span, 'ai.telemetry.functionId'), 'support-bot', span.name);
    }

    const byName = new Map(tools.map((s) => [String(attr(s, 'ai.toolCall.name')), s]));
    const lookup = byName.get('lookup_customer')!;
    assert.equal(attr(lookup, 'agentrail.action.kind'), 'read');
    assert.equal(attr(lookup, 'agentrail.resource.type'), 'customer');
    assert.equal(attr(lookup, 'agentrail.resource.id'), 'c-42');

    const email = byName.get('send_email')!;
    assert.equal(attr(email, 'agentrail.action.risk'), 'high');
    assert.equal(attr(email, 'agentrail.approval.status'), 'approved');
    assert.equal(attr(email, 'agentrail.approval.approver.id'), 'supervisor-1');
    assert.match(String(attr(email, 'agentrail.approval.args_digest')), /^sha256:[0-9a-f]{64}$/);

    const refund = byName.get('refund')!;
    assert.equal(refund.status.code, SpanStatusCode.ERROR);
    assert.equal(attr(refund, 'error.type'), 'Error', 'auditTool names the error the SDK only marks');
    assert.equal(attr(refund, 'agentrail.authz.decision'), 'deny');
    assert.equal(attr(refund, 'agentrail.authz.policy.id'), 'refunds');

    // What the audit pipeline will see.
    for (const span of tools) {
      const action = normalizeSpan(fromReadableSpan(span));
      assert.ok(action, `${span.name} is an agent action`);
      assert.equal(action.operation, 'execute_tool');
      assert.equal(action.agent.id, 'support-bot');
      assert.equal(action.principal?.id, 'user-7');
      assert.equal(action.principal?.tenant, 'acme');
      assert.equal(action.tool?.name, attr(span, 'ai.toolCall.name'));
      assert.equal(action.tool?.callId, attr(span, 'ai.toolCall.id'));
    }
    const refundAction = normalizeSpan(fromReadableSpan(refund))!;
    assert.equal(refundAction.authorization?.decision, 'deny');
    assert.equal(refundAction.resource?.id, 'o-7');
    const emailAction = normalizeSpan(fromReadableSpan(email))!;
    assert.equal(emailAction.approval?.status, 'approved');
  });

  test('explicit identity wins over the context and is validated', async () => {
    const settings = withAgent({ id: 'ctx-agent', name: 'Ctx' }, () =>
      aiSdkTelemetry({ agent: { id: 'explicit', name: 'Explicit' }, principal: { id: 'svc-1', type: 'service' }, functionId: 'triage' }),
    );
    assert.equal(settings.isEnabled, true);
    assert.equal(settings.functionId, 'triage');
    assert.equal(settings.metadata?.['agentrail.agent.id'], 'explicit');
    assert.equal(settings.metadata?.['agentrail.principal.type'], 'service');
    assert.equal(settings.metadata?.['userId'], undefined, 'a service principal is not reported as a user');
    assert.throws(() => aiSdkTelemetry({ agent: { id: '', name: 'x' } }), InvalidIdentityError);
    assert.throws(() => aiSdkTelemetry({ principal: { id: 'p', type: 'robot' as 'user' } }), InvalidIdentityError);
  });

  test('outside withAgent and without options, telemetry is on and carries no identity', () => {
    const settings = aiSdkTelemetry();
    assert.equal(settings.isEnabled, true);
    assert.equal(settings.recordInputs, true);
    assert.deepEqual(settings.metadata, {});
    assert.equal(settings.functionId, undefined);
  });

  test('auditTool refuses a tool without execute', () => {
    const clientSide = tool({ description: 'ask the user', inputSchema: z.object({ q: z.string() }) });
    assert.throws(() => auditTool(clientSide, { kind: 'read' }), InvalidToolError);
  });
});
