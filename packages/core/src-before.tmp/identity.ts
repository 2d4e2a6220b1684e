// What the sender proved (supplied by the front door) against what the span claims.

export interface AuthenticatedIdentity {
  /** Who the sender proved to be (e.g. the credential's subject). */
  id: string;
  /** How it was proved, e.g. "bearer", "mtls", "in-process". */
  method: string;
  /** Tenant the credential belongs to, when tenants are used. */
  tenant?: string;
  /** Agent ids this credential may speak for; ['*'] means any. Absent: only `id` itself. */
  agentIds?: readonly string[];
}

/** Whether `authenticated` may speak for the claimed agent id. */
export function mayActAs(authenticated: AuthenticatedIdentity, claimed: string): boolean {
  const allowed = authenticated.agentIds;
  if (allowed === undefined) return authenticated.id === claimed;
  return allowed.includes('*') || allowed.includes(claimed);
}
