// Vercel AI SDK: `experimental_telemetry` settings that carry the agent's identity.
// The SDK copies `metadata` onto every span it creates as `ai.telemetry.metadata.<key>`. We write
// the full identity under the `agentrail.*` names and the short keys the Vercel adapter reads.
import { ROOT_CONTEXT, type AttributeValue, type Tracer } from '@opentelemetry/api';
import type { TelemetrySettings } from 'ai';
import { ATTR_GEN_AI_CONVERSATION_ID, ATTR_SESSION_ID } from '@agentrail/semconv';
import { getAgent, getPrincipal, setAgent, setPrincipal, type AgentIdentity, type Principal } from '../../identity.js';
import { agentAttributes, principalAttributes } from '../../processor.js';
import { InvalidIdentityError } from '../../errors.js';

// Conventional metadata keys (`ai.telemetry.metadata.<key>`) read by the Vercel adapter.
const METADATA_AGENT_ID = 'agentId';
const METADATA_AGENT_NAME = 'agentName';
const METADATA_USER_ID = 'userId';
const METADATA_TENANT_ID = 'tenantId';
const METADATA_SESSION_ID = 'sessionId';
const METADATA_CONVERSATION_ID = 'conversationId';

export interface AiSdkTelemetryOptions {
  /** The acting agent. Default: the one set by `withAgent` in the active context. */
  agent?: AgentIdentity;
  /** On whose behalf. Default: the one set by `onBehalfOf` in the active context. */
  principal?: Principal;
  /** `functionId` for the SDK's spans (`ai.telemetry.functionId`). Default: the agent id. */
  functionId?: string;
  /** Conversation this call belongs to (`gen_ai.conversation.id`). */
  conversationId?: string;
  /** Application session (`session.id`). */
  sessionId?: string;
  /** Extra metadata; agentrail's keys win on conflict. */
  metadata?: Record<string, AttributeValue>;
  /**
   * Record tool arguments and prompts (default true). The agentrail pipeline stores only salted
   * commitments of them, so leaving this on is what lets a record prove what a tool was given.
   */
  recordInputs?: boolean;
  /** Record tool results and model outputs (default true); committed like inputs. */
  recordOutputs?: boolean;
  /** Tracer to use instead of the global `ai` tracer. */
  tracer?: Tracer;
}

/**
 * Returns settings for `generateText` / `streamText` / `ToolLoopAgent`'s `experimental_telemetry`:
 * telemetry on, and the agent identity and principal in `metadata` so every span the SDK makes
 * (`ai.generateText`, `ai.toolCall`, …) names them, whatever span processors are installed.
 *
 * ```ts
 * await generateText({ model, tools, prompt,
 *   experimental_telemetry: aiSdkTelemetry({ agent: { id: 'support-bot', name: 'Support' },
 *                                           principal: { id: 'user-7', type: 'user' } }) });
 * ```
 */
export function aiSdkTelemetry(options: AiSdkTelemetryOptions = {}): TelemetrySettings {
  // Explicit identities go through the same validation as `withAgent` / `onBehalfOf`.
  const agent = options.agent ? getAgent(setAgent(ROOT_CONTEXT, options.agent)) : getAgent();
  const principal = options.principal ? getPrincipal(setPrincipal(ROOT_CONTEXT, options.principal)) : getPrincipal();
  const metadata: Record<string, AttributeValue> = { ...options.metadata };
  // Reuse the span processor's encoders so both paths write identical attributes.
  if (agent) {
    Object.assign(metadata, agentAttributes(agent));
    // The short keys many AI SDK users already pass, which the Vercel adapter also reads.
    metadata[METADATA_AGENT_ID] = agent.id;
    metadata[METADATA_AGENT_NAME] = agent.name;
  }
  if (principal) {
    Object.assign(metadata, principalAttributes(principal));
    if (principal.type === 'user') metadata[METADATA_USER_ID] = principal.id;
    if (principal.tenant !== undefined) metadata[METADATA_TENANT_ID] = principal.tenant;
  }
  if (options.conversationId !== undefined) {
    metadata[ATTR_GEN_AI_CONVERSATION_ID] = options.conversationId;
    metadata[METADATA_CONVERSATION_ID] = options.conversationId;
  }
  if (options.sessionId !== undefined) {
    metadata[ATTR_SESSION_ID] = options.sessionId;
    metadata[METADATA_SESSION_ID] = options.sessionId;
  }
  const functionId = options.functionId ?? agent?.id;
  if (functionId !== undefined && (typeof functionId !== 'string' || functionId.length === 0)) {
    throw new InvalidIdentityError('functionId must be a non-empty string');
  }
  const settings: TelemetrySettings = {
    isEnabled: true,
    recordInputs: options.recordInputs ?? true,
    recordOutputs: options.recordOutputs ?? true,
    metadata,
  };
  if (functionId !== undefined) settings.functionId = functionId;
  if (options.tracer) settings.tracer = options.tracer;
  return settings;
}
