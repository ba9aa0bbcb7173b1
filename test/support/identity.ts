import type { JWK } from 'jose';
import type { AuthConfig } from '../../src/auth/config.ts';
import { generateSigningKey } from '../../src/auth/dev-idp.ts';
import { accessClaims, authConfig, jwksServer, sign, type JwksServer } from '../auth/support.ts';

/** Everything a test user can be; the default holds every role at the highest clearance. */
export interface TestUser {
  sub?: string;
  roles?: string[];
  clearance?: string;
}

export const EVERY_ROLE = ['officer', 'investigator', 'analyst', 'supervisor', 'risk-manager', 'connector-admin', 'auditor'];

let key: Promise<JWK> | undefined;

/**
 * A real token issuer for tests that are not about sign-on: an RSA key, a JWKS endpoint on loopback
 * that the hub fetches like any IdP's, and RS256 `at+jwt` access tokens signed with it.
 */
export async function testIdentity(): Promise<{ auth: AuthConfig; token(user?: TestUser): Promise<string>; jwks: JwksServer }> {
  const k = await (key ??= generateSigningKey('test-1'));
  const jwks = await jwksServer([k]);
  const auth = authConfig(jwks.issuer, { jwksUri: jwks.url, sensitiveFields: { cis: ['informant', 'status'] } });
  return {
    auth,
    jwks,
    token: (user = {}) =>
      sign(k, accessClaims(jwks.issuer, { sub: user.sub ?? 'tester', roles: user.roles ?? EVERY_ROLE, clearance: user.clearance ?? 'Secret' })),
  };
}
