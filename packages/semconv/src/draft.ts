// The mutable collector adapters write into. Adapters run in precedence order and a field keeps
// the first value written, so "per field, the first convention that has a value wins".
import type {
  ActionApproval, ActionAuthorization, ActionOperation, AttributeValue, Attributes, Convention,
  DelegationEntry,
} from './types.js';

export type DraftField =
  | 'agent.id' | 'agent.name' | 'agent.version' | 'agent.instanceId' | 'agent.owner'
  | 'agent.credentialId' | 'agent.model' | 'agent.provider'
  | 'principal.id' | 'principal.type' | 'principal.tenant'
  | 'session.conversationId' | 'session.sessionId'
  | 'tool.name' | 'tool.callId' | 'tool.type'
  | 'resource.type' | 'resource.id'
  | 'action.kind' | 'action.risk' | 'error.type';

/** A scalar attribute as a non-empty string, or null. */
export function scalarString(v: AttributeValue | undefined): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** Field values by name; a plain object with every field present keeps one hidden class. */
export type DraftFields = Record<DraftField, string | null>;

function emptyFields(): DraftFields {
  return {
    'agent.id': null, 'agent.name': null, 'agent.version': null, 'agent.instanceId': null, 'agent.owner': null,
    'agent.credentialId': null, 'agent.model': null, 'agent.provider': null,
    'principal.id': null, 'principal.type': null, 'principal.tenant': null,
    'session.conversationId': null, 'session.sessionId': null,
    'tool.name': null, 'tool.callId': null, 'tool.type': null,
    'resource.type': null, 'resource.id': null,
    'action.kind': null, 'action.risk': null, 'error.type': null,
  };
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

  str(key: string): string | null {
    return scalarString(this.attributes[key]);
  }

  has(key: string): boolean {
    return this.attributes[key] !== undefined;
  }

  /** Take `field` from attribute `key` unless a higher-precedence convention already set it. */
  take(field: DraftField, key: string): boolean {
    if (this.fields[field] !== null) return false;
    const v = this.str(key);
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
    return this.fields[field];
  }

  classify(operation: ActionOperation, by: Convention): void {
    if (this.operation !== null) return;
    this.operation = operation;
    this.operationBy = by;
  }
}
