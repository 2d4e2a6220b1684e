/** An export or flush was attempted after `shutdown()`. */
export class ExporterShutdownError extends Error {
  readonly code = 'ERR_AGENTRAIL_EXPORTER_SHUTDOWN' as const;
  override readonly name = 'ExporterShutdownError';
  constructor(message = 'the audit exporter is shut down; no more spans can be recorded') {
    super(message);
  }
}

/** An option passed to the exporter, processor or `registerAgentAudit` is missing or invalid. */
export class ExporterConfigError extends Error {
  readonly code = 'ERR_AGENTRAIL_EXPORTER_CONFIG' as const;
  override readonly name = 'ExporterConfigError';
}

/** The audit ledger could not be opened (locked by another writer, bad key, unreadable files). */
export class LedgerOpenError extends Error {
  readonly code = 'ERR_AGENTRAIL_LEDGER_OPEN' as const;
  override readonly name = 'LedgerOpenError';
}

/** Spans could not be made durable in the ledger; the export answered FAILED. */
export class AuditWriteError extends Error {
  readonly code = 'ERR_AGENTRAIL_AUDIT_WRITE' as const;
  override readonly name = 'AuditWriteError';
}
