// Vercel AI SDK tools: mark what a tool call does (kind, risk, resource) on the SDK's own
// `ai.toolCall` span, so there is exactly one span, and one audit record, per call.
import { trace, type Attributes } from '@opentelemetry/api';
import { InvalidToolError } from '../../errors.js';
import { actionAttributes, addResourceAttributes, type ActionKind, type ActionRisk, type ToolResource } from '../../tool.js';
import { markErrorType } from '../error-type.js';

export interface AuditToolOptions<Input> {
  kind?: ActionKind;
  risk?: ActionRisk;
  /** What the call acts on: fixed, or computed from the call's input. */
  resource?: ToolResource | ((input: Input) => ToolResource | undefined);
}

type ExecutableTool = { execute?: (input: never, options: never) => unknown };
type ToolInput<T extends ExecutableTool> = Parameters<NonNullable<T['execute']>>[0];

/**
 * Returns a copy of an AI SDK `tool({...})` whose `execute` first stamps `agentrail.action.*` and
 * `agentrail.resource.*` on the active span — the SDK runs `execute` inside its `ai.toolCall`
 * span. Inside `execute`, `recordAuthorization` / `recordApproval` annotate that same span.
 */
export function auditTool<T extends ExecutableTool>(tool: T, options: AuditToolOptions<ToolInput<T>>): T {
  const execute = tool?.execute;
  if (typeof execute !== 'function') {
    throw new InvalidToolError('auditTool needs a tool with an execute function (client-side tools run elsewhere)');
  }
  const fixed = actionAttributes(options);
  const wrapped = function (this: unknown, input: ToolInput<T>, callOptions: never): unknown {
    const span = trace.getActiveSpan();
    if (span?.isRecording()) {
      const attrs: Attributes = { ...fixed };
      addResourceAttributes(attrs, typeof options.resource === 'function' ? options.resource(input) : options.resource);
      span.setAttributes(attrs);
    }
    // The SDK marks a failed call ERROR but names no error type; say which error it was.
    return markErrorType(span, () => (execute as (this: unknown, input: ToolInput<T>, options: never) => unknown).call(this, input, callOptions));
  };
  return { ...tool, execute: wrapped };
}
