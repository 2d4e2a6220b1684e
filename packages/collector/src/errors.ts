// Error classes of the collector. Each has a stable `code` users can match on.

/** A configuration value is missing, malformed or contradicts another; `issues` lists every problem. */
export class CollectorConfigError extends Error {
  readonly code = 'ERR_COLLECTOR_CONFIG' as const;
  override readonly name = 'CollectorConfigError';
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

/** An OTLP request body could not be decoded; `path` names the offending field when known. */
export class OtlpDecodeError extends Error {
  readonly code = 'ERR_OTLP_DECODE' as const;
  override readonly name = 'OtlpDecodeError';
  constructor(
    /** What is wrong, without the path. */
    readonly reason: string,
    readonly path: string = '',
  ) {
    super(path ? `${path}: ${reason}` : reason);
  }

  /** The same error located inside `outer` (e.g. `spans[3]` + `attributes[0].value`). */
  within(outer: string): OtlpDecodeError {
    const path = !this.path ? outer : this.path.startsWith('[') ? outer + this.path : `${outer}.${this.path}`;
    return new OtlpDecodeError(this.reason, path);
  }
}

/** `err` located inside `outer` when it is an `OtlpDecodeError`; any other error unchanged. */
export function located(err: unknown, outer: string): unknown {
  return err instanceof OtlpDecodeError ? err.within(outer) : err;
}

/** Binding a non-loopback address with no credentials configured, without `insecure: true`. */
export class InsecureBindError extends Error {
  readonly code = 'ERR_COLLECTOR_INSECURE_BIND' as const;
  override readonly name = 'InsecureBindError';
  constructor(readonly host: string) {
    super(
      `refusing to listen on ${host} without credentials: configure auth.credentials, bind 127.0.0.1, or pass --insecure`,
    );
  }
}

/** `start()` was called twice, or after `shutdown()`. */
export class CollectorStateError extends Error {
  readonly code = 'ERR_COLLECTOR_STATE' as const;
  override readonly name = 'CollectorStateError';
}
