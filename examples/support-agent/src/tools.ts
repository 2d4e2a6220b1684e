// The agent's tools: real functions over the back office, each governed by the desk's policy.
// The AI SDK runs every `execute` inside its own `ai.toolCall` span; `auditTool` marks what the
// call does and `recordAuthorization` / `recordApproval` put the decisions on that same span.
import { tool } from 'ai';
import { z } from 'zod';
import { recordApproval, recordAuthorization } from '@agentrail/instrumentation';
import { auditTool } from '@agentrail/instrumentation/ai-sdk';
import type { BackOffice } from './crm.js';
import { evaluate, POLICY_ID, POLICY_VERSION, type Approver } from './policy.js';

/** The policy refused the call; the model gets the reason as the tool's error. */
export class PolicyDeniedError extends Error {
  readonly code = 'ERR_POLICY_DENIED' as const;
  override readonly name = 'PolicyDeniedError';
}

/** A human reviewer rejected the call. */
export class ApprovalRejectedError extends Error {
  readonly code = 'ERR_APPROVAL_REJECTED' as const;
  override readonly name = 'ApprovalRejectedError';
}

/** A tool was asked for something that does not exist. */
export class NotFoundError extends Error {
  readonly code = 'ERR_NOT_FOUND' as const;
  override readonly name = 'NotFoundError';
}

/**
 * Decides a tool call by policy, records the decision (and the approval, or that none was needed)
 * on the active span, and asks a human when the policy says so. Throws when the call must not run.
 * Framework-neutral: the OpenAI Agents example uses it too.
 */
export async function govern(toolName: string, input: Record<string, unknown>, approver: Approver): Promise<void> {
  const policy = evaluate(toolName, input);
  recordAuthorization({
    decision: policy.decision,
    policyId: POLICY_ID,
    policyVersion: POLICY_VERSION,
    scopes: policy.scopes,
    reason: policy.reason,
  });
  if (policy.decision === 'deny') {
    recordApproval({ status: 'not_required', approverId: `policy:${POLICY_ID}` });
    throw new PolicyDeniedError(policy.reason);
  }
  if (policy.approval === 'not_required') {
    recordApproval({ status: 'not_required', approverId: `policy:${POLICY_ID}` });
    return;
  }
  const review = await approver({ toolName, input });
  // `args` binds the approval to exactly these arguments (only their digest is recorded).
  recordApproval({ status: review.status, approverId: review.approverId, approvalId: review.approvalId, time: review.time, args: input });
  if (review.status !== 'approved') throw new ApprovalRejectedError(`${review.approverId} rejected ${toolName}`);
}

export function supportTools(office: BackOffice, approver: Approver) {
  return {
    lookup_customer: auditTool(
      tool({
        description: 'Look up a customer profile by customer id',
        inputSchema: z.object({ customerId: z.string() }),
        execute: async (input) => {
          await govern('lookup_customer', input, approver);
          const customer = office.customers.get(input.customerId);
          if (!customer) throw new NotFoundError(`no customer ${input.customerId}`);
          return customer;
        },
      }),
      { kind: 'read', risk: 'low', resource: ({ customerId }) => ({ type: 'customer', id: customerId }) },
    ),
    read_order: auditTool(
      tool({
        description: 'Read an order by order id',
        inputSchema: z.object({ orderId: z.string() }),
        execute: async (input) => {
          await govern('read_order', input, approver);
          const order = office.orders.get(input.orderId);
          if (!order) throw new NotFoundError(`no order ${input.orderId}`);
          return order;
        },
      }),
      { kind: 'read', risk: 'low', resource: ({ orderId }) => ({ type: 'order', id: orderId }) },
    ),
    refund: auditTool(
      tool({
        description: 'Refund (part of) an order to the original payment method',
        inputSchema: z.object({ orderId: z.string(), amount: z.number().positive(), reason: z.string() }),
        execute: async (input) => {
          await govern('refund', input, approver);
          office.refunds.push({ orderId: input.orderId, amount: input.amount });
          return { refunded: input.amount, currency: 'EUR' };
        },
      }),
      { kind: 'write', risk: 'high', resource: ({ orderId }) => ({ type: 'order', id: orderId }) },
    ),
    send_email: auditTool(
      tool({
        description: 'Send an email to a customer',
        inputSchema: z.object({ customerId: z.string(), subject: z.string(), body: z.string() }),
        execute: async (input) => {
          await govern('send_email', input, approver);
          const customer = office.customers.get(input.customerId);
          if (!customer) throw new NotFoundError(`no customer ${input.customerId}`);
          office.outbox.push({ to: customer.email, subject: input.subject, body: input.body });
          return { queued: true };
        },
      }),
      { kind: 'send', risk: 'high', resource: ({ customerId }) => ({ type: 'customer', id: customerId }) },
    ),
  };
}
