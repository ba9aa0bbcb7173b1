// From an Authorization header to a Principal, for the HTTP layer: verify the token, read the identity,
// load the case memberships now. A presented token that is refused is audited before the refusal is
// returned; a request with no token at all is not (it never claimed to be anyone).
import { decodeJwt } from 'jose';
import type { Db } from '../store/db.ts';
import { appendAudit, type AuditEvent } from './audit.ts';
import type { AuthConfig } from './config.ts';
import { identityFromClaims, loadPrincipal, type Principal } from './principal.ts';
import { bearerToken, createTokenVerifier, TokenError, type TokenVerifier } from './tokens.ts';

export interface Authenticator {
  /** Throws TokenError (401, or 503 when the IdP's keys are unreachable), or the audit store's error. */
  authenticate(authorization: string | undefined, request: { ip?: string }): Promise<Principal>;
}

export function createAuthenticator(opts: {
  config: AuthConfig;
  db: Db;
  verifier?: TokenVerifier;
  /** Where refusals are recorded; by default an entry of its own in the audit trail. */
  audit?: (event: AuditEvent) => Promise<unknown>;
}): Authenticator {
  const verifier = opts.verifier ?? createTokenVerifier(opts.config);
  const audit = opts.audit ?? ((event: AuditEvent) => appendAudit(opts.db, event));
  return {
    async authenticate(authorization, request) {
      const token = bearerToken(authorization);
      try {
        const { claims } = await verifier.verify(token);
        return await loadPrincipal(opts.db, identityFromClaims(claims, opts.config));
      } catch (err) {
        if (!(err instanceof TokenError)) throw err;
        await audit({ kind: 'token-rejected', actor: 'anonymous', reason: `${err.code}: ${err.message}`, claimedSubject: unverifiedSubject(token), ip: request.ip ?? null });
        throw err;
      }
    },
  };
}

/** RFC 6750 §3 challenge for a refused request, for the WWW-Authenticate header. */
export function bearerChallenge(err: TokenError): string {
  if (err.code === 'missing') return 'Bearer';
  if (err.code === 'jwks-unavailable') return 'Bearer error="temporarily_unavailable"';
  return `Bearer error="invalid_token", error_description="${err.code}"`;
}

// For the audit only: what the refused token claimed to be, marked as unverified by the field's name.
function unverifiedSubject(token: string): string | null {
  try {
    const sub = decodeJwt(token).sub;
    return typeof sub === 'string' ? sub.slice(0, 200) : null;
  } catch {
    return null;
  }
}
