import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { parseAuthConfig, type AuthConfig } from '../../src/auth/config.ts';

export const AUDIENCE = 'https://cirms-hub.test';

/** Public half of a private JWK, as a JWKS endpoint publishes it. */
export function publicJwk(k: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = k;
  return pub;
}

/** Signs `payload` with a private JWK the way an IdP would: RS256, the key's kid, `typ: at+jwt` unless told (null: no typ). */
export async function sign(key: JWK, payload: JWTPayload, header: { typ?: string | null } = {}): Promise<string> {
  const k = await importJWK(key, 'RS256');
  const typ = header.typ === undefined ? 'at+jwt' : header.typ;
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid!, ...(typ !== null ? { typ } : {}) }).sign(k);
}

export function accessClaims(issuer: string, over: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: issuer, aud: AUDIENCE, sub: 'investigator', iat: now, exp: now + 300, roles: ['investigator'], clearance: 'Confidential', unit: 'CIB', ...over };
}

export function authConfig(issuer: string, over: Record<string, unknown> = {}): AuthConfig {
  return parseAuthConfig({ issuer, audience: AUDIENCE, algorithms: ['RS256'], clockToleranceSec: 60, ...over }, 'test');
}

/** A JWKS endpoint on loopback whose keys, availability and request count the test controls. */
export interface JwksServer {
  url: string;
  issuer: string;
  fetches: number;
  keys: JWK[];
  failing: boolean;
  /** Whether the discovery document is served (404 otherwise). */
  discovery: boolean;
  close(): Promise<void>;
}

export async function jwksServer(keys: JWK[]): Promise<JwksServer> {
  const state: JwksServer = {
    url: '',
    issuer: '',
    fetches: 0,
    keys,
    failing: false,
    discovery: true,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      if (!state.discovery) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: state.issuer, jwks_uri: state.url }));
    }
    state.fetches++;
    if (state.failing) return void res.writeHead(500).end();
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: state.keys.map(publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/jwks`;
  state.issuer = `http://127.0.0.1:${port}`;
  return state;
}
