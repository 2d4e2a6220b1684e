// agentrail.* attributes: identity, principal, authorization, approval, resource, kind, risk.
import * as A from '../attributes/agentrail.js';
import { F, scalarString, type ActionDraft } from '../draft.js';
import type { ActionApproval, AttributeValue, DelegationEntry, DelegationType } from '../types.js';
import type { ConventionAdapter } from './adapter.js';

const DECISIONS = new Set(['allow', 'deny']);
const APPROVAL_STATUSES = new Set(['approved', 'rejected', 'pending', 'not_required']);
const DELEGATION_TYPES = new Set(['user', 'agent', 'service']);

function stringList(v: AttributeValue | undefined): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  if (typeof v === 'string' && v.length > 0) {
    // OTLP senders that cannot send arrays may send a JSON array string
    if (v.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(v);
        if (Array.isArray(parsed)) return parsed.filter((x): x is string => typeof x === 'string' && x.length > 0);
      } catch {
        // not JSON: treat as one entry
      }
    }
    return [v];
  }
  return [];
}

/** Parse `agentrail.delegation.chain` entries "type:id"; an entry without a known type is "unknown". */
export function parseDelegationChain(v: AttributeValue | undefined): DelegationEntry[] {
  return stringList(v).map((entry) => {
    const colon = entry.indexOf(':');
    const type = colon > 0 ? entry.slice(0, colon) : '';
    if (DELEGATION_TYPES.has(type)) return { type: type as DelegationType, id: entry.slice(colon + 1) };
    return { type: 'unknown', id: entry };
  });
}

export const agentrailAdapter: ConventionAdapter = {
  convention: 'agentrail',
  read(d: ActionDraft): boolean {
    const a = d.attributes;
    let seen = false;
    if (d.take(F.AGENT_ID, a[A.ATTR_AGENTRAIL_AGENT_ID], A.ATTR_AGENTRAIL_AGENT_ID)) { seen = true; d.spanHasIdentity = true; }
    if (d.take(F.AGENT_NAME, a[A.ATTR_AGENTRAIL_AGENT_NAME], A.ATTR_AGENTRAIL_AGENT_NAME)) { seen = true; d.spanHasIdentity = true; }
    seen = d.take(F.AGENT_VERSION, a[A.ATTR_AGENTRAIL_AGENT_VERSION], A.ATTR_AGENTRAIL_AGENT_VERSION) || seen;
    seen = d.take(F.AGENT_INSTANCE_ID, a[A.ATTR_AGENTRAIL_AGENT_INSTANCE_ID], A.ATTR_AGENTRAIL_AGENT_INSTANCE_ID) || seen;
    seen = d.take(F.AGENT_OWNER, a[A.ATTR_AGENTRAIL_AGENT_OWNER], A.ATTR_AGENTRAIL_AGENT_OWNER) || seen;
    seen = d.take(F.AGENT_CREDENTIAL_ID, a[A.ATTR_AGENTRAIL_AGENT_CREDENTIAL_ID], A.ATTR_AGENTRAIL_AGENT_CREDENTIAL_ID) || seen;
    seen = d.take(F.PRINCIPAL_ID, a[A.ATTR_AGENTRAIL_PRINCIPAL_ID], A.ATTR_AGENTRAIL_PRINCIPAL_ID) || seen;
    const ptype = scalarString(a[A.ATTR_AGENTRAIL_PRINCIPAL_TYPE]);
    if (ptype !== null && DELEGATION_TYPES.has(ptype)) {
      d.put(F.PRINCIPAL_TYPE, ptype, A.ATTR_AGENTRAIL_PRINCIPAL_TYPE);
      seen = true;
    }
    seen = d.take(F.PRINCIPAL_TENANT, a[A.ATTR_AGENTRAIL_PRINCIPAL_TENANT], A.ATTR_AGENTRAIL_PRINCIPAL_TENANT) || seen;
    seen = d.take(F.RESOURCE_TYPE, a[A.ATTR_AGENTRAIL_RESOURCE_TYPE], A.ATTR_AGENTRAIL_RESOURCE_TYPE) || seen;
    seen = d.take(F.RESOURCE_ID, a[A.ATTR_AGENTRAIL_RESOURCE_ID], A.ATTR_AGENTRAIL_RESOURCE_ID) || seen;
    const kind = scalarString(a[A.ATTR_AGENTRAIL_ACTION_KIND]);
    if (kind === 'read' || kind === 'write' || kind === 'send' || kind === 'delete' || kind === 'execute') {
      d.put(F.ACTION_KIND, kind, A.ATTR_AGENTRAIL_ACTION_KIND);
      seen = true;
    }
    const risk = scalarString(a[A.ATTR_AGENTRAIL_ACTION_RISK]);
    if (risk === 'low' || risk === 'medium' || risk === 'high') {
      d.put(F.ACTION_RISK, risk, A.ATTR_AGENTRAIL_ACTION_RISK);
      seen = true;
    }

    const chain = d.attributes[A.ATTR_AGENTRAIL_DELEGATION_CHAIN];
    if (chain !== undefined) {
      d.delegation = parseDelegationChain(chain);
      d.consumed.push(A.ATTR_AGENTRAIL_DELEGATION_CHAIN);
      seen = true;
    }

    const decision = scalarString(a[A.ATTR_AGENTRAIL_AUTHZ_DECISION]);
    if (decision !== null && DECISIONS.has(decision)) {
      d.authorization = {
        decision: decision as 'allow' | 'deny',
        policyId: scalarString(a[A.ATTR_AGENTRAIL_AUTHZ_POLICY_ID]),
        policyVersion: scalarString(a[A.ATTR_AGENTRAIL_AUTHZ_POLICY_VERSION]),
        scopes: stringList(d.attributes[A.ATTR_AGENTRAIL_AUTHZ_SCOPES]),
        reason: scalarString(a[A.ATTR_AGENTRAIL_AUTHZ_REASON]),
      };
      d.consumed.push(
        A.ATTR_AGENTRAIL_AUTHZ_DECISION, A.ATTR_AGENTRAIL_AUTHZ_POLICY_ID, A.ATTR_AGENTRAIL_AUTHZ_POLICY_VERSION,
        A.ATTR_AGENTRAIL_AUTHZ_SCOPES, A.ATTR_AGENTRAIL_AUTHZ_REASON,
      );
      seen = true;
    }

    const status = scalarString(a[A.ATTR_AGENTRAIL_APPROVAL_STATUS]);
    if (status !== null && APPROVAL_STATUSES.has(status)) {
      d.approval = {
        status: status as ActionApproval['status'],
        approverId: scalarString(a[A.ATTR_AGENTRAIL_APPROVAL_APPROVER_ID]),
        approvalId: scalarString(a[A.ATTR_AGENTRAIL_APPROVAL_ID]),
        time: scalarString(a[A.ATTR_AGENTRAIL_APPROVAL_TIME]),
        argsDigest: scalarString(a[A.ATTR_AGENTRAIL_APPROVAL_ARGS_DIGEST]),
      };
      d.consumed.push(
        A.ATTR_AGENTRAIL_APPROVAL_STATUS, A.ATTR_AGENTRAIL_APPROVAL_APPROVER_ID, A.ATTR_AGENTRAIL_APPROVAL_ID,
        A.ATTR_AGENTRAIL_APPROVAL_TIME, A.ATTR_AGENTRAIL_APPROVAL_ARGS_DIGEST,
      );
      seen = true;
    }
    return seen;
  },
};
