// The same four tools as the AI SDK example, as Agents SDK function tools. `auditExecute` runs
// each call with its OTel span active, so `govern` records the policy decision and approval on it.
import { tool } from '@openai/agents-core';
import { z } from 'zod';
import { auditExecute } from '@agentrail/instrumentation/openai-agents';
import { govern, NotFoundError, type Approver, type BackOffice } from '@agentrail/example-support-agent';

export function supportTools(office: BackOffice, approver: Approver) {
  const lookupCustomer = tool({
    name: 'lookup_customer',
    description: 'Look up a customer profile by customer id',
    parameters: z.object({ customerId: z.string() }),
    execute: auditExecute(
      async (input) => {
        await govern('lookup_customer', input, approver);
        const customer = office.customers.get(input.customerId);
        if (!customer) throw new NotFoundError(`no customer ${input.customerId}`);
        return customer;
      },
      { kind: 'read', risk: 'low', resource: ({ customerId }) => ({ type: 'customer', id: customerId }) },
    ),
  });
  const readOrder = tool({
    name: 'read_order',
    description: 'Read an order by order id',
    parameters: z.object({ orderId: z.string() }),
    execute: auditExecute(
      async (input) => {
        await govern('read_order', input, approver);
        const order = office.orders.get(input.orderId);
        if (!order) throw new NotFoundError(`no order ${input.orderId}`);
        return order;
      },
      { kind: 'read', risk: 'low', resource: ({ orderId }) => ({ type: 'order', id: orderId }) },
    ),
  });
  const refund = tool({
    name: 'refund',
    description: 'Refund (part of) an order to the original payment method',
    parameters: z.object({ orderId: z.string(), amount: z.number().positive(), reason: z.string() }),
    execute: auditExecute(
      async (input) => {
        await govern('refund', input, approver);
        office.refunds.push({ orderId: input.orderId, amount: input.amount });
        return { refunded: input.amount, currency: 'EUR' };
      },
      { kind: 'write', risk: 'high', resource: ({ orderId }) => ({ type: 'order', id: orderId }) },
    ),
  });
  const sendEmail = tool({
    name: 'send_email',
    description: 'Send an email to a customer',
    parameters: z.object({ customerId: z.string(), subject: z.string(), body: z.string() }),
    execute: auditExecute(
      async (input) => {
        await govern('send_email', input, approver);
        const customer = office.customers.get(input.customerId);
        if (!customer) throw new NotFoundError(`no customer ${input.customerId}`);
        office.outbox.push({ to: customer.email, subject: input.subject, body: input.body });
        return { queued: true };
      },
      { kind: 'send', risk: 'high', resource: ({ customerId }) => ({ type: 'customer', id: customerId }) },
    ),
  });
  return [lookupCustomer, readOrder, refund, sendEmail];
}
