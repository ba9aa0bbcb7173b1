import { base64url, decodeJwt, exportSPKI, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAuthConfig } from '../../src/auth/config.ts';
import { DEMO_USERS, generateSigningKey, startDevIdp, type DevIdp } from '../../src/auth/dev-idp.ts';
import { identityFromClaims } from '../../src/auth/principal.ts';
import { bearerToken, createTokenVerifier, TokenError, type TokenFailure, type TokenVerifier } from '../../src/auth/tokens.ts';
import { accessClaims, AUDIENCE, authConfig, jwksServer, sign, type JwksServer } from './support.ts';

async function rejection(p: Promise<unknown>): Promise<TokenError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenError);
  return err as TokenError;
}

async function expectRejected(verifier: TokenVerifier, token: string, code: TokenFailure): Promise<void> {
  expect((await rejection(verifier.verify(token))).code).toBe(code);
}

describe('tokens from the real oidc-provider', () => {
  let idp: DevIdp;
  let key: JWK;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    key = await generateSigningKey('idp-key-1');
    idp = await startDevIdp({ audience: AUDIENCE, keys: [key] });
    // No jwksUri: the verifier reads it from the IdP's discovery document, as in production.
    verifier = createTokenVerifier(authConfig(idp.issuer));
  });
  afterAll(() => idp.close());

  it('accepts an access token issued to each demo user and reads who they are', async () => {
    const config = authConfig(idp.issuer);
    for (const user of DEMO_USERS) {
      const { header, claims } = await verifier.verify(await idp.token(user.username));
      expect(header.typ).toBe('at+jwt');
      const identity = identityFromClaims(claims, config);
      expect(identity.userId).toBe(user.username);
      expect(identity.roles).toEqual(user.roles);
      expect(identity.level).toBe(config.levels.indexOf(user.level));
      expect(identity.unit).toBe(user.unit);
    }
  });

  it('refuses a wrong password at the dev grant', async () => {
    await expect(idp.token('investigator', 'wrong')).rejects.toThrow(/invalid_grant/);
    await expect(idp.token('nobody', 'demo')).rejects.toThrow(/invalid_grant/);
  });

  it('refuses to start the dev IdP on a non-loopback host', async () => {
    await expect(startDevIdp({ audience: AUDIENCE, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('rejects alg none', async () => {
    const claims = base64url.encode(JSON.stringify(accessClaims(idp.issuer)));
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    await expectRejected(verifier, `${header}.${claims}.`, 'algorithm');
  });

  it('rejects HS256 signed with the IdP public key as the HMAC secret', async () => {
    const pem = await exportSPKI((await importJWK({ kty: key.kty!, n: key.n!, e: key.e! }, 'RS256', { extractable: true })) as Parameters<typeof exportSPKI>[0]);
    for (const secret of [new TextEncoder().encode(pem), new TextEncoder().encode(JSON.stringify({ kty: key.kty, n: key.n, e: key.e }))]) {
      const token = await new SignJWT(accessClaims(idp.issuer)).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: key.kid! }).sign(secret);
      await expectRejected(verifier, token, 'algorithm');
    }
  });

  it('rejects an algorithm the configuration does not list, even when the signature is good', async () => {
    const esOnly = createTokenVerifier(authConfig(idp.issuer, { algorithms: ['ES256'] }));
    await expectRejected(esOnly, await idp.token('analyst'), 'algorithm');
  });

  it('rejects a wrong issuer, however close', async () => {
    await expectRejected(verifier, await sign(key, accessClaims('https://evil.example')), 'issuer');
    await expectRejected(verifier, await sign(key, accessClaims(`${idp.issuer}/`)), 'issuer');
  });

  it('rejects a wrong audience', async () => {
    await expectRejected(verifier, await sign(key, accessClaims(idp.issuer, { aud: 'https://other-api.test' })), 'audience');
  });

  it('rejects a token expired beyond the 60 s skew, accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(verifier, await sign(key, accessClaims(idp.issuer, { iat: now - 600, exp: now - 120 })), 'expired');
    await expect(verifier.verify(await sign(key, accessClaims(idp.issuer, { iat: now - 600, exp: now - 20 })))).resolves.toBeDefined();
  });

  it('rejects a token without exp', async () => {
    const { exp: _exp, ...noExp } = accessClaims(idp.issuer);
    await expectRejected(verifier, await sign(key, noExp), 'claims');
  });

  it('rejects nbf in the future beyond the skew, accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(verifier, await sign(key, accessClaims(idp.issuer, { nbf: now + 180, exp: now + 600 })), 'not-yet-valid');
    await expect(verifier.verify(await sign(key, accessClaims(idp.issuer, { nbf: now + 20 })))).resolves.toBeDefined();
  });

  it('rejects an ID token used as an access token, even one carrying the right audience', async () => {
    const idToken = accessClaims(idp.issuer, { aud: idp.clientId, azp: idp.clientId, nonce: 'n-1', auth_time: Math.floor(Date.now() / 1000) });
    // Signed with the IdP's own key: only the token type (checked before the audience) tells them apart.
    await expectRejected(verifier, await sign(key, idToken, { typ: 'JWT' }), 'token-type');
    await expectRejected(verifier, await sign(key, { ...idToken, aud: AUDIENCE }, { typ: 'JWT' }), 'token-type');
    await expectRejected(verifier, await sign(key, { ...idToken, aud: AUDIENCE }, { typ: null }), 'token-type');
  });

  it('rejects a tampered payload', async () => {
    const token = await idp.token('officer-lo');
    const [h, , s] = token.split('.');
    const raised = base64url.encode(JSON.stringify({ ...decodeJwt(token), clearance: 'Secret' }));
    await expectRejected(verifier, `${h}.${raised}.${s}`, 'bad-signature');
  });

  it('rejects a token signed by a key the IdP never published', async () => {
    const stranger = await generateSigningKey('idp-key-1');
    await expectRejected(verifier, await sign(stranger, accessClaims(idp.issuer)), 'bad-signature');
  });
});

describe('token type by claim (IdPs without typ at+jwt)', () => {
  let jwks: JwksServer;
  let key: JWK;
  beforeAll(async () => {
    key = await generateSigningKey('kc-1');
    jwks = await jwksServer([key]);
  });
  afterAll(() => jwks.close());

  it('accepts typ Bearer and rejects typ ID in the configured claim', async () => {
    const v = createTokenVerifier(authConfig(jwks.issuer, { jwksUri: jwks.url, tokenType: { claim: 'typ', value: 'Bearer' } }));
    await expect(v.verify(await sign(key, accessClaims(jwks.issuer, { typ: 'Bearer' }), { typ: 'JWT' }))).resolves.toBeDefined();
    await expectRejected(v, await sign(key, accessClaims(jwks.issuer, { typ: 'ID' }), { typ: 'JWT' }), 'token-type');
    await expectRejected(v, await sign(key, accessClaims(jwks.issuer), { typ: 'JWT' }), 'token-type');
  });
});

describe('the IdP key set', () => {
  let jwks: JwksServer;
  let k1: JWK;
  let k2: JWK;
  beforeAll(async () => {
    k1 = await generateSigningKey('k1');
    k2 = await generateSigningKey('k2');
  });
  afterEach(async () => {
    vi.useRealTimers();
    await jwks.close();
  });

  it('is fetched once and cached', async () => {
    jwks = await jwksServer([k1]);
    const v = createTokenVerifier(authConfig(jwks.issuer, { jwksUri: jwks.url }));
    for (let i = 0; i < 3; i++) await v.verify(await sign(k1, accessClaims(jwks.issuer)));
    expect(jwks.fetches).toBe(1);
  });

  it('an unknown kid causes one refetch, then rejection', async () => {
    jwks = await jwksServer([k1]);
    const v = createTokenVerifier(authConfig(jwks.issuer, { jwksUri: jwks.url, jwks: { cooldownMs: 0 } }));
    await v.verify(await sign(k1, accessClaims(jwks.issuer)));
    expect(jwks.fetches).toBe(1);
    await expectRejected(v, await sign(k2, accessClaims(jwks.issuer)), 'unknown-key');
    expect(jwks.fetches).toBe(2);
  });

  it('a rotated-in key is accepted after the refetch', async () => {
    jwks = await jwksServer([k1]);
    const v = createTokenVerifier(authConfig(jwks.issuer, { jwksUri: jwks.url, jwks: { cooldownMs: 0 } }));
    await v.verify(await sign(k1, accessClaims(jwks.issuer)));
    jwks.keys = [k1, k2];
    await expect(v.verify(await sign(k2, accessClaims(jwks.issuer)))).resolves.toBeDefined();
    expect(jwks.fetches).toBe(2);
    jwks.keys = [k2];
    await expect(v.verify(await sign(k2, accessClaims(jwks.issuer)))).resolves.toBeDefined();
  });

  it('refetches at most once per cooldown, so a spray of unknown kids cannot hammer the IdP', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    jwks = await jwksServer([k1]);
    const v = createTokenVerifier(authConfig(jwks.issuer, { jwksUri: jwks.url, jwks: { cooldownMs: 30_000 } }));
    await v.verify(await sign(k1, accessClaims(jwks.issuer)));
    jwks.keys = [k1, k2];
    for (let i = 0; i < 5; i++) await expectRejected(v, await sign(k2, accessClaims(jwks.issuer)), 'unknown-key');
    expect(jwks.fetches).toBe(1);
    vi.setSystemTime(Date.now() + 31_000);
    await expect(v.verify(await sign(k2, accessClaims(jwks.issuer)))).resolves.toBeDefined();
    expect(jwks.fetches).toBe(2);
  });

  it('remembers a verified token until it expires, and never a refused one', async () => {
    jwks = await jwksServer([k1]);
    const v = createTokenVerifier(authConfig(jwks.issuer, { jwksUri: jwks.url, clockToleranceSec: 0 }));
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = await sign(k1, accessClaims(jwks.issuer, { exp }));
    const first = await v.verify(token);
    // A copy with another signature is not the remembered token: it is checked, and refused.
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    await expectRejected(v, forged, 'bad-signature');
    // Served from memory: the key set is no longer reachable, the answer is the same.
    await jwks.close();
    expect(await v.verify(token)).toBe(first);
    await new Promise((r) => setTimeout(r, exp * 1000 + 50 - Date.now()));
    await expectRejected(v, token, 'expired');
    jwks = await jwksServer([k1]);
  });

  it('fails closed (503) when the JWKS endpoint errors or is unreachable', async () => {
    jwks = await jwksServer([k1]);
    jwks.failing = true;
    const v = createTokenVerifier(authConfig(jwks.issuer, { jwksUri: jwks.url }));
    const err = await rejection(v.verify(await sign(k1, accessClaims(jwks.issuer))));
    expect([err.code, err.status]).toEqual(['jwks-unavailable', 503]);
    const token = await sign(k1, accessClaims(jwks.issuer));
    await jwks.close();
    await expectRejected(v, token, 'jwks-unavailable');
  });

  it('fails closed when the discovery document cannot be read, and recovers once it can', async () => {
    jwks = await jwksServer([k1]);
    jwks.discovery = false;
    const v = createTokenVerifier(authConfig(jwks.issuer));
    await expectRejected(v, await sign(k1, accessClaims(jwks.issuer)), 'jwks-unavailable');
    jwks.discovery = true;
    await expect(v.verify(await sign(k1, accessClaims(jwks.issuer)))).resolves.toBeDefined();
  });
});

describe('configuration and header parsing', () => {
  it('takes the bearer token from the Authorization header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(() => bearerToken(undefined)).toThrow(expect.objectContaining({ code: 'missing' }));
    expect(() => bearerToken('Basic dXNlcjpwdw==')).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('refuses none, HS256, a skew above 60 s, and plain-http keys off loopback', () => {
    const base = { issuer: 'https://idp.test', audience: AUDIENCE, algorithms: ['RS256'] };
    expect(() => parseAuthConfig({ ...base, algorithms: ['none'] }, 'hub.yaml')).toThrow(/\/auth\/algorithms\/0/);
    expect(() => parseAuthConfig({ ...base, algorithms: ['HS256'] }, 'hub.yaml')).toThrow(/\/auth\/algorithms\/0/);
    expect(() => parseAuthConfig({ ...base, clockToleranceSec: 61 }, 'hub.yaml')).toThrow(/clockToleranceSec/);
    expect(() => parseAuthConfig({ ...base, jwksUri: 'http://idp.test/jwks' }, 'hub.yaml')).toThrow(/jwksUri must be an https URL/);
    expect(() => parseAuthConfig({ ...base, claim: {} }, 'hub.yaml')).toThrow(/\/auth\/claim is not a known setting/);
    const c = parseAuthConfig({ ...base, claims: { roles: 'realm_access.roles' } }, 'hub.yaml');
    expect(c.claims).toEqual({ userId: 'sub', roles: 'realm_access.roles', level: 'clearance', unit: 'unit' });
    expect(c.tokenType).toEqual({ header: 'at+jwt' });
  });
});
