// @agentrail/core: the audit record model, span → record mapping, canonical encoding, payload
// commitments, redaction and the audit pipeline that joins records and ledger.
export type { AttributeValue, NeutralSpan, ReadableSpanLike } from './span.js';
export { fromReadableSpan } from './span.js';
export type { AuditRecord, PayloadCommitment, RecordFlag } from './record.js';
export { AUDIT_RECORD_KIND, AUDIT_RECORD_VERSION } from './record.js';
export { canonicalize } from './canonical.js';
export { encodeRecord, encodeRecordWithHash, decodeRecord, type EncodedRecord } from './codec.js';
export { argumentsDigest, commitmentOf, freshSalt, SALT_BYTES } from './commitment.js';
export { rfc3339Nano } from './time.js';
export type { AuthenticatedIdentity } from './identity.js';
export { mayActAs } from './identity.js';
export { createRedactor, REDACTED, RULE_CREDENTIAL_NAME, RULE_DENIED_ATTRIBUTE } from './redaction.js';
export type { RedactionCounts, RedactionOptions, RedactionPattern, Redactor } from './redaction.js';
export { BUILTIN_SECRET_RULES, shannonEntropy } from './redaction-rules.js';
export type { SecretRule } from './redaction-rules.js';
export { toAuditRecord, DROPPED_ATTRIBUTES } from './to-record.js';
export type { EvidenceItem, RecordContext, RecordEvidence, RecordOptions, RecordResult } from './to-record.js';
export { createFileEvidenceStore } from './evidence.js';
export type { EvidenceStore } from './evidence.js';
export { createAuditPipeline } from './pipeline.js';
export type { AuditPipeline, AuditPipelineOptions, ConsumeContext, ConsumeResult, PipelineStats } from './pipeline.js';
export { leafHashHex } from './leaf.js';
export { auditRecordSchema } from './schema.js';
export {
  CanonicalizationError, EvidenceStoreError, InvalidOptionError, InvalidSpanError, PipelineClosedError, RecordDecodeError,
} from './errors.js';
export { PipelineError, PushbackError, PIPELINE_ERROR_STATUS, GRPC_STATUS, asPipelineError } from './pipeline-error.js';
export type { PipelineErrorKind } from './pipeline-error.js';
export { openAuditLog, DEFAULT_PUSHBACK_ENTRIES } from './open-audit-log.js';
export type { AuditLog, AuditLogOptions } from './open-audit-log.js';
