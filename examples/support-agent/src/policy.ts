// The support desk's policy: which tool calls the agent may make on its own, which need a human,
// and which are refused. Every decision is recorded on the tool call's span.

export const POLICY_ID = 'support-desk';
export const POLICY_VERSION = '2026-11';
/** Refunds up to this amount are self-service; above it a human must handle them. */
export const REFUND_LIMIT_EUR = 100;

export interface PolicyDecision {
  decision: 'allow' | 'deny';
  scopes: string[];
  reason: string;
  /** Whether a human must approve the call before it runs. */
  approval: 'required' | 'not_required';
}

export function evaluate(toolName: string, input: Record<string, unknown>): PolicyDecision {
  switch (toolName) {
    case 'lookup_customer':
      return { decision: 'allow', scopes: ['customers:read'], reason: 'read-only lookup', approval: 'not_required' };
    case 'read_order':
      return { decision: 'allow', scopes: ['orders:read'], reason: 'read-only lookup', approval: 'not_required' };
    case 'send_email':
      return {
        decision: 'allow',
        scopes: ['email:send'],
        reason: 'outbound customer email needs a human in the loop',
        approval: 'required',
      };
    case 'refund': {
      const amount = typeof input.amount === 'number' ? input.amount : Number.NaN;
      if (!(amount <= REFUND_LIMIT_EUR)) {
        return {
          decision: 'deny',
          scopes: ['payments:refund'],
          reason: `refund of ${amount} EUR exceeds the ${REFUND_LIMIT_EUR} EUR self-service limit`,
          approval: 'not_required',
        };
      }
      return { decision: 'allow', scopes: ['payments:refund'], reason: 'within self-service limit', approval: 'not_required' };
    }
    default:
      return { decision: 'deny', scopes: [], reason: `unknown tool ${toolName}`, approval: 'not_required' };
  }
}

export interface ApprovalRequest {
  toolName: string;
  input: Record<string, unknown>;
}

export interface ApprovalResponse {
  status: 'approved' | 'rejected';
  approverId: string;
  approvalId: string;
  time: Date;
}

/** Who reviews high-risk calls. The demo's supervisor approves every email she is shown. */
export type Approver = (request: ApprovalRequest) => Promise<ApprovalResponse>;

export const demoSupervisor: Approver = async () => ({
  status: 'approved',
  approverId: 'supervisor:grace.hopper',
  approvalId: `apr_${Date.now().toString(36)}`,
  time: new Date(),
});
