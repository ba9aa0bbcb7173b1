// Bearer access-token verification (the hub is an OAuth 2.0 resource server). Everything the token could
// choose is fixed by configuration instead: the algorithms, the issuer, the audience, the keys (the IdP's
// JWKS, fetched and cached by jose), and what makes it an access token rather than an ID token.
import { createRemoteJWKSet, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { trustedUrl, type AuthConfig } from './config.ts';

export type TokenFailure =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'bad-signature'
  | 'unknown-key'
  | 'expired'
  | 'not-yet-valid'
  | 'issuer'
  | 'audience'
  | 'token-type'
  | 'claims'
  | 'jwks-unavailable';

/** Why a request carries no usable identity. `status` is 503 when the IdP's keys cannot be had (fail closed). */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly code: TokenFailure;
  readonly status: 401 | 503;
  constructor(code: TokenFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = code === 'jwks-unavailable' ? 503 : 401;
  }
}

export interface VerifiedToken {
  header: JWTHeaderParameters;
  claims: JWTPayload;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/** The token in an `Authorization: Bearer …` header (RFC 6750). */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') throw new TokenError('missing', 'no bearer token');
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  if (!m) throw new TokenError('malformed', 'the Authorization header is not a Bearer token');
  return m[1]!;
}

/**
 * A verifier for the configured IdP. When no `jwksUri` is configured it is read from the issuer's
 * discovery document on first use (not at start-up, so the hub starts while the IdP is down; every
 * request fails closed until the document can be read).
 */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const getKeys = () => {
    keys ??= jwksUri(config).then(
      (uri) =>
        createRemoteJWKSet(new URL(uri), {
          cacheMaxAge: config.jwks.cacheMaxAgeMs,
          cooldownDuration: config.jwks.cooldownMs,
          timeoutDuration: config.jwks.timeoutMs,
        }),
      (err: unknown) => {
        keys = undefined;
        throw new TokenError('jwks-unavailable', `cannot read the identity provider's discovery document: ${(err as Error).message}`, { cause: err });
      },
    );
    return keys;
  };

  // jose reports a key set it could not fetch as assorted errors; all of them mean "no keys", which
  // must deny (fail closed) and be told apart from a bad token. An unknown kid after the one refetch
  // jose allows per cooldown is the token's fault, not the IdP's.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    const remote = await getKeys();
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      throw new TokenError('jwks-unavailable', `cannot fetch the identity provider's keys: ${(err as Error).message}`, { cause: err });
    }
  };

  const typ = 'header' in config.tokenType ? config.tokenType.header : undefined;
  // The same bytes verify the same way until the token expires, so an officer's next request costs a
  // lookup instead of a signature check. An entry never outlives the key-set cache it was checked
  // against (jwks.cacheMaxAgeMs): a key the IdP withdraws stops being honoured no later than a fresh
  // check would notice. Only successes are kept; a refused token is checked (and audited) every time.
  const verified = new LRUCache<string, VerifiedToken>({ max: 10_000 });
  const remember = (token: string, result: VerifiedToken): void => {
    const exp = result.claims.exp;
    if (typeof exp !== 'number') return;
    const ttl = Math.min((exp + config.clockToleranceSec) * 1000 - Date.now(), config.jwks.cacheMaxAgeMs);
    if (ttl >= 1) verified.set(token, result, { ttl: Math.floor(ttl) });
  };
  return {
    async verify(token) {
      const hit = verified.get(token);
      if (hit) return hit;
      let result;
      try {
        result = await jwtVerify(token, getKey, {
          algorithms: config.algorithms,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: config.clockToleranceSec,
          requiredClaims: ['exp'],
          ...(typ !== undefined ? { typ } : {}),
        });
      } catch (err) {
        throw toTokenError(err);
      }
      const { payload, protectedHeader } = result;
      if ('claim' in config.tokenType && payload[config.tokenType.claim] !== config.tokenType.value) {
        throw new TokenError('token-type', `claim ${config.tokenType.claim} is not ${JSON.stringify(config.tokenType.value)}: not an access token`);
      }
      const ok = { header: protectedHeader, claims: payload };
      remember(token, ok);
      return ok;
    },
  };
}

async function jwksUri(config: AuthConfig): Promise<string> {
  if (config.jwksUri !== undefined) return config.jwksUri;
  const url = `${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(config.jwks.timeoutMs), redirect: 'error' });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // OpenID Connect Discovery §4.3: the document must name the very issuer it was fetched for.
  if (doc.issuer !== config.issuer) throw new Error(`${url} names issuer ${JSON.stringify(doc.issuer)}, not ${JSON.stringify(config.issuer)}`);
  if (typeof doc.jwks_uri !== 'string' || !trustedUrl(doc.jwks_uri)) throw new Error(`${url} has no usable jwks_uri`);
  return doc.jwks_uri;
}

function toTokenError(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof errors.JWTExpired) return new TokenError('expired', 'the token has expired', { cause: err });
  if (err instanceof errors.JWTClaimValidationFailed) {
    const byClaim: Record<string, TokenFailure> = { nbf: 'not-yet-valid', iss: 'issuer', aud: 'audience', typ: 'token-type' };
    return new TokenError(byClaim[err.claim] ?? 'claims', `claim ${err.claim}: ${err.reason === 'missing' ? 'missing' : err.message}`, { cause: err });
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return new TokenError('algorithm', 'the token is signed with an algorithm the hub does not accept', { cause: err });
  if (err instanceof errors.JWSSignatureVerificationFailed) return new TokenError('bad-signature', 'the signature does not verify', { cause: err });
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenError('unknown-key', 'no key of the identity provider matches the token', { cause: err });
  }
  if (err instanceof errors.JOSEError) return new TokenError('malformed', `the token cannot be read: ${err.message}`, { cause: err });
  throw err;
}
