// A TracingProcessor for the OpenAI Agents SDK that re-emits its traces as OpenTelemetry spans.
// The SDK has its own tracing model (traces and spans with string ids and ISO times) and no OTel
// output; this processor rebuilds the same tree in OTel, with the original start and end times.
import {
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
  type Context,
  type Span as OtelSpan,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { Span as AgentsSpan, SpanData, Trace as AgentsTrace, TracingProcessor } from '@openai/agents-core';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_CONVERSATION_ID, ATTR_GEN_AI_TOOL_CALL_ID } from '@agentrail/semconv';
import {
  ATTR_OPENAI_AGENTS_GROUP_ID,
  ATTR_OPENAI_AGENTS_SPAN_ID,
  ATTR_OPENAI_AGENTS_TRACE_ID,
  mapSpanData,
  type MappingOptions,
} from './span-mapping.js';
import { forgetMirroredSpan, registerMirroredSpan } from './span-registry.js';
import { hasAttribute, hasErrorType } from '../error-type.js';
import { takeMatchingCall, toolCallsIn, type PendingCall } from './tool-calls.js';

export const OPENAI_AGENTS_TRACER_NAME = '@agentrail/instrumentation/openai-agents' as const;

export interface OpenAIAgentsOtelProcessorOptions {
  /** Tracer provider to create spans with. Default: the global one (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /**
   * Record tool arguments and results as `gen_ai.tool.call.arguments` / `.result`. Default true:
   * the agentrail pipeline replaces them with salted commitments before anything is stored.
   */
  captureToolContent?: boolean;
  /** Record model input and output messages on `chat` spans. Default false (prompts are large and sensitive). */
  captureMessages?: boolean;
}

interface TraceState {
  root: OtelSpan;
  /** The SDK's group id (one conversation), stamped on every span of the trace. */
  groupId: string | null;
  /** Context active when the Agents trace started, with the root span set: carries `withAgent` identity. */
  ctx: Context;
  /** Tool calls the model asked for that no function span has claimed yet. */
  pendingCalls: PendingCall[];
}

interface SpanState {
  span: OtelSpan;
  ctx: Context;
  /** Nearest enclosing agent's name when the span started. */
  inheritedAgent: string | undefined;
  /** This span's agent (itself for an agent span), passed to its children. */
  agentName: string | undefined;
}

// ISO 8601 from the SDK → Date for OTel; undefined lets OTel use "now".
function toTime(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Register with `setTraceProcessors([new OpenAIAgentsOtelProcessor()])` (replacing the SDK's
 * default exporter to OpenAI) or `addTraceProcessor(...)` (keeping it). Spans started while the
 * Agents trace runs inside `withAgent` / `onBehalfOf` carry that identity.
 */
export class OpenAIAgentsOtelProcessor implements TracingProcessor {
  readonly #tracer: Tracer;
  readonly #provider: TracerProvider | undefined;
  readonly #mapping: MappingOptions;
  readonly #traces = new Map<string, TraceState>();
  readonly #spans = new Map<string, SpanState>();
  #shutdown = false;

  constructor(options: OpenAIAgentsOtelProcessorOptions = {}) {
    this.#provider = options.tracerProvider;
    this.#tracer = (options.tracerProvider ?? otelTrace.getTracerProvider()).getTracer(OPENAI_AGENTS_TRACER_NAME);
    this.#mapping = {
      captureToolContent: options.captureToolContent ?? true,
      captureMessages: options.captureMessages ?? false,
    };
  }

  async onTraceStart(trace: AgentsTrace): Promise<void> {
    if (this.#shutdown || this.#traces.has(trace.traceId)) return;
    // The SDK calls this synchronously from `run()`, so the active context is the caller's.
    const parent = otelContext.active();
    const root = this.#tracer.startSpan(
      trace.name || 'Agent workflow',
      { kind: SpanKind.INTERNAL, attributes: this.#traceAttributes(trace) },
      parent,
    );
    this.#traces.set(trace.traceId, { root, groupId: trace.groupId, ctx: otelTrace.setSpan(parent, root), pendingCalls: [] });
  }

  async onTraceEnd(trace: AgentsTrace): Promise<void> {
    const state = this.#traces.get(trace.traceId);
    if (!state) return;
    this.#traces.delete(trace.traceId);
    // Children the SDK never ended (an aborted run) are closed so exporters see a whole tree.
    for (const [id, child] of this.#spans) {
      if (id.startsWith(`${trace.traceId}/`)) {
        child.span.end();
        this.#spans.delete(id);
      }
    }
    state.root.end();
  }

  async onSpanStart(span: AgentsSpan<SpanData>): Promise<void> {
    if (this.#shutdown) return;
    const key = this.#key(span.traceId, span.spanId);
    if (this.#spans.has(key)) return;
    const parent = this.#parentOf(span);
    const mapped = mapSpanData(span.spanData, parent.agentName, this.#mapping);
    const otelSpan = this.#tracer.startSpan(
      mapped.name,
      {
        kind: span.spanData.type === 'generation' || span.spanData.type === 'response' ? SpanKind.CLIENT : SpanKind.INTERNAL,
        startTime: toTime(span.startedAt),
        attributes: {
          ...mapped.attributes,
          ...this.#conversationOf(span.traceId),
          [ATTR_OPENAI_AGENTS_TRACE_ID]: span.traceId,
          [ATTR_OPENAI_AGENTS_SPAN_ID]: span.spanId,
        },
      },
      parent.ctx,
    );
    registerMirroredSpan(span, otelSpan);
    this.#spans.set(key, {
      span: otelSpan,
      ctx: otelTrace.setSpan(parent.ctx, otelSpan),
      inheritedAgent: parent.agentName,
      agentName: mapped.agentName,
    });
  }

  async onSpanEnd(span: AgentsSpan<SpanData>): Promise<void> {
    const key = this.#key(span.traceId, span.spanId);
    const state = this.#spans.get(key);
    if (!state) return;
    this.#spans.delete(key);
    forgetMirroredSpan(span);
    // Most data (tool input and output, usage, guardrail result) is filled in while the span runs.
    const mapped = mapSpanData(span.spanData, state.inheritedAgent, this.#mapping);
    state.span.updateName(mapped.name);
    state.span.setAttributes(mapped.attributes);
    this.#pairToolCall(span, state.span);
    const error = span.error;
    if (error) {
      state.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      // Keep a specific type set inside the call (auditExecute names the thrown error's class).
      if (!hasErrorType(state.span)) state.span.setAttribute(ATTR_ERROR_TYPE, `openai_agents.${span.spanData.type}_error`);
    }
    const endTime = toTime(span.endedAt);
    state.span.end(endTime);
    if (error && !span.parentId) this.#closeFailedTrace(span.traceId, endTime);
  }

  // Model spans announce tool calls with their ids; function spans claim them in order.
  #pairToolCall(span: AgentsSpan<SpanData>, otelSpan: OtelSpan): void {
    const trace = this.#traces.get(span.traceId);
    if (!trace) return;
    const data = span.spanData;
    if (data.type === 'generation') trace.pendingCalls.push(...toolCallsIn(data.output));
    else if (data.type === 'response') trace.pendingCalls.push(...toolCallsIn(data._response?.output));
    else if (data.type === 'function') {
      const callId = takeMatchingCall(trace.pendingCalls, data.name, data.input || undefined);
      // A call id set inside the call (auditExecute has the SDK's own) wins.
      if (callId && !hasAttribute(otelSpan, ATTR_GEN_AI_TOOL_CALL_ID)) otelSpan.setAttribute(ATTR_GEN_AI_TOOL_CALL_ID, callId);
    }
  }

  // The SDK never calls onTraceEnd when a run throws (a tripped guardrail, a model error, max
  // turns), so the root would stay open and unexported. A failed top-level span with nothing
  // else open in its trace is the end of that run.
  #closeFailedTrace(traceId: string, endTime: Date | undefined): void {
    const state = this.#traces.get(traceId);
    if (!state) return;
    const prefix = `${traceId}/`;
    for (const key of this.#spans.keys()) if (key.startsWith(prefix)) return;
    this.#traces.delete(traceId);
    state.root.setStatus({ code: SpanStatusCode.ERROR, message: 'agent run failed' });
    state.root.end(endTime);
  }

  async forceFlush(): Promise<void> {
    await this.#flushProvider();
  }

  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    this.#shutdown = true;
    for (const { span } of this.#spans.values()) span.end();
    this.#spans.clear();
    for (const { root } of this.#traces.values()) root.end();
    this.#traces.clear();
    await this.#flushProvider();
  }

  async #flushProvider(): Promise<void> {
    const provider = this.#provider as (TracerProvider & { forceFlush?: () => Promise<void> }) | undefined;
    if (provider && typeof provider.forceFlush === 'function') await provider.forceFlush();
  }

  #traceAttributes(trace: AgentsTrace): Record<string, string> {
    const attrs: Record<string, string> = { [ATTR_OPENAI_AGENTS_TRACE_ID]: trace.traceId };
    if (trace.groupId) {
      // The SDK's group id ties the runs of one conversation together.
      attrs[ATTR_OPENAI_AGENTS_GROUP_ID] = trace.groupId;
      attrs[ATTR_GEN_AI_CONVERSATION_ID] = trace.groupId;
    }
    return attrs;
  }

  #conversationOf(traceId: string): Record<string, string> {
    const groupId = this.#traces.get(traceId)?.groupId;
    return groupId ? { [ATTR_GEN_AI_CONVERSATION_ID]: groupId } : {};
  }

  #key(traceId: string, spanId: string): string {
    return `${traceId}/${spanId}`;
  }

  // Parent OTel context: the mapped parent span, else the trace root, else the active context
  // (a span created outside any trace still lands somewhere sensible).
  #parentOf(span: AgentsSpan<SpanData>): { ctx: Context; agentName: string | undefined } {
    if (span.parentId) {
      const parent = this.#spans.get(this.#key(span.traceId, span.parentId));
      if (parent) return { ctx: parent.ctx, agentName: parent.agentName };
    }
    const trace = this.#traces.get(span.traceId);
    if (trace) return { ctx: trace.ctx, agentName: undefined };
    return { ctx: otelContext.active(), agentName: undefined };
  }
}
