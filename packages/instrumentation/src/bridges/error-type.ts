// `error.type` for tool calls whose framework records the failure but not what kind it was.
import type { Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@agentrail/semconv';

function errorTypeOf(err: unknown): string {
  return err instanceof Error ? err.name || err.constructor.name || 'Error' : '_OTHER';
}

/** Whether the span already says what went wrong (SDK spans expose their attributes). */
export function hasErrorType(span: Span): boolean {
  const attrs = (span as unknown as { attributes?: Record<string, unknown> }).attributes;
  return attrs !== null && typeof attrs === 'object' && attrs[ATTR_ERROR_TYPE] !== undefined;
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
