// Maps one OpenAI Agents SDK span (its `spanData`) to an OpenTelemetry span name and attributes
// following the OTel GenAI conventions, so the agentrail adapters read it like any other agent.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { SpanData } from '@openai/agents-core';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
} from '@agentrail/semconv';
import { toJsonText } from '../../json.js';

// Bridge-specific attributes: what the Agents SDK knows that no convention names.
export const ATTR_OPENAI_AGENTS_SPAN_TYPE = 'openai_agents.span.type' as const;
export const ATTR_OPENAI_AGENTS_TRACE_ID = 'openai_agents.trace.id' as const;
export const ATTR_OPENAI_AGENTS_SPAN_ID = 'openai_agents.span.id' as const;
export const ATTR_OPENAI_AGENTS_GROUP_ID = 'openai_agents.group.id' as const;
export const ATTR_OPENAI_AGENTS_AGENT_TOOLS = 'openai_agents.agent.tools' as const;
export const ATTR_OPENAI_AGENTS_AGENT_HANDOFFS = 'openai_agents.agent.handoffs' as const;
export const ATTR_OPENAI_AGENTS_AGENT_OUTPUT_TYPE = 'openai_agents.agent.output_type' as const;
export const ATTR_OPENAI_AGENTS_HANDOFF_FROM = 'openai_agents.handoff.from_agent' as const;
export const ATTR_OPENAI_AGENTS_HANDOFF_TO = 'openai_agents.handoff.to_agent' as const;
export const ATTR_OPENAI_AGENTS_GUARDRAIL_NAME = 'openai_agents.guardrail.name' as const;
export const ATTR_OPENAI_AGENTS_GUARDRAIL_TRIGGERED = 'openai_agents.guardrail.triggered' as const;
export const ATTR_OPENAI_AGENTS_MCP_DATA = 'openai_agents.function.mcp_data' as const;
export const ATTR_OPENAI_AGENTS_TURN = 'openai_agents.turn' as const;
export const ATTR_OPENAI_AGENTS_CUSTOM_DATA = 'openai_agents.custom.data' as const;

/** Operation names the bridge uses for Agents SDK steps that have no GenAI operation. */
export const OPENAI_AGENTS_OPERATION_HANDOFF = 'handoff' as const;
export const OPENAI_AGENTS_OPERATION_GUARDRAIL = 'guardrail' as const;

export interface MappingOptions {
  /** Record tool arguments and results (committed, not stored raw, by the agentrail pipeline). */
  captureToolContent: boolean;
  /** Record model input and output messages on `chat` spans. */
  captureMessages: boolean;
}

export interface MappedSpan {
  name: string;
  attributes: Attributes;
  /** The agent this span belongs to, for `gen_ai.agent.name` on its descendants. */
  agentName: string | undefined;
}

function put(attrs: Attributes, key: string, value: AttributeValue | undefined | null): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string' && value.length === 0) return;
  attrs[key] = value;
}

/**
 * Name and attributes for `data`. `inheritedAgent` is the nearest enclosing agent's name; it is
 * stamped on tool and model spans so each tool call says which agent made it.
 */
export function mapSpanData(data: SpanData, inheritedAgent: string | undefined, options: MappingOptions): MappedSpan {
  const attrs: Attributes = { [ATTR_OPENAI_AGENTS_SPAN_TYPE]: data.type };
  switch (data.type) {
    case 'agent': {
      attrs[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT;
      put(attrs, ATTR_GEN_AI_AGENT_NAME, data.name);
      if (data.tools) attrs[ATTR_OPENAI_AGENTS_AGENT_TOOLS] = [...data.tools];
      if (data.handoffs) attrs[ATTR_OPENAI_AGENTS_AGENT_HANDOFFS] = [...data.handoffs];
      put(attrs, ATTR_OPENAI_AGENTS_AGENT_OUTPUT_TYPE, data.output_type);
      return { name: `invoke_agent ${data.name}`, attributes: attrs, agentName: data.name };
    }
    case 'function': {
      attrs[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL;
      put(attrs, ATTR_GEN_AI_TOOL_NAME, data.name);
      attrs[ATTR_GEN_AI_TOOL_TYPE] = 'function';
      put(attrs, ATTR_GEN_AI_AGENT_NAME, inheritedAgent);
      if (options.captureToolContent) {
        put(attrs, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, data.input);
        put(attrs, ATTR_GEN_AI_TOOL_CALL_RESULT, data.output);
      }
      put(attrs, ATTR_OPENAI_AGENTS_MCP_DATA, data.mcp_data);
      return { name: `execute_tool ${data.name}`, attributes: attrs, agentName: inheritedAgent };
    }
    case 'generation': {
      attrs[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_CHAT;
      put(attrs, ATTR_GEN_AI_REQUEST_MODEL, data.model);
      put(attrs, ATTR_GEN_AI_AGENT_NAME, inheritedAgent);
      const usage = data.usage;
      if (typeof usage?.input_tokens === 'number') attrs[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.input_tokens;
      if (typeof usage?.output_tokens === 'number') attrs[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.output_tokens;
      if (options.captureMessages) {
        if (data.input) put(attrs, ATTR_GEN_AI_INPUT_MESSAGES, toJsonText(data.input));
        if (data.output) put(attrs, ATTR_GEN_AI_OUTPUT_MESSAGES, toJsonText(data.output));
      }
      const name = data.model ? `chat ${data.model}` : 'chat';
      return { name, attributes: attrs, agentName: inheritedAgent };
    }
    case 'response': {
      put(attrs, ATTR_GEN_AI_RESPONSE_ID, data.response_id);
      put(attrs, ATTR_GEN_AI_AGENT_NAME, inheritedAgent);
      return { name: 'response', attributes: attrs, agentName: inheritedAgent };
    }
    case 'handoff': {
      attrs[ATTR_GEN_AI_OPERATION_NAME] = OPENAI_AGENTS_OPERATION_HANDOFF;
      put(attrs, ATTR_GEN_AI_AGENT_NAME, data.from_agent ?? inheritedAgent);
      put(attrs, ATTR_OPENAI_AGENTS_HANDOFF_FROM, data.from_agent);
      put(attrs, ATTR_OPENAI_AGENTS_HANDOFF_TO, data.to_agent);
      const name = `handoff ${data.from_agent ?? '?'} -> ${data.to_agent ?? '?'}`;
      return { name, attributes: attrs, agentName: inheritedAgent };
    }
    case 'guardrail': {
      attrs[ATTR_GEN_AI_OPERATION_NAME] = OPENAI_AGENTS_OPERATION_GUARDRAIL;
      put(attrs, ATTR_GEN_AI_AGENT_NAME, inheritedAgent);
      put(attrs, ATTR_OPENAI_AGENTS_GUARDRAIL_NAME, data.name);
      attrs[ATTR_OPENAI_AGENTS_GUARDRAIL_TRIGGERED] = data.triggered === true;
      return { name: `guardrail ${data.name}`, attributes: attrs, agentName: inheritedAgent };
    }
    case 'custom': {
      const custom = toJsonText(data.data);
      if (custom !== '{}') put(attrs, ATTR_OPENAI_AGENTS_CUSTOM_DATA, custom);
      return { name: data.name, attributes: attrs, agentName: inheritedAgent };
    }
    case 'task':
      return { name: `task ${data.name}`, attributes: attrs, agentName: inheritedAgent };
    case 'turn':
      attrs[ATTR_OPENAI_AGENTS_TURN] = data.turn;
      put(attrs, ATTR_GEN_AI_AGENT_NAME, data.agent_name);
      return { name: `turn ${data.turn} ${data.agent_name}`, attributes: attrs, agentName: data.agent_name ?? inheritedAgent };
    case 'mcp_tools':
      return { name: `mcp_tools ${data.server ?? ''}`.trim(), attributes: attrs, agentName: inheritedAgent };
    default:
      // transcription, speech, speech_group and types added by later SDK versions.
      return { name: (data as { type: string }).type, attributes: attrs, agentName: inheritedAgent };
  }
}
