// The Agents SDK's function spans do not carry the model's tool-call id; the model spans before
// them do (in their output). This pairs them up, so a tool call's record names its call id
// even without `auditExecute`.

export interface PendingCall {
  name: string;
  args: string;
  callId: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function fromItem(item: unknown): PendingCall | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  // Agents SDK protocol item, and Responses API item (`call_id`).
  if (o.type === 'function_call') {
    const name = str(o.name);
    const callId = str(o.callId) ?? str(o.call_id);
    if (name && callId) return { name, callId, args: typeof o.arguments === 'string' ? o.arguments : '' };
  }
  return undefined;
}

/**
 * Tool calls in a generation's `output` (SDK items, or Chat Completions messages with
 * `tool_calls`) or a response span's `_response.output` (Responses API items).
 */
export function toolCallsIn(output: unknown): PendingCall[] {
  const calls: PendingCall[] = [];
  const items = Array.isArray(output) ? output : [];
  for (const item of items) {
    const direct = fromItem(item);
    if (direct) {
      calls.push(direct);
      continue;
    }
    const toolCalls = (item as { tool_calls?: unknown } | null)?.tool_calls;
    if (!Array.isArray(toolCalls)) continue;
    for (const tc of toolCalls) {
      const t = tc as { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
      const name = str(t?.function?.name);
      const callId = str(t?.id);
      if (name && callId) calls.push({ name, callId, args: typeof t?.function?.arguments === 'string' ? t.function.arguments : '' });
    }
  }
  return calls;
}

/** Takes the pending call that matches a function span: same name, same arguments if known. */
export function takeMatchingCall(pending: PendingCall[], name: string, args: string | undefined): string | undefined {
  let at = args ? pending.findIndex((c) => c.name === name && c.args === args) : -1;
  if (at < 0) at = pending.findIndex((c) => c.name === name);
  if (at < 0) return undefined;
  return pending.splice(at, 1)[0]!.callId;
}
