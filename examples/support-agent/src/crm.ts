// The support desk's back office: customers, orders and an outbox, in memory. A real deployment
// would call its CRM and mail service here; the audit trail is the same.

export interface Customer {
  id: string;
  name: string;
  email: string;
  tier: 'standard' | 'gold';
  /** Internal notes hold things that must never leak into logs (here: a payment-provider key). */
  internalNotes: string;
}

export interface Order {
  id: string;
  customerId: string;
  items: { sku: string; title: string; price: number }[];
  total: number;
  currency: 'EUR';
  status: 'processing' | 'shipped' | 'delivered';
}

export interface SentEmail {
  to: string;
  subject: string;
  body: string;
}

export interface BackOffice {
  customers: Map<string, Customer>;
  orders: Map<string, Order>;
  outbox: SentEmail[];
  refunds: { orderId: string; amount: number }[];
}

/**
 * Seeded data. `secret` ends up in a customer's internal notes, so it flows through a tool
 * result and the model's context: the audit log must only ever hold commitments of it.
 */
export function seedBackOffice(secret: string): BackOffice {
  const customers = new Map<string, Customer>([
    [
      'cus_1042',
      {
        id: 'cus_1042',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        tier: 'gold',
        internalNotes: `Chargeback contact via payment provider, key ${secret}`,
      },
    ],
  ]);
  const orders = new Map<string, Order>([
    [
      'ord_7731',
      {
        id: 'ord_7731',
        customerId: 'cus_1042',
        items: [
          { sku: 'LOOM-01', title: 'Jacquard loom (desk model)', price: 149 },
          { sku: 'CARD-50', title: 'Punched cards, pack of 50', price: 21 },
        ],
        total: 170,
        currency: 'EUR',
        status: 'delivered',
      },
    ],
  ]);
  return { customers, orders, outbox: [], refunds: [] };
}
