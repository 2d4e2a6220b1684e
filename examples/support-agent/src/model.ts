// A scripted stand-in for the LLM (no network, no API key): the AI SDK's own mock model, driven
// by a script that reads the tool results in the prompt the way a real model would.
import { MockLanguageModelV3 } from 'ai/test';

type CallOptions = Parameters<MockLanguageModelV3['doGenerate']>[0];
type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type ToolOutput = { type: string; value?: unknown };

export interface Ticket {
  id: string;
  customerId: string;
  orderId: string;
  message: string;
}

const usage = {
  inputTokens: { total: 120, noCache: 120, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 30, text: 30, reasoning: 0 },
};

let callCounter = 0;
function toolCall(toolName: string, input: unknown): GenerateResult {
  callCounter += 1;
  return {
    content: [{ type: 'tool-call', toolCallId: `call_${callCounter.toString().padStart(4, '0')}`, toolName, input: JSON.stringify(input) }],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage,
    warnings: [],
  };
}

function reply(text: string): GenerateResult {
  return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] };
}

// Tool results so far, by tool name (the last one wins).
function toolResults(prompt: CallOptions['prompt']): Map<string, ToolOutput> {
  const results = new Map<string, ToolOutput>();
  for (const message of prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result') results.set(part.toolName, part.output as ToolOutput);
    }
  }
  return results;
}

const isError = (o: ToolOutput | undefined) => o !== undefined && o.type.startsWith('error');

/**
 * The support script: look up the customer, read the order, try to refund it in full, then
 * email the customer — a confirmation if the refund went through, an escalation notice if the
 * policy refused it — and summarise.
 */
export function scriptedSupportModel(ticket: Ticket): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'scripted',
    modelId: 'support-script-1',
    doGenerate: async (options: CallOptions) => {
      const done = toolResults(options.prompt);
      if (!done.has('lookup_customer')) return toolCall('lookup_customer', { customerId: ticket.customerId });
      if (!done.has('read_order')) return toolCall('read_order', { orderId: ticket.orderId });
      const order = done.get('read_order')?.value as { total?: number } | undefined;
      const total = typeof order?.total === 'number' ? order.total : 0;
      if (!done.has('refund')) {
        return toolCall('refund', { orderId: ticket.orderId, amount: total, reason: 'Customer reports the loom arrived damaged' });
      }
      const refused = isError(done.get('refund'));
      if (!done.has('send_email')) {
        const body = refused
          ? `Dear customer, we are sorry your order ${ticket.orderId} arrived damaged. ` +
            `A refund of ${total} EUR needs a supervisor's sign-off; you will hear from us within one business day.`
          : `Dear customer, we have refunded ${total} EUR for order ${ticket.orderId} to your original payment method.`;
        return toolCall('send_email', { customerId: ticket.customerId, subject: `About your order ${ticket.orderId}`, body });
      }
      const emailed = !isError(done.get('send_email'));
      return reply(
        refused
          ? `The refund of ${total} EUR was above my limit, so I escalated it to a supervisor` +
              (emailed ? ' and emailed the customer.' : '; the email could not be sent.')
          : `Refunded ${total} EUR` + (emailed ? ' and emailed the customer.' : '; the email could not be sent.'),
      );
    },
  });
}
