// agentrail's own attributes, for what no convention covers. Agent authors set these (directly or
// through @agentrail/instrumentation); every name, type and example is in the package README.
// These names are a contract: never rename one.

// Agent identity as the agent claims it
export const ATTR_AGENTRAIL_AGENT_ID = 'agentrail.agent.id' as const;
export const ATTR_AGENTRAIL_AGENT_NAME = 'agentrail.agent.name' as const;
export const ATTR_AGENTRAIL_AGENT_VERSION = 'agentrail.agent.version' as const;
export const ATTR_AGENTRAIL_AGENT_INSTANCE_ID = 'agentrail.agent.instance_id' as const;
export const ATTR_AGENTRAIL_AGENT_OWNER = 'agentrail.agent.owner' as const;
export const ATTR_AGENTRAIL_AGENT_CREDENTIAL_ID = 'agentrail.agent.credential_id' as const;

// On whose behalf
export const ATTR_AGENTRAIL_PRINCIPAL_ID = 'agentrail.principal.id' as const;
export const ATTR_AGENTRAIL_PRINCIPAL_TYPE = 'agentrail.principal.type' as const;
export const ATTR_AGENTRAIL_PRINCIPAL_TENANT = 'agentrail.principal.tenant' as const;
/** string[]: "type:id" entries, from the original principal to the immediate delegator. */
export const ATTR_AGENTRAIL_DELEGATION_CHAIN = 'agentrail.delegation.chain' as const;

// Authorization decision taken before the action
export const ATTR_AGENTRAIL_AUTHZ_DECISION = 'agentrail.authz.decision' as const;
export const ATTR_AGENTRAIL_AUTHZ_POLICY_ID = 'agentrail.authz.policy.id' as const;
export const ATTR_AGENTRAIL_AUTHZ_POLICY_VERSION = 'agentrail.authz.policy.version' as const;
export const ATTR_AGENTRAIL_AUTHZ_SCOPES = 'agentrail.authz.scopes' as const;
export const ATTR_AGENTRAIL_AUTHZ_REASON = 'agentrail.authz.reason' as const;

// Human (or agent) approval of this action
export const ATTR_AGENTRAIL_APPROVAL_STATUS = 'agentrail.approval.status' as const;
export const ATTR_AGENTRAIL_APPROVAL_APPROVER_ID = 'agentrail.approval.approver.id' as const;
export const ATTR_AGENTRAIL_APPROVAL_ID = 'agentrail.approval.id' as const;
export const ATTR_AGENTRAIL_APPROVAL_TIME = 'agentrail.approval.time' as const;
/** `sha256:<hex>` of the RFC 8785 canonical JSON of the approved tool arguments. */
export const ATTR_AGENTRAIL_APPROVAL_ARGS_DIGEST = 'agentrail.approval.args_digest' as const;

// What the action touches and how dangerous it is
export const ATTR_AGENTRAIL_RESOURCE_TYPE = 'agentrail.resource.type' as const;
export const ATTR_AGENTRAIL_RESOURCE_ID = 'agentrail.resource.id' as const;
export const ATTR_AGENTRAIL_ACTION_KIND = 'agentrail.action.kind' as const;
export const ATTR_AGENTRAIL_ACTION_RISK = 'agentrail.action.risk' as const;

// Set by agentrail on forwarded spans: the record's place in the log
export const ATTR_AGENTRAIL_RECORD_INDEX = 'agentrail.record.index' as const;
export const ATTR_AGENTRAIL_RECORD_HASH = 'agentrail.record.hash' as const;

export const AGENTRAIL_PRINCIPAL_TYPE_VALUE_USER = 'user' as const;
export const AGENTRAIL_PRINCIPAL_TYPE_VALUE_AGENT = 'agent' as const;
export const AGENTRAIL_PRINCIPAL_TYPE_VALUE_SERVICE = 'service' as const;

export const AGENTRAIL_AUTHZ_DECISION_VALUE_ALLOW = 'allow' as const;
export const AGENTRAIL_AUTHZ_DECISION_VALUE_DENY = 'deny' as const;

export const AGENTRAIL_APPROVAL_STATUS_VALUE_APPROVED = 'approved' as const;
export const AGENTRAIL_APPROVAL_STATUS_VALUE_REJECTED = 'rejected' as const;
export const AGENTRAIL_APPROVAL_STATUS_VALUE_PENDING = 'pending' as const;
export const AGENTRAIL_APPROVAL_STATUS_VALUE_NOT_REQUIRED = 'not_required' as const;

export const AGENTRAIL_ACTION_KIND_VALUE_READ = 'read' as const;
export const AGENTRAIL_ACTION_KIND_VALUE_WRITE = 'write' as const;
export const AGENTRAIL_ACTION_KIND_VALUE_SEND = 'send' as const;
export const AGENTRAIL_ACTION_KIND_VALUE_DELETE = 'delete' as const;
export const AGENTRAIL_ACTION_KIND_VALUE_EXECUTE = 'execute' as const;

export const AGENTRAIL_ACTION_RISK_VALUE_LOW = 'low' as const;
export const AGENTRAIL_ACTION_RISK_VALUE_MEDIUM = 'medium' as const;
export const AGENTRAIL_ACTION_RISK_VALUE_HIGH = 'high' as const;
