// traceTool: wraps a tool function in an OpenTelemetry GenAI `execute_tool` span.
import { randomUUID } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import {
  ATTR_AGENTRAIL_ACTION_KIND,
  ATTR_AGENTRAIL_ACTION_RISK,
  ATTR_AGENTRAIL_RESOURCE_ID,
  ATTR_AGENTRAIL_RESOURCE_TYPE,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_DESCRIPTION,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  type ActionKind,
  type ActionRisk,
} from '@agentrail/semconv';
import { InvalidToolError } from './errors.js';
import { toJsonText } from './json.js';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from './version.js';

/** What the tool acts on, e.g. `{ type: 'invoice', id: 'inv-42' }`. */
export interface ToolResource {
  type: string;
  id?: string;
}

export type { ActionKind, ActionRisk };

export interface TraceToolOptions<A extends unknown[]> {
  /** The resource acted on: fixed, or computed from the call's arguments. */
  resource?: ToolResource | ((...args: A) => ToolResource | undefined);
  kind?: ActionKind;
  risk?: ActionRisk;
  description?: string;
  /** `gen_ai.tool.type` (default `function`). */
  type?: 'function' | 'extension' | 'datastore' | (string & {});
  /** The call id (default: a random UUID per call), e.g. the model's tool-call id. */
  callId?: (...args: A) => string | undefined;
  /**
   * What is recorded as the call's arguments (default: the only argument, or all of them as an
   * array). Frameworks that pass extra options as a second argument select the first here.
   */
  argumentsOf?: (...args: A) => unknown;
  /** Record the result (default true). The ledger only ever holds a salted commitment of it. */
  recordResult?: boolean;
}

const tracer = () => trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/** `error.type` for a thrown value: the error's class name, `_OTHER` for a non-Error. */
export function errorTypeOf(err: unknown): string {
  return err instanceof Error ? err.name || err.constructor.name || 'Error' : '_OTHER';
}

/** `agentrail.action.kind` / `.risk` for a tool's options (shared with the framework bridges). */
export function actionAttributes(options: { kind?: ActionKind; risk?: ActionRisk }): Attributes {
  const attrs: Attributes = {};
  if (options.kind !== undefined) attrs[ATTR_AGENTRAIL_ACTION_KIND] = options.kind;
  if (options.risk !== undefined) attrs[ATTR_AGENTRAIL_ACTION_RISK] = options.risk;
  return attrs;
}

/** Adds `agentrail.resource.type` / `.id` of `resource`, if any, to `attrs`. */
export function addResourceAttributes(attrs: Attributes, resource: ToolResource | undefined): void {
  if (!resource) return;
  attrs[ATTR_AGENTRAIL_RESOURCE_TYPE] = resource.type;
  if (resource.id !== undefined) attrs[ATTR_AGENTRAIL_RESOURCE_ID] = resource.id;
}

function failSpan(span: Span, err: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(err));
  if (err instanceof Error) span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  span.end();
}

function succeedSpan(span: Span, result: unknown, recordResult: boolean): void {
  if (recordResult) {
    const text = toJsonText(result);
    if (text !== undefined) span.setAttribute(ATTR_GEN_AI_TOOL_CALL_RESULT, text);
  }
  // The tool returned normally: the audit record says "ok", not "unset".
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
}

/**
 * Returns `fn` wrapped so each call runs in an `execute_tool <name>` span carrying the GenAI tool
 * attributes, the arguments and result (as JSON, for commitment), and the resource, kind and
 * risk. A throw or rejection sets ERROR status and `error.type` and is rethrown unchanged. Works
 * for sync and async functions; the wrapper returns exactly what `fn` returns.
 */
export function traceTool<A extends unknown[], R>(
  name: string,
  fn: (...args: A) => R,
  options: TraceToolOptions<A> = {},
): (...args: A) => R {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidToolError('tool name must be a non-empty string');
  if (typeof fn !== 'function') throw new InvalidToolError(`tool "${name}" must be a function`);
  const recordResult = options.recordResult ?? true;
  const fixed: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: name,
    [ATTR_GEN_AI_TOOL_TYPE]: options.type ?? 'function',
  };
  if (options.description !== undefined) fixed[ATTR_GEN_AI_TOOL_DESCRIPTION] = options.description;
  Object.assign(fixed, actionAttributes(options));

  const wrapped = function (this: unknown, ...args: A): R {
    const attributes: Attributes = { ...fixed };
    attributes[ATTR_GEN_AI_TOOL_CALL_ID] = options.callId?.(...args) ?? randomUUID();
    const recorded = options.argumentsOf ? options.argumentsOf(...args) : args.length === 1 ? args[0] : args;
    const argsText = toJsonText(recorded);
    if (argsText !== undefined) attributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = argsText;
    addResourceAttributes(attributes, typeof options.resource === 'function' ? options.resource(...args) : options.resource);
    const span = tracer().startSpan(`execute_tool ${name}`, { kind: SpanKind.INTERNAL, attributes });
    const ctx = trace.setSpan(context.active(), span);
    let result: R;
    try {
      result = context.with(ctx, () => fn.apply(this, args));
    } catch (err) {
      failSpan(span, err);
      throw err;
    }
    if (isThenable(result)) {
      // Chain rather than replace: callers get the same settled value or reason.
      return Promise.resolve(result).then(
        (value) => {
          succeedSpan(span, value, recordResult);
          return value;
        },
        (err: unknown) => {
          failSpan(span, err);
          throw err;
        },
      ) as R;
    }
    succeedSpan(span, result, recordResult);
    return result;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name || name });
  return wrapped;
}
