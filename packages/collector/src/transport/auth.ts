// Credentials: bearer tokens and API keys, stored only as SHA-256 hashes and compared in
// constant time. A credential decides the sender's authenticated identity.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthenticatedIdentity } from '@agentrail/core';

export interface CredentialConfig {
  /** Stable id of the credential/sender, recorded as `agent.authenticated.id`. */
  id: string;
  /** SHA-256 of the token, lowercase hex (see `hashToken`). */
  sha256: string;
  tenant?: string;
  /** Agent ids this credential may speak for; `['*']` for any. Empty: none. */
  agentIds?: readonly string[];
}

/** SHA-256 hex of a token, the form credentials are stored in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type AuthResult =
  | { ok: true; identity: AuthenticatedIdentity | null }
  | { ok: false; reason: string };

export interface Authenticator {
  /** True when any credential is configured (requests must then present one). */
  readonly required: boolean;
  authenticate(headers: IncomingHttpHeaders): AuthResult;
}

/** The header carrying an API key, besides `Authorization: Bearer <token>`. */
export const API_KEY_HEADER = 'x-api-key';

export function createAuthenticator(credentials: readonly CredentialConfig[]): Authenticator {
  const entries = credentials.map((c) => ({ hash: Buffer.from(c.sha256, 'hex'), cred: c }));
  const required = entries.length > 0;
  return {
    required,
    authenticate(headers) {
      if (!required) return { ok: true, identity: null };
      let token: string | undefined;
      let method: 'bearer' | 'api_key' = 'bearer';
      const authz = headers.authorization;
      if (typeof authz === 'string' && authz.length > 0) {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
        if (!m) return { ok: false, reason: 'Authorization header must be "Bearer <token>"' };
        token = m[1];
      } else {
        const key = headers[API_KEY_HEADER];
        if (typeof key === 'string' && key.length > 0) {
          token = key.trim();
          method = 'api_key';
        }
      }
      if (!token) return { ok: false, reason: `missing credentials: send "Authorization: Bearer <token>" or "${API_KEY_HEADER}: <key>"` };
      const presented = createHash('sha256').update(token, 'utf8').digest();
      // Compare against every credential so timing does not reveal which one (or whether any) matched.
      let match: CredentialConfig | undefined;
      for (const e of entries) {
        if (timingSafeEqual(presented, e.hash) && !match) match = e.cred;
      }
      if (!match) return { ok: false, reason: 'invalid credentials' };
      const identity: AuthenticatedIdentity = {
        id: match.id,
        method,
        ...(match.tenant !== undefined ? { tenant: match.tenant } : {}),
        ...(match.agentIds !== undefined ? { agentIds: match.agentIds } : {}),
      };
      return { ok: true, identity };
    },
  };
}
