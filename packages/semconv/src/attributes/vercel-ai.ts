// Vercel AI SDK telemetry attributes (`experimental_telemetry`, v5/v6 `ai.*` names).
// v7 emits OpenTelemetry GenAI `gen_ai.*` names, read by the GenAI adapter.

export const ATTR_AI_OPERATION_ID = 'ai.operationId' as const;
export const ATTR_AI_MODEL_ID = 'ai.model.id' as const;
export const ATTR_AI_MODEL_PROVIDER = 'ai.model.provider' as const;
export const ATTR_AI_TELEMETRY_FUNCTION_ID = 'ai.telemetry.functionId' as const;
/** Prefix of `experimental_telemetry.metadata` entries. */
export const ATTR_AI_TELEMETRY_METADATA_PREFIX = 'ai.telemetry.metadata.' as const;
export const ATTR_AI_TOOL_CALL_NAME = 'ai.toolCall.name' as const;
export const ATTR_AI_TOOL_CALL_ID = 'ai.toolCall.id' as const;
export const ATTR_AI_TOOL_CALL_ARGS = 'ai.toolCall.args' as const;
export const ATTR_AI_TOOL_CALL_RESULT = 'ai.toolCall.result' as const;
/** The tool call's arguments under the name some AI SDK versions use instead of `ai.toolCall.args`. */
export const ATTR_AI_TOOL_CALL_INPUT = 'ai.toolCall.input' as const;
/** The tool call's result under the name some AI SDK versions use instead of `ai.toolCall.result`. */
export const ATTR_AI_TOOL_CALL_OUTPUT = 'ai.toolCall.output' as const;
export const ATTR_AI_PROMPT = 'ai.prompt' as const;
export const ATTR_AI_PROMPT_MESSAGES = 'ai.prompt.messages' as const;
export const ATTR_AI_PROMPT_TOOLS = 'ai.prompt.tools' as const;
export const ATTR_AI_RESPONSE_TEXT = 'ai.response.text' as const;
export const ATTR_AI_RESPONSE_TOOL_CALLS = 'ai.response.toolCalls' as const;
export const ATTR_AI_RESPONSE_OBJECT = 'ai.response.object' as const;
export const ATTR_AI_RESPONSE_REASONING = 'ai.response.reasoning' as const;
export const ATTR_AI_VALUE = 'ai.value' as const;
export const ATTR_AI_VALUES = 'ai.values' as const;
export const ATTR_AI_EMBEDDING = 'ai.embedding' as const;
export const ATTR_AI_EMBEDDINGS = 'ai.embeddings' as const;
