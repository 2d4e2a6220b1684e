// Error classes of @agentrail/core. Each has a stable `code`.

export class CanonicalizationError extends Error {
  readonly code = 'ERR_NOT_CANONICALIZABLE' as const;
  override readonly name = 'CanonicalizationError';
}

export class RecordDecodeError extends Error {
  readonly code = 'ERR_RECORD_DECODE' as const;
  override readonly name = 'RecordDecodeError';
}

export class InvalidSpanError extends Error {
  readonly code = 'ERR_INVALID_SPAN' as const;
  override readonly name = 'InvalidSpanError';
}

export class PipelineClosedError extends Error {
  readonly code = 'ERR_PIPELINE_CLOSED' as const;
  override readonly name = 'PipelineClosedError';
  constructor() {
    super('The audit pipeline has been shut down and accepts no more spans.');
  }
}

export class EvidenceStoreError extends Error {
  readonly code = 'ERR_EVIDENCE_STORE' as const;
  override readonly name = 'EvidenceStoreError';
}

export class InvalidOptionError extends Error {
  readonly code = 'ERR_INVALID_OPTION' as const;
  override readonly name = 'InvalidOptionError';
}
