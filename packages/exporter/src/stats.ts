/** Counters of an `AuditSpanExporter`; read them to see audit and forwarding health. */
export interface AuditExporterStats {
  /** `export()` calls answered. */
  exports: number;
  /** Spans handed to `export()`. */
  spans: number;
  /** Spans made durable as audit records. */
  recorded: number;
  /** Spans that were not agent actions (nothing to record). */
  skipped: number;
  /** Spans the pipeline refused by policy (e.g. strict identity); see the pipeline's stats. */
  rejected: number;
  /** `export()` calls answered FAILED, and the spans in them. */
  failedExports: number;
  failedSpans: number;
  /** Spans the forward exporter accepted / refused, and spans handed to it and not yet answered. */
  forwarded: number;
  forwardFailures: number;
  forwardPending: number;
  /** Gap markers written, and the number of lost spans they account for. */
  gapRecords: number;
  gapSpans: number;
}

export function emptyStats(): AuditExporterStats {
  return {
    exports: 0,
    spans: 0,
    recorded: 0,
    skipped: 0,
    rejected: 0,
    failedExports: 0,
    failedSpans: 0,
    forwarded: 0,
    forwardFailures: 0,
    forwardPending: 0,
    gapRecords: 0,
    gapSpans: 0,
  };
}
