// OpenLLMetry (Traceloop) conventions. Values equal those of @traceloop/ai-semantic-conventions;
// a test proves it.

export const ATTR_TRACELOOP_SPAN_KIND = 'traceloop.span.kind' as const;
export const ATTR_TRACELOOP_ENTITY_NAME = 'traceloop.entity.name' as const;
export const ATTR_TRACELOOP_ENTITY_VERSION = 'traceloop.entity.version' as const;
export const ATTR_TRACELOOP_ENTITY_PATH = 'traceloop.entity.path' as const;
export const ATTR_TRACELOOP_ENTITY_INPUT = 'traceloop.entity.input' as const;
export const ATTR_TRACELOOP_ENTITY_OUTPUT = 'traceloop.entity.output' as const;
export const ATTR_TRACELOOP_WORKFLOW_NAME = 'traceloop.workflow.name' as const;
/** Prefix of user-supplied association properties (`user_id`, `session_id`, ...). */
export const ATTR_TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX = 'traceloop.association.properties.' as const;
export const ATTR_LLM_REQUEST_TYPE = 'llm.request.type' as const;

export const TRACELOOP_SPAN_KIND_VALUE_WORKFLOW = 'workflow' as const;
export const TRACELOOP_SPAN_KIND_VALUE_TASK = 'task' as const;
export const TRACELOOP_SPAN_KIND_VALUE_AGENT = 'agent' as const;
export const TRACELOOP_SPAN_KIND_VALUE_TOOL = 'tool' as const;
