// OpenInference semantic conventions (Arize). Values equal those of
// @arizeai/openinference-semantic-conventions; a test proves it.

export const ATTR_OPENINFERENCE_SPAN_KIND = 'openinference.span.kind' as const;
export const ATTR_OPENINFERENCE_TOOL_NAME = 'tool.name' as const;
export const ATTR_OPENINFERENCE_TOOL_CALL_ID = 'tool_call.id' as const;
export const ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_NAME = 'tool_call.function.name' as const;
export const ATTR_OPENINFERENCE_TOOL_CALL_FUNCTION_ARGUMENTS = 'tool_call.function.arguments' as const;
export const ATTR_OPENINFERENCE_INPUT_VALUE = 'input.value' as const;
export const ATTR_OPENINFERENCE_OUTPUT_VALUE = 'output.value' as const;
export const ATTR_OPENINFERENCE_LLM_MODEL_NAME = 'llm.model_name' as const;
export const ATTR_OPENINFERENCE_LLM_PROVIDER = 'llm.provider' as const;
export const ATTR_OPENINFERENCE_LLM_SYSTEM = 'llm.system' as const;
export const ATTR_OPENINFERENCE_LLM_INPUT_MESSAGES = 'llm.input_messages' as const;
export const ATTR_OPENINFERENCE_LLM_OUTPUT_MESSAGES = 'llm.output_messages' as const;
export const ATTR_OPENINFERENCE_RETRIEVAL_DOCUMENTS = 'retrieval.documents' as const;
export const ATTR_OPENINFERENCE_EMBEDDING_EMBEDDINGS = 'embedding.embeddings' as const;
export const ATTR_OPENINFERENCE_USER_ID = 'user.id' as const;
export const ATTR_OPENINFERENCE_SESSION_ID = 'session.id' as const;
export const ATTR_OPENINFERENCE_AGENT_NAME = 'agent.name' as const;

export const OPENINFERENCE_SPAN_KIND_VALUE_AGENT = 'AGENT' as const;
export const OPENINFERENCE_SPAN_KIND_VALUE_TOOL = 'TOOL' as const;
export const OPENINFERENCE_SPAN_KIND_VALUE_LLM = 'LLM' as const;
export const OPENINFERENCE_SPAN_KIND_VALUE_EMBEDDING = 'EMBEDDING' as const;
export const OPENINFERENCE_SPAN_KIND_VALUE_RETRIEVER = 'RETRIEVER' as const;
export const OPENINFERENCE_SPAN_KIND_VALUE_RERANKER = 'RERANKER' as const;
export const OPENINFERENCE_SPAN_KIND_VALUE_CHAIN = 'CHAIN' as const;
