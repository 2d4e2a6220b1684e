// AuditRecord v1: the leaf of the log is the RFC 8785 canonical JSON of this object.
// Field names are a contract: add fields freely, never rename or change meaning.
import type {
  ActionKind, ActionOperation, ActionRisk, AttributeValue, DelegationType, PrincipalType,
} from '@agentrail/semconv';

export const AUDIT_RECORD_VERSION = 1 as const;
export const AUDIT_RECORD_KIND = 'agent.action' as const;

export type RecordFlag =
  | 'identity_missing'
  | 'identity_mismatch'
  | 'identity_unauthenticated'
  | 'tenant_mismatch'
  | 'secret_redacted'
  | 'payload_committed'
  | 'approval_mismatch'
  | 'approval_missing'
  | 'attributes_truncated';

export interface PayloadCommitment {
  /** `sha256:<hex>` of salt ‖ payload bytes, salt = 32 fresh random bytes */
  commitment: string;
  /** payload length in bytes (UTF-8) */
  bytes: number;
}

export interface AuditRecord {
  v: 1;
  kind: 'agent.action';
  /** Random 128-bit id (32 lowercase hex); evidence is stored under it. */
  id: string;
  time: { start: string; end: string };
  trace: { traceId: string; spanId: string; parentSpanId: string | null };
  agent: {
    id: string | null;
    name: string | null;
    version: string | null;
    instanceId: string | null;
    service: string | null;
    model: string | null;
    provider: string | null;
    owner: string | null;
    credentialId: string | null;
    authenticated: { id: string; method: string } | null;
    verified: boolean;
  };
  principal: {
    id: string | null;
    type: PrincipalType | null;
    tenant: string | null;
    delegation: { id: string; type: DelegationType }[];
  } | null;
  session: { conversationId: string | null; sessionId: string | null } | null;
  action: {
    operation: ActionOperation;
    name: string;
    tool: { name: string | null; callId: string | null; type: string | null } | null;
    resource: { type: string | null; id: string | null } | null;
    kind: ActionKind | null;
    risk: ActionRisk | null;
  };
  input: PayloadCommitment | null;
  output: PayloadCommitment | null;
  authorization: {
    decision: 'allow' | 'deny';
    policyId: string | null;
    policyVersion: string | null;
    scopes: string[];
    reason: string | null;
  } | null;
  approval: {
    status: 'approved' | 'rejected' | 'pending' | 'not_required';
    approverId: string | null;
    approvalId: string | null;
    time: string | null;
    argsCommitment: string | null;
  } | null;
  outcome: { status: 'ok' | 'error' | 'unset'; errorType: string | null };
  source: { via: 'exporter' | 'collector'; receivedAt: string; convention: string; conventions: string[] };
  /** Remaining span attributes after redaction; payload attributes never appear here. */
  attributes: Record<string, AttributeValue>;
  /** Known values: RecordFlag. Readers must accept flags they do not know (added in later versions). */
  flags: string[];
  /** Names of attributes (and `span.name`) whose values were redacted. Never the secret. */
  redacted: string[];
  /** How many secrets each rule removed (rule id → count); present only when one was. */
  redactions?: Record<string, number>;
  /** Names of attributes whose values were truncated. */
  truncated: string[];
}
