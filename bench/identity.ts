// Sign-on for the benchmarks: a signing key, a JWKS endpoint on loopback (fetched once by the hub, like
// any IdP's) and one access token with every role, so the benchmarked hub verifies a real RS256 token
// and writes a real audit entry for every search.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseAuthConfig, type AuthConfig } from '../src/auth/config.ts';

const AUDIENCE = 'https://cirms-hub.bench';

export async function startBenchIdentity(): Promise<{ auth: AuthConfig; token: string; close(): void }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = parseAuthConfig({ issuer, audience: AUDIENCE, jwksUri: `${issuer}/jwks`, algorithms: ['RS256'] }, 'bench');
  const token = await new SignJWT({ roles: ['officer', 'investigator', 'analyst'], clearance: 'Secret' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-1', typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setSubject('bench')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  return { auth, token, close: () => server.close() };
}
