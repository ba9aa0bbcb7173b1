// Who is asking: identity, roles, clearance and unit come from the verified access token; case
// memberships come from the hub's store on every request. A token lives for minutes, but taking an
// officer off a case must take effect at once, so memberships are never read from claims nor cached.
import type { JWTPayload } from 'jose';
import type { Db } from '../store/db.ts';
import { casesOf } from './cases.ts';
import { ROLES, type AuthConfig, type Role } from './config.ts';
import { TokenError } from './tokens.ts';

export interface Identity {
  userId: string;
  roles: readonly Role[];
  /** Index into the configured levels (0 = lowest). */
  level: number;
  unit?: string;
}

export interface Principal extends Identity {
  cases: ReadonlySet<string>;
}

/**
 * Reads the identity from verified claims. A token without a user id or with a clearance the hub cannot
 * place on its scale is refused outright (a missing clearance is not "lowest": it is a misconfigured IdP).
 * Roles the hub does not know are ignored.
 */
export function identityFromClaims(claims: JWTPayload, config: AuthConfig): Identity {
  const userId = claim(claims, config.claims.userId);
  if (typeof userId !== 'string' || userId === '') throw new TokenError('claims', `claim ${config.claims.userId} (user id) is missing`);
  const level = readLevel(claim(claims, config.claims.level), config.levels);
  if (level === undefined) throw new TokenError('claims', `claim ${config.claims.level} (security level) is missing or not one of ${config.levels.join(', ')}`);
  const identity: Identity = { userId, roles: readRoles(claim(claims, config.claims.roles)), level };
  const unit = claim(claims, config.claims.unit);
  if (typeof unit === 'string' && unit !== '') identity.unit = unit;
  return identity;
}

/** The full principal: the identity plus its case memberships as the store holds them now. */
export async function loadPrincipal(db: Pick<Db, 'query'>, identity: Identity): Promise<Principal> {
  return { ...identity, cases: new Set(await casesOf(db, identity.userId)) };
}

/** A level claim is a configured level name (case-insensitive) or its number. */
function readLevel(v: unknown, levels: readonly string[]): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < levels.length ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const i = levels.findIndex((l) => l.toLowerCase() === v.trim().toLowerCase());
  return i >= 0 ? i : undefined;
}

/** Roles arrive as an array or, as OAuth scopes do, one space-separated string. */
function readRoles(v: unknown): Role[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(' ') : [];
  const known = new Set<string>(ROLES);
  return [...new Set(list.filter((r): r is Role => typeof r === 'string' && known.has(r)))];
}

function claim(claims: JWTPayload, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let v: unknown = claims;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}
