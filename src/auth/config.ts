// The `auth:` section of the hub's configuration: which identity provider the hub trusts, how its access
// tokens are recognised, where the claims are, the ordered security levels, and which source fields are
// need-to-know. Validated once at start-up; a bad value stops the hub with the field named.
import { Ajv } from 'ajv';
import { ConfigError } from '../config.ts';

export const ROLES = ['officer', 'investigator', 'analyst', 'supervisor', 'risk-manager', 'connector-admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

// Only asymmetric algorithms: the hub verifies with the IdP's public keys and must never hold a secret
// that could also mint tokens. `none` and HS* are therefore not even expressible in the configuration.
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export const MAX_CLOCK_TOLERANCE_SEC = 60;

export interface AuthConfig {
  /** Compared exactly with the token's `iss` (no trailing-slash normalisation). */
  issuer: string;
  /** Must appear in the token's `aud`. */
  audience: string;
  /** Where the IdP publishes its keys; when absent, read from the issuer's OpenID discovery document. */
  jwksUri?: string;
  /** The only JWS algorithms accepted; the token's `alg` header never chooses. */
  algorithms: string[];
  /** Leeway for exp/nbf/iat, at most 60 s. */
  clockToleranceSec: number;
  /**
   * How an access token is told from an ID token: the RFC 9068 header `typ: at+jwt` (the default), or,
   * for IdPs that do not set it (Keycloak sets the claim `typ: Bearer`), a claim with a required value.
   */
  tokenType: { header: string } | { claim: string; value: string };
  /** Claim names (a dotted path reaches into objects, e.g. `realm_access.roles`). */
  claims: { userId: string; roles: string; level: string; unit: string };
  /** Security levels from lowest to highest; a level's number is its index. */
  levels: string[];
  /** Per source id, the `fields` only shown to officers on the record's case. */
  sensitiveFields: Record<string, string[]>;
  jwks: {
    /** How long fetched keys are trusted before a refetch. */
    cacheMaxAgeMs: number;
    /** Least time between two refetches, so a flood of unknown `kid`s cannot hammer the IdP. */
    cooldownMs: number;
    timeoutMs: number;
  };
}

export const DEFAULT_LEVELS = ['Unrestricted', 'Restricted', 'Confidential', 'Secret'];

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['issuer', 'audience', 'algorithms'],
  properties: {
    issuer: { type: 'string', minLength: 1 },
    audience: { type: 'string', minLength: 1 },
    jwksUri: { type: 'string', minLength: 1 },
    algorithms: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...ASYMMETRIC_ALGORITHMS] } },
    clockToleranceSec: { type: 'integer', minimum: 0, maximum: MAX_CLOCK_TOLERANCE_SEC },
    tokenType: {
      oneOf: [
        { type: 'object', additionalProperties: false, required: ['header'], properties: { header: { type: 'string', minLength: 1 } } },
        {
          type: 'object',
          additionalProperties: false,
          required: ['claim', 'value'],
          properties: { claim: { type: 'string', minLength: 1 }, value: { type: 'string', minLength: 1 } },
        },
      ],
    },
    claims: {
      type: 'object',
      additionalProperties: false,
      properties: {
        userId: { type: 'string', minLength: 1 },
        roles: { type: 'string', minLength: 1 },
        level: { type: 'string', minLength: 1 },
        unit: { type: 'string', minLength: 1 },
      },
    },
    levels: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    sensitiveFields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } } },
    jwks: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cacheMaxAgeMs: { type: 'integer', minimum: 0 },
        cooldownMs: { type: 'integer', minimum: 0 },
        timeoutMs: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true }).compile(schema);

type Raw = Partial<Omit<AuthConfig, 'claims' | 'jwks'>> & { claims?: Partial<AuthConfig['claims']>; jwks?: Partial<AuthConfig['jwks']> };

/** Validates the raw `auth:` section and fills the defaults; `where` names the file in messages. */
export function parseAuthConfig(raw: unknown, where: string): AuthConfig {
  if (!validate(raw)) {
    const e = validate.errors![0]!;
    const field = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath;
    const message = e.keyword === 'additionalProperties' ? 'is not a known setting' : e.message;
    throw new ConfigError(`${where}: /auth${field} ${message}`);
  }
  const r = raw as Raw;
  const config: AuthConfig = {
    issuer: r.issuer!,
    audience: r.audience!,
    algorithms: r.algorithms!,
    clockToleranceSec: r.clockToleranceSec ?? 30,
    tokenType: r.tokenType ?? { header: 'at+jwt' },
    claims: { userId: 'sub', roles: 'roles', level: 'clearance', unit: 'unit', ...r.claims },
    levels: r.levels ?? DEFAULT_LEVELS,
    sensitiveFields: r.sensitiveFields ?? {},
    jwks: { cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000, ...r.jwks },
  };
  for (const [field, url] of [['issuer', config.issuer], ['jwksUri', r.jwksUri]] as const) {
    if (url !== undefined && !trustedUrl(url)) throw new ConfigError(`${where}: /auth/${field} must be an https URL (http only on loopback)`);
  }
  if (r.jwksUri !== undefined) config.jwksUri = r.jwksUri;
  return config;
}

/** Keys fetched over plain HTTP could be swapped in transit; plain HTTP is accepted on loopback only (dev). */
export function trustedUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
