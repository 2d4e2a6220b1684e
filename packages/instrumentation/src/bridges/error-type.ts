// `error.type` for tool calls whose framework records the failure but not what kind it was.
import type { Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@agentrail/semconv';
import { errorTypeOf } from '../tool.js';

/** Whether the span already has attribute `key` (SDK spans expose their attributes). */
export function hasAttribute(span: Span, key: string): boolean {
  const attrs = (span as unknown as { attributes?: Record<string, unknown> }).attributes;
  return attrs !== null && typeof attrs === 'object' && attrs[key] !== undefined;
}

/** Whether the span already says what went wrong. */
export function hasErrorType(span: Span): boolean {
  return hasAttribute(span, ATTR_ERROR_TYPE);
}

function mark(span: Span | undefined, err: unknown): void {
  if (span?.isRecording() && !hasErrorType(span)) span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(err));
}

/** Runs `fn`; if it throws or rejects, sets `error.type` (the error's class name) on `span` and rethrows. */
export function markErrorType<R>(span: Span | undefined, fn: () => R): R {
  let result: R;
  try {
    result = fn();
  } catch (err) {
    mark(span, err);
    throw err;
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    return (result as unknown as PromiseLike<unknown>).then(undefined, (err: unknown) => {
      mark(span, err);
      throw err;
    }) as R;
  }
  return result;
}
