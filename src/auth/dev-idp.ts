// A development identity provider: the real `oidc-provider` on loopback, with demo users at different
// clearances, issuing real RS256-signed JWT access tokens (RFC 9068, `typ: at+jwt`) for the hub's
// audience. The hub verifies them exactly as it would a production IdP's: through the discovery document
// and the JWKS endpoint.
//
// How a demo user gets a token. OpenID Connect has no grant in which a user hands a password to a
// script: oidc-provider offers no resource-owner password grant (OAuth 2.1 removes it),
// client credentials identify a client rather than a user, and the authorization-code flow needs a
// browser and a login page. So this module registers a custom grant, `urn:cirms:dev-password`, on the
// one dev client: username + password of a demo user in, a signed access token for that user out.
// It exists only here, refuses to listen anywhere but loopback, and is never part of a deployment:
//
//   curl -s -u cirms-dev:dev-secret http://127.0.0.1:9090/token \
//        -d grant_type=urn:cirms:dev-password -d username=investigator -d password=demo
//
// Case memberships are not token claims (the hub keeps them in its store); seedDemoCases() writes the
// demo users' memberships there.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { Db } from '../store/db.ts';
import { addCaseMember } from './cases.ts';
import { isLoopback, type Role } from './config.ts';

export const DEV_GRANT = 'urn:cirms:dev-password';

export interface DevUser {
  username: string;
  password: string;
  roles: Role[];
  /** A level name (config.ts DEFAULT_LEVELS), sent as the `clearance` claim. */
  level: string;
  unit: string;
  /** Seeded into the hub's store by seedDemoCases(), not put in tokens. */
  cases: string[];
}

export const DEMO_USERS: readonly DevUser[] = [
  { username: 'officer-lo', password: 'demo', roles: ['officer'], level: 'Unrestricted', unit: 'Land Boundary Command', cases: [] },
  { username: 'investigator', password: 'demo', roles: ['investigator'], level: 'Confidential', unit: 'Customs Investigation Bureau', cases: ['CASE-2026-0042'] },
  { username: 'analyst', password: 'demo', roles: ['analyst'], level: 'Secret', unit: 'Intelligence Bureau', cases: [] },
  { username: 'supervisor', password: 'demo', roles: ['supervisor', 'investigator'], level: 'Secret', unit: 'Customs Investigation Bureau', cases: ['CASE-2026-0042'] },
  { username: 'auditor', password: 'demo', roles: ['auditor'], level: 'Restricted', unit: 'Internal Audit', cases: [] },
  { username: 'connector-admin', password: 'demo', roles: ['connector-admin'], level: 'Unrestricted', unit: 'Information Technology', cases: [] },
  { username: 'risk-manager', password: 'demo', roles: ['risk-manager'], level: 'Restricted', unit: 'Risk Management', cases: [] },
];

export interface DevIdpOptions {
  /** The hub's audience (resource indicator); tokens are issued for it only. */
  audience: string;
  host?: string;
  port?: number;
  users?: readonly DevUser[];
  /** Private signing keys (JWK with `kid`); generated when absent. Tests pass their own to forge tokens. */
  keys?: JWK[];
  accessTokenTtlSec?: number;
}

export interface DevIdp {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  provider: Provider;
  /** A fresh access token for a demo user, fetched over HTTP like any client would. */
  token(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

const CLIENT_ID = 'cirms-dev';
const CLIENT_SECRET = 'dev-secret';

export async function startDevIdp(opts: DevIdpOptions): Promise<DevIdp> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`the dev identity provider only listens on loopback, not ${host}`);
  const users = new Map((opts.users ?? DEMO_USERS).map((u) => [u.username, u]));
  const keys = opts.keys ?? [await generateSigningKey('dev-1')];

  // The issuer URL holds the port, so the server listens before the provider exists.
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const ttl = opts.accessTokenTtlSec ?? 600;
  const resourceServer: ResourceServer = {
    scope: 'search',
    audience: opts.audience,
    accessTokenTTL: ttl,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_types: [DEV_GRANT], response_types: [], redirect_uris: [] }],
    jwks: { keys },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: { AccessToken: ttl, Grant: ttl },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => opts.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== opts.audience) throw new errors.InvalidTarget(`this provider only issues tokens for ${opts.audience}`);
          return resourceServer;
        },
      },
    },
    // The hub's claims, read from the demo user the token was issued to.
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token && typeof token.accountId === 'string' ? users.get(token.accountId) : undefined;
      return user ? { roles: user.roles, clearance: user.level, unit: user.unit } : undefined;
    },
  });

  provider.registerGrantType(
    DEV_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const params = ctx.oidc.params as Record<string, string | undefined>;
      const user = params.username !== undefined ? users.get(params.username) : undefined;
      if (!user || user.password !== params.password) throw new errors.InvalidGrant('unknown demo user or wrong password');
      if (!ctx.oidc.client) throw new errors.InvalidClient('client authentication failed');
      const { Grant, AccessToken } = ctx.oidc.provider;
      // A real grant, as after a login and consent, so the token is tied to it like any other.
      const grant = new Grant({ accountId: user.username, clientId: ctx.oidc.client.clientId });
      grant.addResourceScope(opts.audience, 'search');
      const grantId = await grant.save();
      const token = new AccessToken({ accountId: user.username, client: ctx.oidc.client, grantId, gty: DEV_GRANT, scope: 'search' });
      token.resourceServer = new ctx.oidc.provider.ResourceServer(opts.audience, resourceServer);
      const value = await token.save();
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: token.scope };
    },
    ['username', 'password'],
  );
  // oidc-provider is a Koa application; its callback serves discovery, JWKS and the token endpoint.
  handler = provider.callback();

  const tokenEndpoint = `${issuer}/token`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    provider,
    async token(username, password = users.get(username)?.password ?? '') {
      const res = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: DEV_GRANT, username, password }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!res.ok || !body.access_token) throw new Error(`dev IdP refused ${username}: ${body.error ?? res.status} ${body.error_description ?? ''}`.trim());
      return body.access_token;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** An RS256 private signing key as a JWK, for the provider's keystore. */
export async function generateSigningKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/** Puts the demo users on their cases in the hub's store (idempotent). */
export async function seedDemoCases(db: Db, users: readonly DevUser[] = DEMO_USERS): Promise<void> {
  for (const u of users) for (const caseId of u.cases) await addCaseMember(db, { caseId, userId: u.username }, 'dev-idp-seed');
}
