// The mutable collector adapters write into. Adapters run in precedence order and a field keeps
// the first value written, so "per field, the first convention that has a value wins".
import type {
  ActionApproval, ActionAuthorization, ActionOperation, AttributeValue, Attributes, Convention,
  DelegationEntry,
} from './types.js';

/**
 * The AgentAction fields adapters fill, as indexes into ActionDraft.fields. Numbers, not names:
 * each field is read and written through one shared site in take/put, and an indexed array
 * access there stays fast where a lookup by many property names would be megamorphic.
 */
export const F = {
  AGENT_ID: 0,
  AGENT_NAME: 1,
  AGENT_VERSION: 2,
  AGENT_INSTANCE_ID: 3,
  AGENT_OWNER: 4,
  AGENT_CREDENTIAL_ID: 5,
  AGENT_MODEL: 6,
  AGENT_PROVIDER: 7,
  PRINCIPAL_ID: 8,
  PRINCIPAL_TYPE: 9,
  PRINCIPAL_TENANT: 10,
  SESSION_CONVERSATION_ID: 11,
  SESSION_SESSION_ID: 12,
  TOOL_NAME: 13,
  TOOL_CALL_ID: 14,
  TOOL_TYPE: 15,
  RESOURCE_TYPE: 16,
  RESOURCE_ID: 17,
  ACTION_KIND: 18,
  ACTION_RISK: 19,
  ERROR_TYPE: 20,
} as const;

export type DraftField = (typeof F)[keyof typeof F];

const FIELD_COUNT = Object.keys(F).length;

/** A scalar attribute as a non-empty string, or null. */
export function scalarString(v: AttributeValue | undefined): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** Field values by DraftField index; null until an adapter sets one. */
export type DraftFields = (string | null)[];

function emptyFields(): DraftFields {
  const fields: DraftFields = [];
  for (let i = 0; i < FIELD_COUNT; i++) fields.push(null);
  return fields;
}

export class ActionDraft {
  readonly fields: DraftFields = emptyFields();
  readonly consumed: string[] = [];
  readonly conventions: Convention[] = [];
  operation: ActionOperation | null = null;
  operationBy: Convention | null = null;
  delegation: DelegationEntry[] | null = null;
  authorization: ActionAuthorization | null = null;
  approval: ActionApproval | null = null;
  toolArgumentsKey: string | null = null;
  /** The span itself names an agent (rule: such spans are always agent actions). */
  spanHasIdentity = false;

  constructor(readonly attributes: Attributes, readonly spanName: string) {}

  /**
   * Take `field` from the value of attribute `key` unless a higher-precedence convention already
   * set it. Adapters read the value themselves (`d.attributes[KEY]`, one read site per name):
   * V8 then keeps each lookup monomorphic, where one shared lookup site would be megamorphic and
   * several times slower — this runs about eighty times per span.
   */
  take(field: DraftField, value: AttributeValue | undefined, key: string): boolean {
    if (this.fields[field] !== null) return false;
    const v = scalarString(value);
    if (v === null) return false;
    this.fields[field] = v;
    this.consumed.push(key);
    return true;
  }

  /** Take `field` from a value computed by the adapter (not one attribute). */
  put(field: DraftField, value: string | null, key?: string): void {
    if (value === null || this.fields[field] !== null) return;
    this.fields[field] = value;
    if (key !== undefined) this.consumed.push(key);
  }

  get(field: DraftField): string | null {
    return this.fields[field] ?? null;
  }

  classify(operation: ActionOperation, by: Convention): void {
    if (this.operation !== null) return;
    this.operation = operation;
    this.operationBy = by;
  }
}
