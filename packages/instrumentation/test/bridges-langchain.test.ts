// LangChain.js through OpenInference, offline: a fake chat model scripted to call real LangChain
// tools in a small tool loop. The tool runs must come out as spans the agentrail semconv adapter
// reads as `execute_tool` actions, attributed to the agent from `withAgent`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { RunnableLambda, type RunnableConfig } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ChatResult } from '@langchain/core/outputs';
import { z } from 'zod';
import { fromReadableSpan } from '@agentrail/core';
import { normalizeSpan } from '@agentrail/semconv';
import { AgentContextSpanProcessor, onBehalfOf, withAgent } from '@agentrail/instrumentation';
import { instrumentLangChain, type LangChainInstrumentationHandle } from '@agentrail/instrumentation/langchain';

const contextManager = new AsyncLocalStorageContextManager();
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  spanProcessors: [new AgentContextSpanProcessor(), new SimpleSpanProcessor(exporter)],
});
let handle: LangChainInstrumentationHandle;

before(() => {
  context.setGlobalContextManager(contextManager.enable());
  handle = instrumentLangChain({ tracerProvider: provider });
});
after(() => {
  handle.uninstrument();
  context.disable();
});

const attr = (s: ReadableSpan, k: string): Attributes[string] => s.attributes[k];

// LangChain's own fakes replay text, not a sequence of tool calls; this one replays a script.
class ScriptedChatModel extends BaseChatModel {
  readonly #replies: AIMessage[];
  constructor(replies: readonly AIMessage[]) {
    super({});
    this.#replies = [...replies];
  }
  _llmType(): string {
    return 'scripted';
  }
  async _generate(): Promise<ChatResult> {
    const message = this.#replies.shift();
    if (!message) throw new Error('scripted chat model: no reply left');
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}

const lookupOrder = tool(async ({ orderId }: { orderId: string }) => JSON.stringify({ orderId, status: 'shipped' }), {
  name: 'lookup_order',
  description: 'Read an order',
  schema: z.object({ orderId: z.string() }),
});
const cancelOrder = tool(
  async ({ orderId }: { orderId: string }): Promise<string> => {
    throw new Error(`order ${orderId} already shipped`);
  },
  { name: 'cancel_order', description: 'Cancel an order', schema: z.object({ orderId: z.string() }) },
);
const tools = { lookup_order: lookupOrder, cancel_order: cancelOrder } as const;

// The smallest agent loop: ask the model, run the tools it asks for, feed results back.
// Passing `config` down makes the model and tool runs children of the agent run.
const supportAgent = RunnableLambda.from(async (question: string, config?: RunnableConfig): Promise<string> => {
  const model = new ScriptedChatModel([
    new AIMessage({ content: '', tool_calls: [{ id: 'lc-1', name: 'lookup_order', args: { orderId: 'o-9' } }] }),
    new AIMessage({ content: '', tool_calls: [{ id: 'lc-2', name: 'cancel_order', args: { orderId: 'o-9' } }] }),
    new AIMessage('Order o-9 has shipped and cannot be cancelled.'),
  ]);
  const messages: BaseMessage[] = [new HumanMessage(question)];
  for (let turn = 0; turn < 5; turn++) {
    const reply = await model.invoke(messages, config);
    messages.push(reply);
    if (!reply.tool_calls?.length) return String(reply.content);
    for (const call of reply.tool_calls) {
      const selected = tools[call.name as keyof typeof tools];
      try {
        messages.push(await selected.invoke({ ...call, type: 'tool_call' }, config));
      } catch (err) {
        messages.push(new ToolMessage({ tool_call_id: call.id ?? '', content: `error: ${(err as Error).message}` }));
      }
    }
  }
  throw new Error('too many turns');
}).withConfig({ runName: 'support_agent' });

describe('instrumentLangChain (OpenInference)', () => {
  test('tool runs become spans the semconv adapter reads as execute_tool with the agent identity', async () => {
    const answer = await withAgent({ id: 'lc-support', name: 'LangChain Support' }, () =>
      onBehalfOf({ id: 'user-3', type: 'user' }, () => supportAgent.invoke('Cancel order o-9')),
    );
    assert.match(answer, /cannot be cancelled/);

    const spans = exporter.getFinishedSpans();
    assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 1, 'one trace');
    const toolSpans = spans.filter((s) => attr(s, 'openinference.span.kind') === 'TOOL');
    assert.deepEqual(toolSpans.map((s) => attr(s, 'tool.name')).sort(), ['cancel_order', 'lookup_order']);
    const llmSpans = spans.filter((s) => attr(s, 'openinference.span.kind') === 'LLM');
    assert.equal(llmSpans.length, 3);

    const cancel = toolSpans.find((s) => attr(s, 'tool.name') === 'cancel_order')!;
    assert.equal(cancel.status.code, SpanStatusCode.ERROR);

    for (const span of toolSpans) {
      const action = normalizeSpan(fromReadableSpan(span));
      assert.ok(action, `${span.name} is an agent action`);
      assert.equal(action.operation, 'execute_tool');
      assert.equal(action.tool?.name, attr(span, 'tool.name'));
      assert.equal(action.agent.id, 'lc-support');
      assert.equal(action.principal?.id, 'user-3');
    }
  });

  test('after uninstrument, LangChain runs emit no spans', async () => {
    const second = instrumentLangChain({ tracerProvider: provider });
    second.uninstrument();
    exporter.reset();
    await lookupOrder.invoke({ orderId: 'o-1' });
    assert.equal(exporter.getFinishedSpans().length, 0);
    // Restore for any later test in this file.
    handle = instrumentLangChain({ tracerProvider: provider });
  });
});
