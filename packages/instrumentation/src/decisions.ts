// Authorization decisions and human approvals, attached to the active (tool) span.
import { diag, trace, type Attributes, type Span } from '@opentelemetry/api';
import { argumentsDigest } from '@agentrail/core';
import {
  ATTR_AGENTRAIL_APPROVAL_APPROVER_ID,
  ATTR_AGENTRAIL_APPROVAL_ARGS_DIGEST,
  ATTR_AGENTRAIL_APPROVAL_ID,
  ATTR_AGENTRAIL_APPROVAL_STATUS,
  ATTR_AGENTRAIL_APPROVAL_TIME,
  ATTR_AGENTRAIL_AUTHZ_DECISION,
  ATTR_AGENTRAIL_AUTHZ_POLICY_ID,
  ATTR_AGENTRAIL_AUTHZ_POLICY_VERSION,
  ATTR_AGENTRAIL_AUTHZ_REASON,
  ATTR_AGENTRAIL_AUTHZ_SCOPES,
} from '@agentrail/semconv';
import { InvalidDecisionError } from './errors.js';
import { toJsonText } from './json.js';

export interface Authorization {
  decision: 'allow' | 'deny';
  policyId: string;
  policyVersion?: string;
  scopes?: readonly string[];
  reason?: string;
}

export type ApprovalStatus = 'approved' | 'rejected' | 'pending' | 'not_required';

export interface Approval {
  status: ApprovalStatus;
  approverId: string;
  approvalId?: string;
  /** When the approver decided (default: now). */
  time?: Date | string | number;
  /**
   * The arguments the approver saw. Only their digest is recorded; the audit pipeline compares it
   * with the call's actual arguments and flags `approval_mismatch` when they differ.
   */
  args?: unknown;
}

const DECISIONS: ReadonlySet<string> = new Set(['allow', 'deny']);
const STATUSES: ReadonlySet<string> = new Set(['approved', 'rejected', 'pending', 'not_required']);

function activeSpan(what: string): Span | undefined {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) {
    diag.warn(`agentrail: ${what} called outside a recording span; nothing was recorded`);
    return undefined;
  }
  return span;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidDecisionError(`${field} must be a non-empty string`);
  return value;
}

function rfc3339(time: Date | string | number | undefined): string {
  const d = time === undefined ? new Date() : new Date(time);
  if (Number.isNaN(d.getTime())) throw new InvalidDecisionError(`approval time ${JSON.stringify(time)} is not a valid date`);
  return d.toISOString();
}

/**
 * Records an authorization decision on the active span (normally the tool span from
 * `traceTool`). Returns false, with a diag warning, when there is no recording span.
 */
export function recordAuthorization(authz: Authorization): boolean {
  if (authz === null || typeof authz !== 'object') throw new InvalidDecisionError('authorization must be an object');
  if (!DECISIONS.has(authz.decision)) {
    throw new InvalidDecisionError(`authorization decision must be "allow" or "deny", got ${JSON.stringify(authz.decision)}`);
  }
  const attrs: Attributes = {
    [ATTR_AGENTRAIL_AUTHZ_DECISION]: authz.decision,
    [ATTR_AGENTRAIL_AUTHZ_POLICY_ID]: text(authz.policyId, 'authorization policyId'),
  };
  if (authz.policyVersion !== undefined) attrs[ATTR_AGENTRAIL_AUTHZ_POLICY_VERSION] = text(authz.policyVersion, 'authorization policyVersion');
  if (authz.scopes !== undefined) {
    if (!Array.isArray(authz.scopes) || authz.scopes.some((s) => typeof s !== 'string')) {
      throw new InvalidDecisionError('authorization scopes must be an array of strings');
    }
    attrs[ATTR_AGENTRAIL_AUTHZ_SCOPES] = [...authz.scopes];
  }
  if (authz.reason !== undefined) attrs[ATTR_AGENTRAIL_AUTHZ_REASON] = String(authz.reason);
  const span = activeSpan('recordAuthorization');
  if (!span) return false;
  span.setAttributes(attrs);
  return true;
}

/**
 * Records a human approval on the active span. With `args`, the approval carries
 * `argumentsDigest(args)` (over the same JSON the tool span records), binding it to exactly
 * those arguments. Returns false, with a diag warning, when there is no recording span.
 */
export function recordApproval(approval: Approval): boolean {
  if (approval === null || typeof approval !== 'object') throw new InvalidDecisionError('approval must be an object');
  if (!STATUSES.has(approval.status)) {
    throw new InvalidDecisionError(
      `approval status must be "approved", "rejected", "pending" or "not_required", got ${JSON.stringify(approval.status)}`,
    );
  }
  const attrs: Attributes = {
    [ATTR_AGENTRAIL_APPROVAL_STATUS]: approval.status,
    [ATTR_AGENTRAIL_APPROVAL_APPROVER_ID]: text(approval.approverId, 'approval approverId'),
    [ATTR_AGENTRAIL_APPROVAL_TIME]: rfc3339(approval.time),
  };
  if (approval.approvalId !== undefined) attrs[ATTR_AGENTRAIL_APPROVAL_ID] = text(approval.approvalId, 'approval approvalId');
  if (approval.args !== undefined) {
    // Digest the JSON text the tool span records, so equal arguments always give equal digests.
    attrs[ATTR_AGENTRAIL_APPROVAL_ARGS_DIGEST] = argumentsDigest(toJsonText(approval.args) ?? 'null');
  }
  const span = activeSpan('recordApproval');
  if (!span) return false;
  span.setAttributes(attrs);
  return true;
}
