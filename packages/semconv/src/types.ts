// The neutral shapes adapters read from and produce.

/** An OpenTelemetry attribute value after decoding (OTLP AnyValue maps to this). */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Readonly<Record<string, AttributeValue>>;

/** The part of a span the adapters look at. */
export interface SpanView {
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer */
  kind: number;
  attributes: Attributes;
  resource: Attributes;
  status: { code: 0 | 1 | 2; message?: string };
}

export type Convention =
  | 'agentrail'
  | 'otel_genai'
  | 'agent365'
  | 'vercel_ai'
  | 'openinference'
  | 'openllmetry'
  | 'mcp'
  | 'generic';

export type ActionOperation =
  | 'invoke_agent'
  | 'execute_tool'
  | 'chat'
  | 'embeddings'
  | 'retrieval'
  | 'mcp'
  | 'http'
  | 'db'
  | 'other';

export type ActionKind = 'read' | 'write' | 'send' | 'delete' | 'execute';
export type ActionRisk = 'low' | 'medium' | 'high';
export type PrincipalType = 'user' | 'agent' | 'service';
export type DelegationType = PrincipalType | 'unknown';

export interface DelegationEntry {
  id: string;
  type: DelegationType;
}

export interface ActionAuthorization {
  decision: 'allow' | 'deny';
  policyId: string | null;
  policyVersion: string | null;
  scopes: string[];
  reason: string | null;
}

export interface ActionApproval {
  status: 'approved' | 'rejected' | 'pending' | 'not_required';
  approverId: string | null;
  approvalId: string | null;
  time: string | null;
  /** `sha256:<hex>` digest of the approved arguments as the span states it. */
  argsDigest: string | null;
}

/** One agent action read from a span, whatever convention described it. */
export interface AgentAction {
  /** The convention that decided the operation. */
  convention: Convention;
  /** Every convention seen on the span, in precedence order. */
  conventions: Convention[];
  operation: ActionOperation;
  agent: {
    id: string | null;
    name: string | null;
    version: string | null;
    instanceId: string | null;
    owner: string | null;
    credentialId: string | null;
    model: string | null;
    provider: string | null;
    service: string | null;
  };
  principal: {
    id: string | null;
    type: PrincipalType | null;
    tenant: string | null;
    delegation: DelegationEntry[];
  };
  session: { conversationId: string | null; sessionId: string | null };
  tool: { name: string | null; callId: string | null; type: string | null } | null;
  resource: { type: string | null; id: string | null } | null;
  kind: ActionKind | null;
  risk: ActionRisk | null;
  authorization: ActionAuthorization | null;
  approval: ActionApproval | null;
  errorType: string | null;
  /** Attribute key holding the tool call's arguments, when the span has one. */
  toolArgumentsKey: string | null;
  /** Span attribute keys whose values were mapped into the fields above. */
  consumed: string[];
}
