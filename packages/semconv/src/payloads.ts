// Which attributes carry payloads (prompts, messages, tool arguments and results, documents).
// Payloads never enter the ledger raw: @agentrail/core replaces them with salted commitments.
import {
  ATTR_GEN_AI_COMPLETION, ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES, ATTR_GEN_AI_PROMPT,
  ATTR_GEN_AI_RETRIEVAL_DOCUMENTS, ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT, ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, ATTR_GEN_AI_TOOL_CALL_RESULT,
} from './attributes/genai.js';
import {
  ATTR_AI_EMBEDDING, ATTR_AI_EMBEDDINGS, ATTR_AI_PROMPT, ATTR_AI_PROMPT_MESSAGES, ATTR_AI_RESPONSE_OBJECT,
  ATTR_AI_RESPONSE_REASONING, ATTR_AI_RESPONSE_TEXT, ATTR_AI_RESPONSE_TOOL_CALLS, ATTR_AI_TOOL_CALL_ARGS,
  ATTR_AI_TOOL_CALL_INPUT, ATTR_AI_TOOL_CALL_OUTPUT, ATTR_AI_TOOL_CALL_RESULT,
  ATTR_AI_VALUE, ATTR_AI_VALUES,
} from './attributes/vercel-ai.js';
import {
  ATTR_OPENINFERENCE_INPUT_VALUE, ATTR_OPENINFERENCE_OUTPUT_VALUE,
  ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS,
} from './attributes/openinference.js';
import { ATTR_TRACELOOP_ENTITY_INPUT, ATTR_TRACELOOP_ENTITY_OUTPUT } from './attributes/openllmetry.js';
import { ATTR_GEN_AI_EVENT_CONTENT, ATTR_GEN_AI_EXECUTION_PAYLOAD } from './attributes/agent365.js';

export type PayloadRole = 'input' | 'output';

const EXACT = new Map<string, PayloadRole>([
  [ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, 'input'],
  [ATTR_GEN_AI_INPUT_MESSAGES, 'input'],
  [ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, 'input'],
  [ATTR_GEN_AI_PROMPT, 'input'],
  [ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT, 'input'],
  [ATTR_GEN_AI_EXECUTION_PAYLOAD, 'input'],
  [ATTR_AI_PROMPT, 'input'],
  [ATTR_AI_PROMPT_MESSAGES, 'input'],
  [ATTR_AI_TOOL_CALL_ARGS, 'input'],
  [ATTR_AI_TOOL_CALL_INPUT, 'input'],
  [ATTR_AI_VALUE, 'input'],
  [ATTR_AI_VALUES, 'input'],
  [ATTR_OPENINFERENCE_INPUT_VALUE, 'input'],
  [ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS, 'input'],
  [ATTR_TRACELOOP_ENTITY_INPUT, 'input'],
  [ATTR_GEN_AI_TOOL_CALL_RESULT, 'output'],
  [ATTR_GEN_AI_OUTPUT_MESSAGES, 'output'],
  [ATTR_GEN_AI_COMPLETION, 'output'],
  [ATTR_GEN_AI_RETRIEVAL_DOCUMENTS, 'output'],
  [ATTR_GEN_AI_EVENT_CONTENT, 'output'],
  [ATTR_AI_RESPONSE_TEXT, 'output'],
  [ATTR_AI_RESPONSE_TOOL_CALLS, 'output'],
  [ATTR_AI_RESPONSE_OBJECT, 'output'],
  [ATTR_AI_RESPONSE_REASONING, 'output'],
  [ATTR_AI_TOOL_CALL_RESULT, 'output'],
  [ATTR_AI_TOOL_CALL_OUTPUT, 'output'],
  [ATTR_AI_EMBEDDING, 'output'],
  [ATTR_AI_EMBEDDINGS, 'output'],
  [ATTR_OPENINFERENCE_OUTPUT_VALUE, 'output'],
  [ATTR_TRACELOOP_ENTITY_OUTPUT, 'output'],
]);

// Flattened message lists: OpenInference `llm.input_messages.0.message.content`, OpenLLMetry
// `gen_ai.prompt.0.content`, and friends.
const PREFIXES: ReadonlyArray<readonly [string, PayloadRole]> = [
  ['llm.input_messages.', 'input'],
  ['gen_ai.prompt.', 'input'],
  ['llm.prompts.', 'input'],
  ['llm.output_messages.', 'output'],
  ['gen_ai.completion.', 'output'],
  ['retrieval.documents.', 'output'],
  ['embedding.embeddings.', 'output'],
];

// Attribute names repeat from span to span: each name's role is worked out once and remembered,
// so the common case is one map lookup. Bounded, since senders choose the names.
const ROLE_CACHE_LIMIT = 4096;
const roleCache = new Map<string, PayloadRole | null>();

/**
 * The payload role of an attribute key, or null when it is not a payload.
 * `gen_ai.prompt.name` (an MCP prompt's name) is not a payload.
 */
export function payloadRole(key: string): PayloadRole | null {
  const hit = roleCache.get(key);
  if (hit !== undefined) return hit;
  const role = computeRole(key);
  if (roleCache.size >= ROLE_CACHE_LIMIT) roleCache.clear();
  roleCache.set(key, role);
  return role;
}

function computeRole(key: string): PayloadRole | null {
  const exact = EXACT.get(key);
  if (exact !== undefined) return exact;
  if (key === 'gen_ai.prompt.name') return null;
  for (const [prefix, role] of PREFIXES) if (key.startsWith(prefix)) return role;
  return null;
}

/** Keys that may hold a tool call's arguments, in precedence order. */
export const TOOL_ARGUMENT_KEYS: readonly string[] = [
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_AI_TOOL_CALL_ARGS,
  ATTR_AI_TOOL_CALL_INPUT,
  ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS,
];
