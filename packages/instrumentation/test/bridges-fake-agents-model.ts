// A scripted `Model` for the OpenAI Agents SDK: no network. Each call answers with the next
// scripted turn and, like the SDK's real OpenAI models, records a `generation` span.
import { Usage, withGenerationSpan, type AgentOutputItem, type Model, type ModelRequest, type ModelResponse } from '@openai/agents-core';
import type { StreamEvent } from '@openai/agents-core/types';

export type ScriptedTurn = (request: ModelRequest) => AgentOutputItem[];

export function callTool(name: string, args: unknown, callId: string): AgentOutputItem {
  return { type: 'function_call', name, callId, id: callId, status: 'completed', arguments: JSON.stringify(args) };
}

export function say(text: string): AgentOutputItem {
  return { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] };
}

/** Hands off to the request's first handoff target (the SDK names the tool `transfer_to_<agent>`). */
export function handOff(callId: string): ScriptedTurn {
  return (request) => {
    const target = request.handoffs[0];
    if (!target) throw new Error('scripted handoff, but the agent has no handoffs');
    return [callTool(target.toolName, {}, callId)];
  };
}

export class FakeAgentsModel implements Model {
  readonly requests: ModelRequest[] = [];
  readonly #turns: ScriptedTurn[];

  constructor(
    turns: readonly (ScriptedTurn | AgentOutputItem[])[],
    readonly modelName = 'fake-model',
  ) {
    this.#turns = turns.map((t) => (typeof t === 'function' ? t : () => t));
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const turn = this.#turns.shift();
    if (!turn) throw new Error(`fake model: no scripted turn left for call ${this.requests.length}`);
    return withGenerationSpan(
      async (span) => {
        const output = turn(request);
        span.spanData.output = output as Array<Record<string, unknown>>;
        span.spanData.usage = { input_tokens: 10, output_tokens: 5 };
        return { usage: new Usage({ requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 }), output };
      },
      { data: { model: this.modelName, model_config: {} } },
    );
  }

  // The tests and examples run non-streamed; streaming is not scripted.
  getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('fake model: streaming is not scripted');
  }
}
