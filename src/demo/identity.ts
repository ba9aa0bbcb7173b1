// Sign-on for the embedded default: the development identity provider (src/auth/dev-idp.ts) with its
// demo users, and the hub's auth settings pointing at it. Production names its own IdP under `auth:`.

import { parseAuthConfig, type AuthConfig } from '../auth/config.ts';
import { startDevIdp, type DevIdp } from '../auth/dev-idp.ts';

export const DEMO_AUDIENCE = 'https://cirms-hub.demo';

/** The CIS fields shown only to officers on the record's case. */
const DEMO_SENSITIVE_FIELDS = { cis: ['informant', 'status'] };

export async function startDemoIdentity(port: number): Promise<{ idp: DevIdp; auth: AuthConfig }> {
  const idp = await startDevIdp({ audience: DEMO_AUDIENCE, port });
  const auth = parseAuthConfig(
    { issuer: idp.issuer, audience: DEMO_AUDIENCE, jwksUri: idp.jwksUri, algorithms: ['RS256'], sensitiveFields: DEMO_SENSITIVE_FIELDS },
    'demo identity provider',
  );
  return { idp, auth };
}
