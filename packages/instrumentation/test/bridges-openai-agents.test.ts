// The OpenAI Agents SDK bridge, driven by a real Agent, real tools and `run()`, with a scripted
// model (no network). What a user relies on: every agent, tool call, model call, handoff and
// guardrail shows up as an OTel span with GenAI attributes, in the SDK's tree, at the SDK's times,
// attributed to the agent and principal from `withAgent` / `onBehalfOf`.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SpanStatusCode, trace as otelTrace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  Agent,
  InputGuardrailTripwireTriggered,
  run,
  Runner,
  setTraceProcessors,
  setTracingDisabled,
  Span as AgentsSpan,
  tool,
  Trace as AgentsTrace,
  type InputGuardrail,
  type SpanData,
  type TracingProcessor,
} from '@openai/agents-core';
import { z } from 'zod';
import { normalizeSpan, type SpanView } from '@agentrail/semconv';
import { AgentContextSpanProcessor, onBehalfOf, recordApproval, recordAuthorization, withAgent } from '@agentrail/instrumentation';
import { auditExecute, installOpenAIAgentsTracing, OpenAIAgentsOtelProcessor } from '@agentrail/instrumentation/openai-agents';
import { callTool, FakeAgentsModel, handOff, say } from './bridges-fake-agents-model.js';

/** Keeps the SDK's own spans so the OTel copies can be compared with them. */
class SdkSpanRecorder implements TracingProcessor {
  readonly spans: AgentsSpan<SpanData>[] = [];
  async onTraceStart(): Promise<void> {}
  async onTraceEnd(): Promise<void> {}
  async onSpanStart(): Promise<void> {}
  async onSpanEnd(span: AgentsSpan<SpanData>): Promise<void> {
    this.spans.push(span);
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

const contextManager = new AsyncLocalStorageContextManager();
let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;
let recorder: SdkSpanRecorder;

before(() => {
  context.setGlobalContextManager(contextManager.enable());
});
after(() => {
  setTraceProcessors([]);
  context.disable();
});
beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({
    spanProcessors: [new AgentContextSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  recorder = new SdkSpanRecorder();
});

function install(options: ConstructorParameters<typeof OpenAIAgentsOtelProcessor>[0] = {}): OpenAIAgentsOtelProcessor {
  const processor = new OpenAIAgentsOtelProcessor({ tracerProvider: provider, ...options });
  setTraceProcessors([processor, recorder]);
  setTracingDisabled(false);
  return processor;
}

const attr = (span: ReadableSpan, key: string): Attributes[string] => span.attributes[key];
const byOp = (spans: readonly ReadableSpan[], op: string) => spans.filter((s) => attr(s, 'gen_ai.operation.name') === op);
const toolSpan = (spans: readonly ReadableSpan[], name: string) => {
  const found = byOp(spans, 'execute_tool').filter((s) => attr(s, 'gen_ai.tool.name') === name);
  assert.equal(found.length, 1, `one execute_tool span for ${name}`);
  return found[0]!;
};
const hrMs = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;

function ancestors(span: ReadableSpan, all: readonly ReadableSpan[]): ReadableSpan[] {
  const bySpanId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const out: ReadableSpan[] = [];
  let cur = span.parentSpanContext?.spanId ? bySpanId.get(span.parentSpanContext.spanId) : undefined;
  while (cur) {
    out.push(cur);
    cur = cur.parentSpanContext?.spanId ? bySpanId.get(cur.parentSpanContext.spanId) : undefined;
  }
  return out;
}

function supportTools(refundCalls: unknown[]) {
  const lookupCustomer = tool({
    name: 'lookup_customer',
    description: 'Look up a customer by id',
    parameters: z.object({ customerId: z.string() }),
    execute: async ({ customerId }) => JSON.stringify({ id: customerId, name: 'Ada Lovelace', tier: 'gold' }),
  });
  const refund = tool({
    name: 'refund',
    description: 'Refund an order',
    parameters: z.object({ orderId: z.string(), amount: z.number() }),
    execute: async (input) => {
      refundCalls.push(input);
      throw new Error('refunds above 20 EUR need a supervisor');
    },
  });
  return [lookupCustomer, refund];
}

describe('OpenAIAgentsOtelProcessor', () => {
  test('a run becomes one OTel trace mirroring the SDK tree, times and GenAI attributes', async () => {
    install();
    const refundCalls: unknown[] = [];
    const model = new FakeAgentsModel([
      [callTool('lookup_customer', { customerId: 'c-42' }, 'call_1')],
      [callTool('refund', { orderId: 'o-7', amount: 50 }, 'call_2')],
      [say('I could not refund the order; a supervisor will follow up.')],
    ]);
    const agent = new Agent({ name: 'Support', instructions: 'Help customers.', model, tools: supportTools(refundCalls) });

    const result = await withAgent({ id: 'support-bot', name: 'Support Bot', version: '1.2.0' }, () =>
      onBehalfOf({ id: 'user-7', type: 'user', tenant: 'acme' }, () => run(agent, 'Please refund order o-7')),
    );
    assert.match(String(result.finalOutput), /supervisor/);
    assert.equal(refundCalls.length, 1, 'the refund tool really ran');

    const spans = exporter.getFinishedSpans();
    assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 1, 'one OTel trace');
    const roots = spans.filter((s) => !s.parentSpanContext);
    assert.equal(roots.length, 1);
    assert.match(String(attr(roots[0]!, 'openai_agents.trace.id')), /^trace_[0-9a-f]{32}$/);

    const [agentSpan, ...moreAgents] = byOp(spans, 'invoke_agent');
    assert.ok(agentSpan);
    assert.equal(moreAgents.length, 0);
    assert.equal(agentSpan.name, 'invoke_agent Support');
    assert.equal(attr(agentSpan, 'gen_ai.agent.name'), 'Support');
    assert.deepEqual(attr(agentSpan, 'openai_agents.agent.tools'), ['lookup_customer', 'refund']);

    const lookup = toolSpan(spans, 'lookup_customer');
    assert.equal(lookup.name, 'execute_tool lookup_customer');
    assert.deepEqual(JSON.parse(String(attr(lookup, 'gen_ai.tool.call.arguments'))), { customerId: 'c-42' });
    assert.match(String(attr(lookup, 'gen_ai.tool.call.result')), /Ada Lovelace/);
    assert.equal(attr(lookup, 'gen_ai.tool.type'), 'function');
    assert.equal(attr(lookup, 'gen_ai.tool.call.id'), 'call_1', "the call id comes from the model's output");
    assert.equal(attr(lookup, 'gen_ai.agent.name'), 'Support');
    assert.equal(lookup.status.code, SpanStatusCode.UNSET);
    assert.ok(ancestors(lookup, spans).includes(agentSpan), 'tool span sits under the agent span');

    const refund = toolSpan(spans, 'refund');
    assert.equal(refund.status.code, SpanStatusCode.ERROR);
    assert.equal(attr(refund, 'error.type'), 'openai_agents.function_error');
    assert.deepEqual(JSON.parse(String(attr(refund, 'gen_ai.tool.call.arguments'))), { orderId: 'o-7', amount: 50 });
    assert.equal(attr(refund, 'gen_ai.tool.call.id'), 'call_2');

    const chats = byOp(spans, 'chat');
    assert.equal(chats.length, 3, 'one chat span per model call');
    for (const chat of chats) {
      assert.equal(chat.name, 'chat fake-model');
      assert.equal(attr(chat, 'gen_ai.request.model'), 'fake-model');
      assert.equal(attr(chat, 'gen_ai.usage.input_tokens'), 10);
      assert.equal(attr(chat, 'gen_ai.input.messages'), undefined, 'messages are not captured by default');
    }

    // Identity from withAgent/onBehalfOf reaches every span, including the SDK's.
    for (const span of spans) {
      assert.equal(attr(span, 'agentrail.agent.id'), 'support-bot', span.name);
      assert.equal(attr(span, 'agentrail.principal.id'), 'user-7', span.name);
      assert.equal(attr(span, 'agentrail.principal.tenant'), 'acme', span.name);
    }

    // Same tree and same times as the SDK's own spans.
    const otelBySdkId = new Map(spans.map((s) => [String(attr(s, 'openai_agents.span.id')), s]));
    assert.ok(recorder.spans.length >= 6);
    for (const sdk of recorder.spans) {
      const mirrored = otelBySdkId.get(sdk.spanId);
      assert.ok(mirrored, `SDK span ${sdk.spanData.type} ${sdk.spanId} has an OTel copy`);
      assert.equal(hrMs(mirrored.startTime), Date.parse(sdk.startedAt!));
      assert.equal(hrMs(mirrored.endTime), Date.parse(sdk.endedAt!));
      const parent = sdk.parentId ? otelBySdkId.get(sdk.parentId) : roots[0];
      assert.equal(mirrored.parentSpanContext?.spanId, parent?.spanContext().spanId, `parent of ${mirrored.name}`);
    }
  });

  test('handoffs and guardrails become spans; tools after a handoff belong to the new agent', async () => {
    install();
    const model = new FakeAgentsModel([
      handOff('call_h'),
      [callTool('read_invoice', { invoiceId: 'inv-9' }, 'call_3')],
      [say('Your invoice inv-9 is paid.')],
    ]);
    const readInvoice = tool({
      name: 'read_invoice',
      description: 'Read an invoice',
      parameters: z.object({ invoiceId: z.string() }),
      execute: async ({ invoiceId }) => `invoice ${invoiceId}: paid`,
    });
    const billing = new Agent({ name: 'Billing', instructions: 'Answer billing questions.', model, tools: [readInvoice] });
    const noSecrets: InputGuardrail = {
      name: 'no_secrets',
      execute: async () => ({ tripwireTriggered: false, outputInfo: { checked: true } }),
    };
    const triage = new Agent({ name: 'Triage', instructions: 'Route.', model, handoffs: [billing], inputGuardrails: [noSecrets] });

    const result = await run(triage, 'Is invoice inv-9 paid?');
    assert.match(String(result.finalOutput), /paid/);

    const spans = exporter.getFinishedSpans();
    const handoff = byOp(spans, 'handoff');
    assert.equal(handoff.length, 1);
    assert.equal(attr(handoff[0]!, 'openai_agents.handoff.from_agent'), 'Triage');
    assert.equal(attr(handoff[0]!, 'openai_agents.handoff.to_agent'), 'Billing');
    assert.equal(handoff[0]!.name, 'handoff Triage -> Billing');

    const guardrail = byOp(spans, 'guardrail');
    assert.equal(guardrail.length, 1);
    assert.equal(attr(guardrail[0]!, 'openai_agents.guardrail.name'), 'no_secrets');
    assert.equal(attr(guardrail[0]!, 'openai_agents.guardrail.triggered'), false);

    assert.deepEqual(byOp(spans, 'invoke_agent').map((s) => attr(s, 'gen_ai.agent.name')).sort(), ['Billing', 'Triage']);
    const invoice = toolSpan(spans, 'read_invoice');
    assert.equal(attr(invoice, 'gen_ai.agent.name'), 'Billing');
    const billingSpan = byOp(spans, 'invoke_agent').find((s) => attr(s, 'gen_ai.agent.name') === 'Billing')!;
    assert.ok(ancestors(invoice, spans).includes(billingSpan));
  });

  test('a tripped guardrail is recorded and the trace still closes; tool content can be left out', async () => {
    install({ captureToolContent: false });
    const model = new FakeAgentsModel([[say('never reached')]]);
    const blockAll: InputGuardrail = {
      name: 'block_all',
      runInParallel: false,
      execute: async () => ({ tripwireTriggered: true, outputInfo: { reason: 'blocked' } }),
    };
    const agent = new Agent({ name: 'Guarded', instructions: 'x', model, inputGuardrails: [blockAll] });
    await assert.rejects(run(agent, 'hello'), InputGuardrailTripwireTriggered);

    const spans = exporter.getFinishedSpans();
    const guardrail = byOp(spans, 'guardrail');
    assert.equal(guardrail.length, 1);
    assert.equal(attr(guardrail[0]!, 'openai_agents.guardrail.triggered'), true);
    const roots = spans.filter((s) => !s.parentSpanContext);
    assert.equal(roots.length, 1, 'the root span ended although the SDK never ends a failed trace');
    assert.equal(roots[0]!.status.code, SpanStatusCode.ERROR);
    for (const s of spans) assert.equal(attr(s, 'gen_ai.tool.call.arguments'), undefined);
  });

  test('without tool content, arguments and results stay out of the spans; messages only on request', async () => {
    install({ captureToolContent: false, captureMessages: true });
    const model = new FakeAgentsModel([[callTool('lookup_customer', { customerId: 'c-1' }, 'call_1')], [say('ok')]]);
    const agent = new Agent({ name: 'Support', instructions: 'x', model, tools: supportTools([]) });
    await run(agent, 'who is c-1?');
    const lookup = toolSpan(exporter.getFinishedSpans(), 'lookup_customer');
    assert.equal(attr(lookup, 'gen_ai.tool.call.arguments'), undefined);
    assert.equal(attr(lookup, 'gen_ai.tool.call.result'), undefined);
    assert.equal(attr(lookup, 'gen_ai.tool.name'), 'lookup_customer');
    const firstChat = byOp(exporter.getFinishedSpans(), 'chat')[0]!;
    const output = JSON.parse(String(attr(firstChat, 'gen_ai.output.messages'))) as { type: string; name?: string }[];
    assert.deepEqual(output.map((o) => [o.type, o.name]), [['function_call', 'lookup_customer']]);
  });

  test('a run inside an active OTel span nests under it', async () => {
    install();
    const model = new FakeAgentsModel([[say('hi')]]);
    const agent = new Agent({ name: 'Greeter', instructions: 'x', model });
    const outer = provider.getTracer('test').startSpan('http POST /chat');
    await context.with(otelTrace.setSpan(context.active(), outer), () => run(agent, 'hi'));
    outer.end();
    const spans = exporter.getFinishedSpans();
    const outerSpan = spans.find((s) => s.name === 'http POST /chat')!;
    const workflow = spans.find((s) => attr(s, 'openai_agents.span.type') === undefined && s !== outerSpan)!;
    assert.equal(workflow.parentSpanContext?.spanId, outerSpan.spanContext().spanId);
    assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 1);
  });

  test('shutdown ends spans the SDK left open, and is idempotent', async () => {
    const processor = new OpenAIAgentsOtelProcessor({ tracerProvider: provider });
    const sdkTrace = new AgentsTrace({ name: 'abandoned run' }, processor);
    await sdkTrace.start();
    const open = new AgentsSpan({ traceId: sdkTrace.traceId, data: { type: 'custom', name: 'long task', data: { step: 1 } } }, processor);
    open.start();
    await processor.shutdown();
    await processor.shutdown();
    const names = exporter.getFinishedSpans().map((s) => s.name).sort();
    assert.deepEqual(names, ['abandoned run', 'long task']);
    const custom = exporter.getFinishedSpans().find((s) => s.name === 'long task')!;
    assert.equal(attr(custom, 'openai_agents.custom.data'), '{"step":1}');
    // After shutdown nothing new is started.
    const late = new AgentsSpan({ traceId: sdkTrace.traceId, data: { type: 'custom', name: 'late', data: {} } }, processor);
    late.start();
    late.end();
    assert.equal(exporter.getFinishedSpans().length, 2);
  });

  test('auditExecute puts decisions, call id and resource on the tool span, and nests inner spans under it', async () => {
    install();
    let innerParent: string | undefined;
    const refund = tool({
      name: 'refund',
      description: 'Refund an order',
      parameters: z.object({ orderId: z.string(), amount: z.number() }),
      execute: auditExecute(
        async ({ orderId, amount }) => {
          recordAuthorization({ decision: amount > 20 ? 'deny' : 'allow', policyId: 'refunds', policyVersion: '3' });
          const inner = provider.getTracer('payments').startSpan(`POST /refunds/${orderId}`);
          innerParent = (inner as unknown as ReadableSpan).parentSpanContext?.spanId;
          inner.end();
          if (amount > 20) throw new RangeError('over the limit');
          return 'refunded';
        },
        { kind: 'write', risk: 'high', resource: ({ orderId }) => ({ type: 'order', id: orderId }) },
      ),
    });
    const notify = tool({
      name: 'notify',
      description: 'Message the customer',
      parameters: z.object({ text: z.string() }),
      execute: auditExecute(async (input) => {
        recordApproval({ status: 'approved', approverId: 'lead-1', args: input });
        return 'sent';
      }, { kind: 'send', risk: 'high' }),
    });
    const model = new FakeAgentsModel([
      [callTool('refund', { orderId: 'o-5', amount: 80 }, 'call_9')],
      [callTool('notify', { text: 'We will call you back.' }, 'call_10')],
      [say('escalated')],
    ]);
    const agent = new Agent({ name: 'Support', instructions: 'x', model, tools: [refund, notify] });
    await withAgent({ id: 'support-bot', name: 'Support Bot' }, () =>
      onBehalfOf({ id: 'user-9', type: 'user' }, () => new Runner({ groupId: 'conv-9' }).run(agent, 'refund o-5')),
    );

    const spans = exporter.getFinishedSpans();
    const refundSpan = toolSpan(spans, 'refund');
    assert.equal(innerParent, refundSpan.spanContext().spanId, 'spans started in the tool nest under it');
    assert.equal(attr(refundSpan, 'gen_ai.tool.call.id'), 'call_9');
    assert.equal(attr(refundSpan, 'gen_ai.conversation.id'), 'conv-9', 'the SDK group id marks every span');
    assert.equal(attr(refundSpan, 'agentrail.authz.decision'), 'deny');
    assert.equal(attr(refundSpan, 'agentrail.resource.id'), 'o-5');
    assert.equal(refundSpan.status.code, SpanStatusCode.ERROR);
    assert.equal(attr(refundSpan, 'error.type'), 'RangeError', 'the thrown error class, not a generic type');
    const notifySpan = toolSpan(spans, 'notify');
    assert.equal(attr(notifySpan, 'agentrail.approval.status'), 'approved');
    assert.equal(attr(notifySpan, 'gen_ai.tool.call.id'), 'call_10');
    // Nothing leaked onto the enclosing agent span.
    const agentSpan = byOp(spans, 'invoke_agent')[0]!;
    assert.equal(attr(agentSpan, 'agentrail.authz.decision'), undefined);

    // What the audit pipeline reads from it.
    const view: SpanView = {
      name: refundSpan.name,
      kind: refundSpan.kind + 1,
      attributes: refundSpan.attributes as SpanView['attributes'],
      resource: refundSpan.resource.attributes as SpanView['resource'],
      status: { code: refundSpan.status.code as 0 | 1 | 2 },
    };
    const action = normalizeSpan(view);
    assert.ok(action);
    assert.equal(action.operation, 'execute_tool');
    assert.equal(action.tool?.name, 'refund');
    assert.equal(action.tool?.callId, 'call_9');
    assert.equal(action.agent.id, 'support-bot');
    assert.equal(action.principal?.id, 'user-9');
    assert.equal(action.authorization?.decision, 'deny');
    assert.equal(action.risk, 'high');
    assert.equal(action.session?.conversationId, 'conv-9');
  });

  test('installOpenAIAgentsTracing replaces the default processors and re-enables tracing', async () => {
    setTracingDisabled(true);
    const processor = installOpenAIAgentsTracing({ tracerProvider: provider });
    const model = new FakeAgentsModel([[say('hi')]]);
    await run(new Agent({ name: 'Greeter', instructions: 'x', model }), 'hi');
    await processor.forceFlush();
    assert.equal(byOp(exporter.getFinishedSpans(), 'invoke_agent').length, 1);
    assert.equal(recorder.spans.length, 0, 'other processors were replaced');
  });
});
