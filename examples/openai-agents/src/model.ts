// A scripted stand-in for the LLM behind the Agents SDK (no network, no API key). It implements
// the SDK's `Model` interface, reads the tool results in its input the way a real model would,
// and records a `generation` span like the SDK's own OpenAI models do.
import { Usage, withGenerationSpan, type AgentInputItem, type AgentOutputItem, type Model, type ModelRequest, type ModelResponse } from '@openai/agents-core';
import type { StreamEvent } from '@openai/agents-core/types';
import type { Ticket } from '@agentrail/example-support-agent';

export const SCRIPTED_MODEL_NAME = 'support-script-1';

let callCounter = 0;
function callTool(name: string, args: unknown): AgentOutputItem {
  callCounter += 1;
  const callId = `call_${callCounter.toString().padStart(4, '0')}`;
  return { type: 'function_call', id: callId, callId, name, status: 'completed', arguments: JSON.stringify(args) };
}

function say(text: string): AgentOutputItem {
  return { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] };
}

function textOf(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map(textOf).join('');
  const part = output as { type?: unknown; text?: unknown } | null;
  return part && (part.type === 'text' || part.type === 'input_text') && typeof part.text === 'string' ? part.text : '';
}

// Tool outputs so far, by tool name (text; the SDK stringifies results and error messages).
function toolOutputs(input: ModelRequest['input']): Map<string, string> {
  const outputs = new Map<string, string>();
  if (typeof input === 'string') return outputs;
  for (const item of input as AgentInputItem[]) {
    if (item.type !== 'function_call_result') continue;
    outputs.set(item.name, textOf(item.output));
  }
  return outputs;
}

// The SDK hands a failed tool's error message to the model instead of a result.
const failed = (output: string | undefined) => output !== undefined && /error|failed|exceeds|rejected/i.test(output);

/** The same script as the AI SDK example: look up, read, try to refund, email, summarise. */
export class ScriptedSupportModel implements Model {
  constructor(private readonly ticket: Ticket) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    return withGenerationSpan(
      async (span) => {
        const output = [this.#next(toolOutputs(request.input))];
        span.spanData.output = output as Array<Record<string, unknown>>;
        span.spanData.usage = { input_tokens: 120, output_tokens: 30 };
        return { usage: new Usage({ requests: 1, inputTokens: 120, outputTokens: 30, totalTokens: 150 }), output };
      },
      { data: { model: SCRIPTED_MODEL_NAME, model_config: {} } },
    );
  }

  getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('the scripted model does not stream; call run() without { stream: true }');
  }

  #next(done: Map<string, string>): AgentOutputItem {
    const { ticket } = this;
    if (!done.has('lookup_customer')) return callTool('lookup_customer', { customerId: ticket.customerId });
    if (!done.has('read_order')) return callTool('read_order', { orderId: ticket.orderId });
    let total = 0;
    try {
      const order = JSON.parse(done.get('read_order') ?? '{}') as { total?: unknown };
      if (typeof order.total === 'number') total = order.total;
    } catch {
      // an unreadable order: refund nothing
    }
    if (!done.has('refund')) {
      return callTool('refund', { orderId: ticket.orderId, amount: total, reason: 'Customer reports the loom arrived damaged' });
    }
    const refused = failed(done.get('refund'));
    if (!done.has('send_email')) {
      const body = refused
        ? `Dear customer, we are sorry your order ${ticket.orderId} arrived damaged. ` +
          `A refund of ${total} EUR needs a supervisor's sign-off; you will hear from us within one business day.`
        : `Dear customer, we have refunded ${total} EUR for order ${ticket.orderId} to your original payment method.`;
      return callTool('send_email', { customerId: ticket.customerId, subject: `About your order ${ticket.orderId}`, body });
    }
    const emailed = !failed(done.get('send_email'));
    return say(
      refused
        ? `The refund of ${total} EUR was above my limit, so I escalated it to a supervisor` +
            (emailed ? ' and emailed the customer.' : '; the email could not be sent.')
        : `Refunded ${total} EUR` + (emailed ? ' and emailed the customer.' : '; the email could not be sent.'),
    );
  }
}
