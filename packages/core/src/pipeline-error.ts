// The one error a front door gets back from the pipeline, and the one table that turns it into
// an HTTP or gRPC status. Every door (OTLP/HTTP, OTLP/gRPC, the in-process exporter) maps
// failures through this table only, so the same failure answers the same way on every door.

/**
 * - invalid: the input can never succeed (400 / INVALID_ARGUMENT); not retryable.
 * - unauthenticated: missing or wrong credentials (401 / UNAUTHENTICATED).
 * - overloaded: pushback, over a limit for now (429 / RESOURCE_EXHAUSTED, with a retry hint).
 * - unavailable: the ledger or a worker cannot make records durable, or shutting down (503 / UNAVAILABLE).
 * - bug: unexpected; retrying the same input would not help (500 / INTERNAL).
 */
export type PipelineErrorKind = 'invalid' | 'unauthenticated' | 'overloaded' | 'unavailable' | 'bug';

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const GRPC_STATUS = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The table: kind → HTTP status, gRPC status, and whether the sender should retry. */
export const PIPELINE_ERROR_STATUS: Readonly<Record<PipelineErrorKind, { readonly http: number; readonly grpc: number; readonly retryable: boolean }>> = Object.freeze({
  invalid: Object.freeze({ http: 400, grpc: GRPC_STATUS.INVALID_ARGUMENT, retryable: false }),
  unauthenticated: Object.freeze({ http: 401, grpc: GRPC_STATUS.UNAUTHENTICATED, retryable: false }),
  overloaded: Object.freeze({ http: 429, grpc: GRPC_STATUS.RESOURCE_EXHAUSTED, retryable: true }),
  unavailable: Object.freeze({ http: 503, grpc: GRPC_STATUS.UNAVAILABLE, retryable: true }),
  bug: Object.freeze({ http: 500, grpc: GRPC_STATUS.INTERNAL, retryable: false }),
});

export class PipelineError extends Error {
  override readonly name: string = 'PipelineError';
  readonly retryable: boolean;
  constructor(
    readonly kind: PipelineErrorKind,
    /** Stable code, e.g. ERR_PUSHBACK, ERR_OTLP_DECODE, ERR_LEDGER_UNAVAILABLE. */
    readonly code: string,
    message: string,
    /** Sent as Retry-After / RetryInfo when retryable. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.retryable = PIPELINE_ERROR_STATUS[kind].retryable;
  }

  get httpStatus(): number {
    return PIPELINE_ERROR_STATUS[this.kind].http;
  }

  get grpcStatus(): number {
    return PIPELINE_ERROR_STATUS[this.kind].grpc;
  }

  /** A plain object that crosses a worker boundary; `fromJSON` makes the error again. */
  toJSON(): { kind: PipelineErrorKind; code: string; message: string; retryAfterSeconds?: number } {
    return { kind: this.kind, code: this.code, message: this.message, ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}) };
  }

  static fromJSON(o: { kind: PipelineErrorKind; code: string; message: string; retryAfterSeconds?: number }): PipelineError {
    return o.code === PUSHBACK_CODE ? new PushbackError(o.message, o.retryAfterSeconds) : new PipelineError(o.kind, o.code, o.message, o.retryAfterSeconds);
  }
}

const PUSHBACK_CODE = 'ERR_PUSHBACK';

/** Too much outstanding work: the sender keeps its data and retries after the hint. */
export class PushbackError extends PipelineError {
  override readonly name = 'PushbackError';
  constructor(message: string, retryAfterSeconds = 1) {
    super('overloaded', PUSHBACK_CODE, message, retryAfterSeconds);
  }
}

/** `err` as a PipelineError: kept if it is one, else unavailable when it has a code (an I/O or ledger failure), else a bug. */
export function asPipelineError(err: unknown): PipelineError {
  if (err instanceof PipelineError) return err;
  const e = err as { code?: unknown; message?: unknown; stack?: unknown };
  if (typeof e?.code === 'string') return new PipelineError('unavailable', e.code, `${e.code}: ${String(e.message ?? err)}`);
  return new PipelineError('bug', 'ERR_INTERNAL', String(e?.stack ?? e?.message ?? err));
}
