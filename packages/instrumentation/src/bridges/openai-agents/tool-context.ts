// Inside Agents SDK tools: make the OTel span that mirrors the SDK's current span active, and
// mark what a function tool call does.
import { context, trace, type Attributes } from '@opentelemetry/api';
import { getCurrentSpan } from '@openai/agents-core';
import { ATTR_GEN_AI_TOOL_CALL_ID } from '@agentrail/semconv';
import { InvalidToolError } from '../../errors.js';
import { actionAttributes, addResourceAttributes, type ActionKind, type ActionRisk, type ToolResource } from '../../tool.js';
import { markErrorType } from '../error-type.js';
import { mirroredSpan } from './span-registry.js';

/**
 * Runs `fn` with the OTel span mirroring the Agents SDK's current span (e.g. the `function` span
 * around a tool call) as the active span. The SDK keeps its own span context, invisible to
 * OpenTelemetry; without this, `recordAuthorization` inside a tool would annotate an outer span.
 * Without an `OpenAIAgentsOtelProcessor` installed, `fn` simply runs.
 */
export function withAgentsSpanContext<R>(fn: () => R): R {
  const sdkSpan = getCurrentSpan();
  const otelSpan = sdkSpan ? mirroredSpan(sdkSpan) : undefined;
  if (!otelSpan) return fn();
  return context.with(trace.setSpan(context.active(), otelSpan), fn);
}

export interface AuditExecuteOptions<Input> {
  kind?: ActionKind;
  risk?: ActionRisk;
  /** What the call acts on: fixed, or computed from the call's parsed input. */
  resource?: ToolResource | ((input: Input) => ToolResource | undefined);
}

/** The SDK passes the model's function call (with its call id) as `details.toolCall`. */
interface CallDetails {
  toolCall?: { callId?: string };
}

/**
 * Wraps a function tool's `execute` so each call runs with its mirrored OTel span active (see
 * `withAgentsSpanContext`) — `recordAuthorization` / `recordApproval` inside then annotate that
 * call — and the span carries the model's call id and `agentrail.action.*` / `agentrail.resource.*`.
 * Types flow through from `tool()`:
 *
 * ```ts
 * const refund = tool({ name: 'refund', parameters: z.object({ orderId: z.string() }),
 *   execute: auditExecute(async ({ orderId }) => ..., { kind: 'write', risk: 'high',
 *                         resource: ({ orderId }) => ({ type: 'order', id: orderId }) }) });
 * ```
 */
export function auditExecute<Input, Context, Details, Result>(
  execute: (input: Input, context?: Context, details?: Details) => Result,
  audit: AuditExecuteOptions<Input> = {},
): (input: Input, context?: Context, details?: Details) => Result {
  if (typeof execute !== 'function') throw new InvalidToolError('auditExecute needs the tool\'s execute function');
  const fixed = actionAttributes(audit);
  return function (this: unknown, input: Input, runContext?: Context, details?: Details): Result {
    return withAgentsSpanContext(() => {
      const span = trace.getActiveSpan();
      if (span?.isRecording()) {
        const attrs: Attributes = { ...fixed };
        const callId = (details as CallDetails | undefined)?.toolCall?.callId;
        if (typeof callId === 'string' && callId.length > 0) attrs[ATTR_GEN_AI_TOOL_CALL_ID] = callId;
        addResourceAttributes(attrs, typeof audit.resource === 'function' ? audit.resource(input) : audit.resource);
        span.setAttributes(attrs);
      }
      return markErrorType(span, () => execute.call(this, input, runContext, details));
    });
  };
}
